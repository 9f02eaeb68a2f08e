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
// Gameplay AI and secrets
import './http/game-ai.js';

// Validate every setting at cold start: a missing one stops the app with its name, not a 500 later.
getConfig();

app.setup({ enableHttpStream: false });

// Close pooled connections and hash workers when the host shuts the worker down.
app.hook.appTerminate(async () => {
  await closeServices();
});
