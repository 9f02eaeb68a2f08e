/**
 * Entry point (package.json "main"): every trigger file registers itself with @azure/functions
 * when imported. The Functions host, and the local host in infra/local, load this file.
 */
import { app } from '@azure/functions';
import { getConfig } from './platform/config.js';
import { closeServices } from './platform/services.js';

import './http/health.js';
import './http/jwks.js';
import './http/signup.js';
import './http/login.js';
import './http/me.js';
import './http/refresh-token.js';
import './http/logout.js';
import './http/list-sessions.js';
import './http/end-session.js';
import './http/end-other-sessions.js';
import './http/change-password.js';
import './http/get-user.js';
import './http/patch-user.js';
import './http/update-profile.js';
import './http/delete-user.js';
import './http/list-users.js';
import './http/account-status.js';
import './http/user-roles.js';
import './http/bootstrap-admin.js';
import './http/service-token.js';
import './http/track-activity.js';
import './http/user-activity.js';
import './http/activity-history.js';
import './http/activity-stats.js';
import './http/user-status.js';
import './http/set-user-status.js';
import './http/active-users.js';
import './http/user-events.js';
import './timers/sync-activity.js';
import './timers/presence-sweep.js';
import './timers/relay-events.js';
import './events/audit-events.js';
import './events/presence-events.js';
// Gameplay AI and secrets
import './http/game-ai.js';

// Validate every setting at cold start: a missing one stops the app with its name, not a 500 later.
getConfig();

app.setup({ enableHttpStream: false });

// Close pooled connections and hash workers when the host shuts the worker down.
app.hook.appTerminate(async () => {
  await closeServices();
});
