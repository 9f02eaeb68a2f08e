/**
 * `npm start`: the whole system on one machine, no Azure account and no Docker. Starts Azurite,
 * the Cosmos DB and Service Bus stand-ins, checks Redis, then runs the functions in the project's
 * local host (or in Core Tools with --func). Ctrl-C stops everything it started.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCosmos, ensureCosmosSchema } from '../../functions/adapters/cosmos/client.js';
import { ConfigError, loadConfig } from '../../functions/platform/config.js';
import { PROJECT_ROOT } from '../../functions/platform/version.js';
import { hostEnvironment, LOCAL_DEFAULTS, readLocalSettingsFile, settingOf, STAND_IN_PLACEHOLDERS, type SettingsSources, type SettingValues } from './settings.js';
import { withDeadline } from './deadline.js';
import { checkRedis, startAzurite, startCosmosStandIn, stopChild, type Running } from './stand-ins.js';
import { startEmailStandIn } from '../email/server.js';
// The other stand-ins are imported when started: Azurite's process boots meanwhile, and those not
// asked for (OpenAI, identity) are never loaded.

const HELP = `Usage: npm start -- [options]

Starts the player-accounts Functions app locally with its stand-ins:
Azurite (AzureWebJobsStorage), the Cosmos DB stand-in and the Service Bus stand-in (infra/topology.json)
in memory, plus your Redis at REDIS_URL, and the ACS Email stand-in (mails at <host>/dev/mailbox).

Options:
  --port <n>           port of the functions host (default 7071; 0 picks a free one)
  --host <address>     address to listen on (default 127.0.0.1)
  --settings <file>    settings file in Core Tools format (default ./local.settings.json if present;
                       "none" ignores it)
  --func               run Azure Functions Core Tools (func start) instead of the built-in host
  --ready-file <file>  once up, write the endpoints as JSON there (for scripts and tests)
  --verbose            log host internals too
  --log-format <f>     "short" (default): one line per request; "json": the app's structured JSON
                       line per request and per timer or subscriber run, as in Azure; "none": no
                       line per request (errors still are), for load tests
  --script-root <dir>  the app the built-in host serves (default: this project; tests use fixtures)
  --openai-stand-in    answer /api/game/ai from a local OpenAI-compatible stand-in (canned replies),
                       instead of a real provider at OPENAI_BASE_URL with OPENAI_API_KEY
  --identity-stand-ins start a local OIDC issuer and a Steam Web API stand-in for device, OIDC and
                       Steam sign-in (their URLs are printed; mint tokens and tickets with POST /mint)
  --help               this text

Settings come from the file's "Values", else the environment, else local defaults.
Set ServiceBusConnection to use a real namespace or Microsoft's emulator (README: "Using Microsoft's
Service Bus emulator") instead of the Service Bus stand-in.`;

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '7071' },
    host: { type: 'string', default: '127.0.0.1' },
    settings: { type: 'string' },
    func: { type: 'boolean', default: false },
    'ready-file': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'log-format': { type: 'string', default: 'short' },
    'script-root': { type: 'string' },
    help: { type: 'boolean', default: false },
    'openai-stand-in': { type: 'boolean', default: false },
    'identity-stand-ins': { type: 'boolean', default: false },
  },
});

if (!['short', 'json', 'none'].includes(args['log-format'])) {
  console.error(`--log-format is "short", "json" or "none", not "${args['log-format']}"`);
  process.exit(2);
}

if (args.help) {
  console.log(HELP);
  process.exit(0);
}

const projectRoot = PROJECT_ROOT;
const log = (line: string) => console.log(line);
const started: Running[] = [];
/** Child processes to kill outright should the launcher exit with them still running. */
const children: ChildProcess[] = [];
let host: ChildProcess | undefined;
let shuttingDown: Promise<never> | undefined;

/** The host gets this long to stop before it is killed; it gives up on its own work sooner. */
const HOST_STOP_GRACE_MS = 5_000;
/** Each stand-in's stop, and the whole shutdown: past these, what is left is killed. */
const STAND_IN_STOP_DEADLINE_MS = 6_000;
const SHUTDOWN_DEADLINE_MS = 15_000;

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Stops everything once; a second call (a signal, the parent dying) waits for the first. */
function shutdown(code: number): Promise<never> {
  shuttingDown ??= (async () => {
    setTimeout(() => process.exit(code), SHUTDOWN_DEADLINE_MS);
    const child = host;
    if (child) {
      // The built-in host is asked over IPC; Core Tools with SIGTERM. Either way SIGKILL follows the grace.
      await stopChild(child, HOST_STOP_GRACE_MS, () => (child.connected ? child.send({ type: 'stop' }) : child.kill('SIGTERM')));
    }
    for (const part of started.reverse()) await withDeadline(part.stop(), STAND_IN_STOP_DEADLINE_MS);
    process.exit(code);
  })();
  return shuttingDown;
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// Whichever way the launcher ends (an exception included), no child it started outlives it.
process.on('exit', () => {
  for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
});

// Under `npm start` the parent is the shell running "npm run build && node ...". Stopping npm alone
// (SIGTERM, as `kill`, `timeout` and process managers do) kills that shell, which does not pass the
// signal on: the launcher is left running with a new parent. Stop as soon as the parent changes,
// but only under npm: `nohup node dist/infra/local/start.js &` is meant to outlive its shell.
if (process.env['npm_lifecycle_event']) {
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid) void shutdown(0);
  }, 500).unref();
}

/** A signing key for this run only: tokens stop verifying when the stack restarts. */
function ephemeralSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return JSON.stringify(privateKey.export({ format: 'jwk' }));
}

async function startHost(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  if (args.func) {
    const child = spawn('func', ['start', '--port', args.port], { cwd: projectRoot, env, stdio: 'inherit' });
    children.push(child);
    let spawnError: Error | undefined;
    child.once('error', (error) => (spawnError = error));
    const url = `http://localhost:${args.port}`;
    for (let i = 0; i < 240; i++) {
      if (spawnError) throw new Error(`--func could not run func (Azure Functions Core Tools must be on the PATH): ${spawnError.message}`);
      if (child.exitCode !== null) throw new Error(`func exited with code ${child.exitCode}`);
      const ok = await fetch(`${url}/admin/host/status`).then((r) => r.ok, () => false);
      if (ok) return { url, child };
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('func did not answer /admin/host/status within 2 minutes');
  }
  const hostMain = fileURLToPath(new URL('./host-main.js', import.meta.url));
  const hostArgs = ['--port', args.port, '--host', args.host, '--script-root', resolve(args['script-root'] ?? projectRoot), '--log-format', args['log-format'], ...(args.verbose ? ['--verbose'] : [])];
  const child = fork(hostMain, hostArgs, { cwd: projectRoot, env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'ready' && message.url) resolveUrl(message.url);
    });
    child.once('exit', (code) => reject(new Error(`the functions host exited with code ${code}`)));
  });
  return { url, child };
}

async function startIdentityStandIns(): Promise<Record<string, string>> {
  const [{ startOidcIssuer }, { startSteamStandIn }] = await Promise.all([import('../identity/oidc-issuer.js'), import('../identity/steam.js')]);
  const [oidc, steam] = await Promise.all([startOidcIssuer(), startSteamStandIn({ publisherKey: 'local-steam-publisher-key', appId: 480 })]);
  started.push(oidc, steam);
  Object.assign(pendingSettings, {
    IDENTITY_STAND_IN_OIDC_ISSUER: oidc.issuer,
    STEAM_WEB_API_URL: steam.url,
    STEAM_PUBLISHER_KEY: steam.publisherKey,
    STEAM_APP_ID: String(steam.appId),
  });
  log(`oidc: ${oidc.issuer} (issuer stand-in; POST ${oidc.issuer}/mint {sub, aud} for an ID token)`);
  log(`steam: ${steam.url} (Steam Web API stand-in, key ${steam.publisherKey}, app ${steam.appId}; POST ${steam.url}/mint {steamId} for a ticket)`);
  return { oidcIssuer: oidc.issuer, steamWebApiUrl: steam.url };
}

async function startOpenAi(sources: SettingsSources): Promise<void> {
  if (settingOf('OPENAI_BASE_URL', sources) !== undefined) throw new Error('--openai-stand-in replaces OPENAI_BASE_URL: unset one of them');
  const { startOpenAiStandIn } = await import('../openai/server.js');
  const openai = await startOpenAiStandIn();
  started.push(openai);
  pendingSettings['OPENAI_BASE_URL'] = openai.baseUrl;
  if (settingOf('OPENAI_API_KEY', sources) === undefined) pendingSettings['OPENAI_API_KEY'] = 'local-stand-in';
  log(`openai: ${openai.baseUrl} (stand-in with canned replies)`);
}

/**
 * The settings the host will read, checked before anything starts: a malformed one stops the
 * stack at once, naming it. What the stand-ins will provide is filled in with placeholders.
 */
function checkSettings(sources: SettingsSources): void {
  try {
    loadConfig(hostEnvironment(sources, STAND_IN_PLACEHOLDERS));
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.message);
    throw error;
  }
}

/** One stand-in: started, registered for the stop, and the settings it gives the host. */
async function standIn<T extends Running>(start: () => Promise<T>, describe: (running: T) => { settings: SettingValues; line: string }): Promise<T> {
  const running = await start();
  started.push(running);
  const { settings, line } = describe(running);
  Object.assign(pendingSettings, settings);
  log(line);
  return running;
}

const pendingSettings: SettingValues = {};

async function main(): Promise<void> {
  const settingsPath = args.settings === 'none' ? null : resolve(args.settings ?? 'local.settings.json');
  const file: SettingValues = settingsPath ? readLocalSettingsFile(settingsPath) : {};
  const sources: SettingsSources = { file, env: process.env, defaults: LOCAL_DEFAULTS };
  const extra = pendingSettings;
  checkSettings(sources);

  const redisUrl = settingOf('REDIS_URL', sources) as string;
  const database = settingOf('COSMOS_DATABASE', sources) ?? 'player-accounts';

  // Azurite, the slowest to start, goes first. The built-in host uses no storage account, so it
  // starts beside Azurite; Core Tools keeps its timer state there, so with --func it waits for it.
  const azuriteStarting = standIn(
    () => startAzurite(log),
    (a) => ({ settings: { AzureWebJobsStorage: a.connectionString }, line: `azurite: ${a.blobEndpoint} (AzureWebJobsStorage)` }),
  );
  // Awaited below; should something else fail first, the launcher stops anyway (not an unhandled rejection).
  azuriteStarting.catch(() => undefined);

  // Nothing else depends on another: Redis is checked and the stand-ins start side by side, and
  // the Cosmos schema is made as soon as Cosmos answers, so the stack is up sooner.
  const useWebPubSubStandIn = settingOf('WEBPUBSUB_CONNECTION_STRING', sources) === undefined && settingOf('WEBPUBSUB_ENDPOINT', sources) === undefined;
  const [, , , email, identity, webPubSub] = await Promise.all([
    checkRedis(redisUrl).then(() => log(`redis: ${redisUrl.replace(/\/\/[^@/]*@/, '//***@')}`)),
    (settingOf('COSMOS_ENDPOINT', sources) === undefined
      ? standIn(startCosmosStandIn, (cosmos) => ({
          // The stand-in checks no signature; any key selects key auth over managed identity.
          settings: { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'local-stand-in' },
          line: `cosmos: ${cosmos.endpoint} (in-memory stand-in)`,
        }))
      : Promise.resolve()
    ).then(async () => {
      const endpoint = (settingOf('COSMOS_ENDPOINT', sources) ?? extra['COSMOS_ENDPOINT']) as string;
      const handle = await createCosmos({ endpoint, key: settingOf('COSMOS_KEY', sources) ?? extra['COSMOS_KEY'], database }, settingOf('AZURE_CLIENT_ID', sources));
      try {
        await ensureCosmosSchema(handle);
      } finally {
        handle.client.dispose();
      }
    }),
    settingOf('ServiceBusConnection', sources) === undefined
      ? standIn(
          async () => {
            const { loadTopology, startServiceBusStandIn } = await import('../servicebus/index.js');
            const bus = await startServiceBusStandIn({ topology: loadTopology(), port: 0 });
            return { bus, stop: () => bus.close() };
          },
          ({ bus }) => ({ settings: { ServiceBusConnection: bus.connectionString }, line: `servicebus: 127.0.0.1:${bus.port} (in-memory stand-in, ServiceBusConnection)` }),
        )
      : undefined,
    // The email stand-in always runs, so mails can be read at /dev/mailbox.
    standIn(startEmailStandIn, (mail) => ({
      settings: {
        EMAIL_ENDPOINT: mail.endpoint,
        EMAIL_CONNECTION_STRING: mail.connectionString,
        EMAIL_SENDER: 'DoNotReply@local.test',
        LOCAL_MAILBOX_URL: `${mail.endpoint}mailbox`,
        // Links in mails open the local host's pages, which post the token to the API (README: Email).
        ...(settingOf('EMAIL_LINK_BASE_URL', sources) === undefined && args.port !== '0' ? { EMAIL_LINK_BASE_URL: `http://localhost:${args.port}/dev/email` } : {}),
      },
      line: `email: ${mail.endpoint} (ACS Email stand-in; mails at <host>/dev/mailbox)`,
    })),
    args['identity-stand-ins'] ? startIdentityStandIns() : Promise.resolve({}),
    // Realtime push: the Web PubSub stand-in unless a real service is configured. Its event handler
    // is the host's /api/realtime/upstream, known once the host listens.
    useWebPubSubStandIn
      ? standIn(
          async () => (await import('../webpubsub/index.js')).startWebPubSubStandIn({ log: (line) => log(`[webpubsub] ${line}`) }),
          (wps) => ({
            settings: { WEBPUBSUB_CONNECTION_STRING: wps.connectionString, WEBPUBSUB_ENDPOINT: wps.endpoint },
            line: `webpubsub: ${wps.endpoint} (stand-in, WEBPUBSUB_CONNECTION_STRING; events to /api/realtime/upstream)`,
          }),
        )
      : undefined,
    // The OpenAI stand-in only on request; with nothing configured the endpoint answers 503.
    args['openai-stand-in'] ? startOpenAi(sources) : undefined,
  ]);
  if (settingOf('WEBPUBSUB_HUB', sources) === undefined) extra['WEBPUBSUB_HUB'] = 'game';
  const serviceBusConnectionString = (settingOf('ServiceBusConnection', sources) ?? extra['ServiceBusConnection']) as string;

  const cosmosEndpoint = (settingOf('COSMOS_ENDPOINT', sources) ?? extra['COSMOS_ENDPOINT']) as string;

  if (settingOf('JWT_SIGNING_KEY', sources) === undefined) {
    extra['JWT_SIGNING_KEY'] = ephemeralSigningKey();
    log('jwt: generated an ephemeral Ed25519 signing key; tokens stop verifying when the stack restarts (set JWT_SIGNING_KEY to keep them)');
  }

  // The app's JSON line per invocation is for Azure; locally the host's short line is enough unless asked.
  if (settingOf('REQUEST_LOG', sources) === undefined) extra['REQUEST_LOG'] = args['log-format'] === 'json' ? 'json' : 'off';
  if (args.func) await azuriteStarting;
  const env = hostEnvironment(sources, extra);
  const { url, child } = await startHost(env);
  host = child;
  const azurite = await azuriteStarting;
  webPubSub?.setUpstream(`${url}/api/realtime/upstream`);
  child.once('exit', (code) => {
    if (!shuttingDown) {
      log(`the functions host exited (code ${code}); stopping the stack`);
      void shutdown(code ?? 1);
    }
  });

  if (args['ready-file']) {
    writeFileSync(
      args['ready-file'],
      JSON.stringify({
        url,
        api: `${url}/api`,
        cosmosEndpoint,
        cosmosDatabase: database,
        redisUrl,
        serviceBusConnectionString,
        webPubSubConnectionString: env['WEBPUBSUB_CONNECTION_STRING'],
        webPubSubHub: env['WEBPUBSUB_HUB'],
        keyPrefix: env['REDIS_KEY_PREFIX'] ?? 'pa:',
        email: { endpoint: email.endpoint, connectionString: email.connectionString },
        ...identity,
        pids: { launcher: process.pid, host: child.pid, azurite: azurite.pid },
      }),
    );
  }
  log(`\nReady: ${url}/api  (try: curl ${url}/api/health; admin console: ${url}/console/). Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  void shutdown(1);
});
