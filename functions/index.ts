/**
 * Entry point (package.json "main"): every trigger file registers itself with @azure/functions
 * when imported. The Functions host, and the local host in infra/local, load this file.
 */
import { app } from '@azure/functions';
import { getConfig } from './platform/config.js';
import { snapshotMetrics } from './core/metrics/metrics.js';
import { closeServices, getServices } from './platform/services.js';
import { installInvocationLog } from './platform/telemetry.js';
import { startTelemetry } from './platform/features/telemetry.js';

import './events/audit-events.js';
import './events/presence-events.js';
import './events/realtime-events.js';
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
import './http/catalog/create-game.js';
import './http/catalog/delete-game.js';
import './http/catalog/get-game.js';
import './http/catalog/list-games.js';
import './http/catalog/update-game.js';
import './http/compat/create-user.js';
import './http/compat/put-user.js';
import './http/compat/register.js';
import './http/compat/status.js';
import './http/compat/users-login.js';
import './http/compat/users-logout.js';
import './http/email/confirm-email-change.js';
import './http/email/forgot-password.js';
import './http/email/resend-verification.js';
import './http/email/reset-password.js';
import './http/email/verify-email.js';
import './http/console/console-assets.js';
import './http/events/user-events.js';
import './http/identities/link-identity.js';
import './http/identities/list-identities.js';
import './http/identities/login-device.js';
import './http/identities/login-oidc.js';
import './http/identities/login-steam.js';
import './http/identities/unlink-identity.js';
import './http/leaderboards/leaderboard-around.js';
import './http/leaderboards/leaderboard-rank.js';
import './http/leaderboards/leaderboard-top.js';
import './http/leaderboards/rebuild-leaderboard.js';
import './http/leaderboards/submit-scores.js';
import './http/matches/get-match.js';
import './http/matches/match-result.js';
import './http/matches/put-match.js';
import './http/matches/user-matches.js';
import './http/platform/docs.js';
import './http/platform/health-live.js';
import './http/platform/health-metrics.js';
import './http/platform/health-ready.js';
import './http/platform/health.js';
import './http/platform/openapi-json.js';
import './http/presence/active-users.js';
import './http/presence/set-user-status.js';
import './http/presence/user-status.js';
import './http/realtime/negotiate.js';
import './http/realtime/upstream.js';
import './http/sessions/admin-end-session.js';
import './http/sessions/admin-user-sessions.js';
import './http/sessions/end-other-sessions.js';
import './http/sessions/end-session.js';
import './http/sessions/jwks.js';
import './http/sessions/list-sessions.js';
import './http/sessions/logout.js';
import './http/sessions/refresh-token.js';
import './http/social/accept-follower.js';
import './http/social/admin-reports.js';
import './http/social/block.js';
import './http/social/blocks.js';
import './http/social/follow.js';
import './http/social/followers.js';
import './http/social/following.js';
import './http/social/friends.js';
import './http/social/patch-preferences.js';
import './http/social/preferences.js';
import './http/social/privacy.js';
import './http/social/put-preferences.js';
import './http/social/reindex-players.js';
import './http/social/reject-follower.js';
import './http/social/report-user.js';
import './http/social/resolve-report.js';
import './http/social/search-players.js';
import './http/social/unblock.js';
import './http/social/unfollow.js';
import './http/social/update-privacy.js';
import './http/wallet/get-wallet.js';
import './http/wallet/list-transactions.js';
import './http/wallet/post-transaction.js';
import './http/graphql/graphql.js';
import './timers/deliver-mail.js';
import './timers/leaderboard-reset.js';
import './timers/match-repair.js';
import './timers/presence-sweep.js';
import './timers/relay-events.js';
import './timers/sync-activity.js';

// Validate every setting at cold start: a missing one stops the app with its name, not a 500 later.
const config = getConfig();

// OpenTelemetry only with Application Insights configured; the exporter is not even imported otherwise.
// The operational counters go along as OpenTelemetry metrics, read from the services when collected.
await startTelemetry(config, undefined, async () => snapshotMetrics((await getServices()).metrics));

// One JSON line per invocation in Azure (REQUEST_LOG); the local host keeps its short line unless asked.
if (config.telemetry.requestLog === 'json') installInvocationLog();

app.setup({ enableHttpStream: false });

// Close pooled connections and hash workers when the host shuts the worker down.
app.hook.appTerminate(async () => {
  await closeServices();
});
