/**
 * One activity sync run in a process of its own, so the sync benchmark can kill it with SIGKILL
 * in the middle. Settings come from the environment, as in Azure.
 */
import { syncActivity } from '../functions/core/activity/sync.js';
import { closeServices, getServices } from '../functions/platform/services.js';

const services = await getServices();
const report = await syncActivity(services.sync, { maxItems: 10_000_000, batchSize: services.config.activity.syncBatch, timeBudgetMs: 3_600_000 });
console.log(JSON.stringify(report));
await closeServices();
