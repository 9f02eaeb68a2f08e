/**
 * Entry point (package.json "main"): every trigger file registers itself with @azure/functions
 * when imported. The Functions host, and the local host in infra/local, load this file.
 */
import { app } from '@azure/functions';
import { getConfig } from './platform/config.js';
import { closeServices } from './platform/services.js';

import './events/audit-events.js';
import './events/presence-events.js';
import './http/accounts/account-status.js';
import './http/accounts/bootstrap-admin.js';
import './http/accounts/change-password.js';
import './http/accounts/delete-user.js';
import './http/accounts/get-user.js';
import './http/accounts/list-users.js';
import './http/accounts/login.js';
import './http/accounts/me.js';
import './http/accounts/patch-user.js';
import './http/accounts/service-token.js';
import './http/accounts/signup.js';
import './http/accounts/update-profile.js';
import './http/accounts/user-roles.js';
import './http/activity/activity-history.js';
import './http/activity/activity-stats.js';
import './http/activity/track-activity.js';
import './http/activity/user-activity.js';
import './http/ai/game-ai.js';
import './http/email/confirm-email-change.js';
import './http/email/forgot-password.js';
import './http/email/resend-verification.js';
import './http/email/reset-password.js';
import './http/email/verify-email.js';
import './http/console/console-assets.js';
import './http/events/user-events.js';
import './http/platform/health.js';
import './http/presence/active-users.js';
import './http/presence/set-user-status.js';
import './http/presence/user-status.js';
import './http/sessions/admin-end-session.js';
import './http/sessions/admin-user-sessions.js';
import './http/sessions/end-other-sessions.js';
import './http/sessions/end-session.js';
import './http/sessions/jwks.js';
import './http/sessions/list-sessions.js';
import './http/sessions/logout.js';
import './http/sessions/refresh-token.js';
import './timers/deliver-mail.js';
import './timers/presence-sweep.js';
import './timers/relay-events.js';
import './timers/sync-activity.js';

// Validate every setting at cold start: a missing one stops the app with its name, not a 500 later.
getConfig();

app.setup({ enableHttpStream: false });

// Close pooled connections and hash workers when the host shuts the worker down.
app.hook.appTerminate(async () => {
  await closeServices();
});
