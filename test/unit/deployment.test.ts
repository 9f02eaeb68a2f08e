/**
 * bicep/ against the code, without a Bicep compiler: the app settings against SETTINGS, the Cosmos
 * containers against CONTAINERS, the Service Bus entities against infra/topology.json, and the
 * azd wiring (parameters, azure.yaml, the package staged for Azure). Everything the app side is
 * read from the code, so a setting or container a teammate adds fails here until bicep has it.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTAINERS } from '../../functions/adapters/cosmos/client.js';
import { parseSigningKey } from '../../functions/adapters/jwt/access-tokens.js';
import { SECRET_SETTING_NAMES, SETTINGS } from '../../functions/platform/config.js';
import { azdEnvSet, GENERATED, missingSecrets } from '../../bicep/hooks/preprovision.mjs';
import { stagePackage } from '../../bicep/hooks/stage-package.mjs';
import { appSettings, block, moduleRefs, objectLiteral, params, readBicep } from '../support/bicep-text.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mainPath = join(root, 'bicep', 'main.bicep');
const main = readBicep(mainPath);
const mainText = main.join('\n');
const settingsInBicep = appSettings(main);
const bicepNames = new Set(settingsInBicep.map((s) => s.name));

/**
 * Settings the Functions host, its bindings or its Application Insights integration read, not
 * the app's config. Bicep may set these and only these beyond SETTINGS.
 */
const HOST_SETTINGS = [
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__queueServiceUri',
  'AzureWebJobsStorage__tableServiceUri',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  'ServiceBusConnection__fullyQualifiedNamespace',
  'ServiceBusConnection__credential',
  'ServiceBusConnection__clientId',
];
/** Settings Flex Consumption refuses or sets itself (functionAppConfig replaces them). */
const FLEX_REFUSED = ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTSHARE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'WEBSITE_NODE_DEFAULT_VERSION'];

type Schema = (typeof SETTINGS)[keyof typeof SETTINGS];
const settings = Object.entries(SETTINGS) as [string, Schema][];
const isLocalOnly = (s: Schema) => s.description === 'local-only';
/** No default, not optional, not local-only; or optional but marked as needed in Azure. */
const requiredInAzure = settings
  .filter(([, s]) => (!s.safeParse(undefined).success && !isLocalOnly(s)) || s.description === 'azure-required')
  .map(([name]) => name);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
const appSources = sourceFiles(join(root, 'functions')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

const kebab = (name: string) => name.toLowerCase().replace(/_/g, '-');

describe('bicep app settings against the app', () => {
  it('reads the app settings block', () => {
    expect(settingsInBicep.length).toBeGreaterThan(10);
    expect(new Set(settingsInBicep.map((s) => s.name)).size).toBe(settingsInBicep.length);
  });

  it('sets every setting the app needs in Azure', () => {
    expect(requiredInAzure).toContain('COSMOS_ENDPOINT');
    expect(requiredInAzure.filter((name) => !bicepNames.has(name))).toEqual([]);
  });

  it('sets nothing the app or the Functions host does not read', () => {
    const known = new Set([...Object.keys(SETTINGS), ...HOST_SETTINGS]);
    expect([...bicepNames].filter((name) => !known.has(name))).toEqual([]);
  });

  it('leaves local-only settings, secrets (read from the vault) and the settings Flex Consumption refuses unset', () => {
    const localOnly = settings.filter(([, s]) => isLocalOnly(s) || s.description === 'secret').map(([name]) => name);
    expect(localOnly).toEqual(expect.arrayContaining(['COSMOS_KEY', 'JWT_SIGNING_KEY', 'OPENAI_API_KEY']));
    expect([...localOnly, ...FLEX_REFUSED].filter((name) => bicepNames.has(name))).toEqual([]);
  });

  it('sets every %SETTING% a trigger binds to and every identity connection a trigger uses', () => {
    const bound = appSources.flatMap(({ text }) => [...text.matchAll(/%([A-Za-z0-9_]+)%/g)].map((m) => m[1]!));
    const connections = appSources.flatMap(({ text }) => [...text.matchAll(/\bconnection: '([A-Za-z0-9_]+)'/g)].map((m) => m[1]!));
    const needed = [...bound, ...connections.flatMap((c) => [`${c}__fullyQualifiedNamespace`, `${c}__credential`, `${c}__clientId`])];
    expect(needed.filter((name) => !bicepNames.has(name))).toEqual([]);
  });

  it('puts every secret the app reads in the vault under its kebab-case name, never in an app setting', () => {
    const secureParams = params(main).filter((p) => p.secure).map((p) => p.name);
    for (const setting of settingsInBicep) {
      for (const param of secureParams) expect(setting.value, `${setting.name} must not hold ${param} in clear`).not.toMatch(new RegExp(`\\b${param}\\b`));
      expect(setting.value, `${setting.name}: the app reads secrets from the vault itself`).not.toContain('@Microsoft.KeyVault(');
    }
    const vaultSecrets = block(main, 'module keyVault ')
      .flatMap((l) => [...l.matchAll(/\{ name: '([a-z0-9-]+)', value: ([A-Za-z]+) \}/g)])
      .map((m) => ({ name: m[1]!, param: m[2]! }));
    // The secret provider reads exactly these names (functions/adapters/keyvault/secret-names.ts).
    expect(vaultSecrets.map((s) => s.name).sort()).toEqual(SECRET_SETTING_NAMES.map((name) => kebab(name)).sort());
    for (const secret of vaultSecrets) expect(secureParams, secret.name).toContain(secret.param);
    expect(bicepNames.has('KEY_VAULT_URI')).toBe(true);
  });

  it('uses no keys: no listKeys(), no connection strings with keys, local auth off', () => {
    const bicepFiles = readdirSync(join(root, 'bicep'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.bicep'));
    for (const file of bicepFiles) {
      const text = readFileSync(join(root, 'bicep', file), 'utf8');
      expect(text, file).not.toMatch(/list(Keys|ConnectionStrings)\s*\(|AccountKey=|SharedAccessKey=/);
    }
    expect(mainText).toMatch(/allowSharedKeyAccess: false/);
    expect(mainText).toMatch(/disableLocalAuthentication: true/);
    expect(mainText).toMatch(/disableLocalAuth: true[\s\S]*disableLocalAuth: true/); // App Insights and Service Bus
    expect(mainText).toMatch(/accessKeysAuthentication: 'Disabled'/);
    expect(mainText).toMatch(/enableRbacAuthorization: true/);
  });
});

describe('bicep Redis against what the app relies on', () => {
  it('keeps the deny list from eviction and its data across a restart (AOF every second)', () => {
    const redis = mainText.slice(mainText.indexOf("module redis '"));
    const database = redis.slice(redis.indexOf('database: {'), redis.indexOf('port: 10000'));
    expect(database).toContain("evictionPolicy: 'NoEviction'");
    expect(database).toContain("persistence: { type: 'aof', frequency: '1s' }");
  });
});

describe('bicep CORS against the app', () => {
  it('feeds siteConfig.cors and CORS_ALLOWED_ORIGINS from one parameter, split the way the app splits it', () => {
    const param = params(main).find((p) => p.name === 'corsAllowedOrigins');
    expect(param).toMatchObject({ hasDefault: true, secure: false });
    expect(mainText).toMatch(/^param corsAllowedOrigins string = ''$/m);
    expect(settingsInBicep.find((s) => s.name === 'CORS_ALLOWED_ORIGINS')?.value).toBe('corsAllowedOrigins');
    const site = block(main, 'module functionApp ').join('\n');
    expect(site).toMatch(/^ {4}siteConfig: \{\n {6}alwaysOn: false\n {6}cors: \{\n {8}allowedOrigins: filter\(map\(split\(corsAllowedOrigins, ','\), origin => trim\(origin\)\), origin => !empty\(origin\)\)\n {8}supportCredentials: false\n/m);
    // The same default: no cross-origin access.
    expect(SETTINGS.CORS_ALLOWED_ORIGINS.parse(undefined)).toEqual([]);
  });
});

describe('bicep Cosmos DB containers against CONTAINERS', () => {
  const inBicep = block(main, 'var cosmosContainers = [').map((line) => objectLiteral(line));
  const inCode = (Object.values(CONTAINERS) as { id: string; partitionKey: string; defaultTtl?: number }[]).map((c) => ({ ...c }));

  it('creates every container the code uses, and no other, with the same partition key and ttl', () => {
    const byId = (list: Record<string, unknown>[]) => [...list].sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    expect(byId(inBicep)).toEqual(byId(inCode));
  });

  it('maps each entry into the database the app is told to use', () => {
    const cosmos = block(main, 'module cosmos ').join('\n');
    expect(cosmos).toMatch(/name: cosmosDatabaseName/);
    expect(cosmos).toMatch(/containers: map\(cosmosContainers, container => \{/);
    expect(cosmos).toMatch(/name: container\.id\n/);
    expect(cosmos).toMatch(/paths: \[container\.partitionKey\]\n/);
    expect(cosmos).toMatch(/defaultTtl: container\.\?defaultTtl\n/);
    expect(settingsInBicep.find((s) => s.name === 'COSMOS_DATABASE')?.value).toBe('cosmosDatabaseName');
  });
});

describe('bicep Service Bus entities against infra/topology.json', () => {
  const topologyPath = join(root, 'infra', 'topology.json');
  const topology = JSON.parse(readFileSync(topologyPath, 'utf8')) as {
    topics: { name: string; requiresDuplicateDetection?: boolean; subscriptions: { name: string; rules?: Record<string, unknown>[] }[] }[];
  };

  it('loads the topology file itself, one source for bicep and the stand-in', () => {
    const load = /^var topology = loadJsonContent\('([^']+)'\)$/m.exec(mainText);
    expect(load).not.toBeNull();
    expect(resolve(dirname(mainPath), load![1]!)).toBe(topologyPath);
  });

  it('maps every topic, subscription and rule into the Service Bus module', () => {
    expect(mainText).toMatch(/var serviceBusTopics = map\(topology\.topics, topic => union\(topic, \{/);
    expect(mainText).toMatch(/subscriptions: map\(topic\.subscriptions, subscription => union\(subscription, \{/);
    expect(mainText).toMatch(/map\(subscription\.rules, rule => union\(rule, \{/);
    expect(block(main, 'module serviceBus ').join('\n')).toMatch(/^ {4}topics: serviceBusTopics$/m);
  });

  // Fields pass through to avm/res/service-bus/namespace (0.17.0) as they are: a field its types
  // do not know would fail the deployment, so it fails here first.
  const TOPIC_FIELDS = ['name', 'authorizationRules', 'autoDeleteOnIdle', 'defaultMessageTimeToLive', 'duplicateDetectionHistoryTimeWindow', 'enableBatchedOperations', 'enableExpress', 'enablePartitioning', 'maxMessageSizeInKilobytes', 'maxSizeInMegabytes', 'requiresDuplicateDetection', 'status', 'supportOrdering', 'subscriptions'];
  const SUBSCRIPTION_FIELDS = ['name', 'autoDeleteOnIdle', 'clientAffineProperties', 'deadLetteringOnMessageExpiration', 'deadLetteringOnFilterEvaluationExceptions', 'defaultMessageTimeToLive', 'duplicateDetectionHistoryTimeWindow', 'enableBatchedOperations', 'forwardDeadLetteredMessagesTo', 'forwardTo', 'isClientAffine', 'lockDuration', 'maxDeliveryCount', 'requiresSession', 'rules', 'status'];
  const RULE_FIELDS = ['name', 'action', 'correlationFilter', 'sqlFilter', 'filterType'];

  it('has only fields the module accepts, and duplicate detection on every topic', () => {
    for (const topic of topology.topics) {
      expect(Object.keys(topic).filter((k) => !TOPIC_FIELDS.includes(k)), topic.name).toEqual([]);
      expect(topic.requiresDuplicateDetection, topic.name).toBe(true);
      for (const subscription of topic.subscriptions) {
        expect(Object.keys(subscription).filter((k) => !SUBSCRIPTION_FIELDS.includes(k)), subscription.name).toEqual([]);
        for (const rule of subscription.rules ?? []) {
          expect(Object.keys(rule).filter((k) => !RULE_FIELDS.includes(k)), String(rule['name'])).toEqual([]);
          expect(rule['name']).not.toBe('$Default'); // bicep adds its own
        }
      }
    }
  });

  it("grants the app's identity the roles Microsoft documents for Service Bus publishing and the trigger, scaling included", () => {
    const roleIds = objectLiteral(`{ ${block(main, 'var roles = {').map((l) => l.trim()).join(', ')} }`);
    // Built-in role definition ids (Azure RBAC built-in roles): Sender; trigger: Receiver and Owner.
    expect(roleIds).toMatchObject({
      serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
      serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
      serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419',
    });
    const appServiceBusRoles = block(main, 'var appGrants = [').flatMap((line) => /^ {2}\{ on: 'serviceBus', role: roles\.(\w+)/.exec(line)?.[1] ?? []);
    expect(appServiceBusRoles.sort()).toEqual(['serviceBusDataOwner', 'serviceBusDataReceiver', 'serviceBusDataSender']);
  });

  it('names the user events topic the way the app defaults to it', () => {
    expect(settingsInBicep.find((s) => s.name === 'USER_EVENTS_TOPIC')?.value).toBe('topology.topics[0].name');
    expect(topology.topics[0]?.name).toBe(SETTINGS.USER_EVENTS_TOPIC.parse(undefined));
  });
});

describe('azd wiring', () => {
  it('pins every Azure Verified Module to a version', () => {
    const refs = [...moduleRefs(main), ...moduleRefs(readBicep(join(root, 'bicep', 'modules', 'access.bicep')))];
    const registry = refs.filter((m) => m.ref.startsWith('br/'));
    expect(registry.length).toBeGreaterThanOrEqual(10);
    for (const m of registry) expect(m.ref, m.name).toMatch(/^br\/public:avm\/(res|ptn|utl)\/[a-z0-9/-]+:\d+\.\d+\.\d+$/);
    for (const m of refs.filter((r) => !r.ref.startsWith('br/'))) expect(existsSync(join(root, 'bicep', m.ref)), m.ref).toBe(true);
  });

  it('gives every parameter without a default a value in main.parameters.json, and no unknown ones', () => {
    const file = JSON.parse(readFileSync(join(root, 'bicep', 'main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: string }> };
    const declared = params(main);
    const mapped = Object.keys(file.parameters);
    expect(declared.filter((p) => !p.hasDefault && !mapped.includes(p.name)).map((p) => p.name)).toEqual([]);
    expect(mapped.filter((name) => !declared.some((p) => p.name === name))).toEqual([]);
    expect(file.parameters['environmentName']?.value).toBe('${AZURE_ENV_NAME}');
    expect(file.parameters['location']?.value).toBe('${AZURE_LOCATION}');
    expect(file.parameters['principalId']?.value).toBe('${AZURE_PRINCIPAL_ID}');
    // Secrets come from azd environment variables named like the app settings they become.
    expect(file.parameters['jwtSigningKey']?.value).toBe('${JWT_SIGNING_KEY}');
    expect(file.parameters['adminBootstrapToken']?.value).toBe('${ADMIN_BOOTSTRAP_TOKEN}');
  });

  it('points azure.yaml at bicep/ and the staged package, with hooks that exist', () => {
    const yaml = readFileSync(join(root, 'azure.yaml'), 'utf8');
    expect(yaml).toMatch(/^infra:\n {2}provider: bicep\n {2}path: bicep\n/m);
    expect(yaml).toMatch(/^ {2}api:\n {4}project: \.\n {4}language: ts\n {4}host: function\n/m);
    expect(yaml).toMatch(/^ {4}dist: \.deploy$/m);
    expect(yaml).toMatch(/^ {4}remoteBuild: false$/m);
    for (const [, script] of yaml.matchAll(/run: node (\S+)/g)) expect(existsSync(join(root, script!)), script).toBe(true);
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toMatch(/^\.deploy\/$/m);
  });

  it('keeps node_modules out of .funcignore (azd refuses it with remoteBuild: false) and anchors folders', () => {
    const patterns = readFileSync(join(root, '.funcignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(patterns.filter((p) => /node_modules/.test(p))).toEqual([]);
    // An unanchored "functions/" would also drop node_modules/@azure/functions.
    expect(patterns.filter((p) => p.endsWith('/') && !p.startsWith('/'))).toEqual([]);
  });
});

describe('the package staged for Azure', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'stage-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const files = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
      .sort();

  it('holds the compiled app, the console, host.json, package files and .funcignore, nothing else', () => {
    const project = join(tmp, 'project');
    const write = (path: string, text = '') => {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    };
    for (const f of ['dist/functions/index.js', 'dist/functions/index.js.map', 'dist/functions/http/a.js', 'dist/functions/http/a.d.ts', 'dist/console/index.html', 'dist/console/assets/index-abc.js', 'dist/console/assets/index-abc.js.map', 'dist/infra/local/start.js', 'dist/bench/login.js', 'functions/index.ts', 'test/x.test.ts', 'host.json', 'package.json', 'package-lock.json', '.funcignore', 'README.md']) write(f);
    stagePackage({ root: project, out: join(tmp, 'out'), build: false, install: false });
    expect(files(join(tmp, 'out'))).toEqual(['.funcignore', 'dist/console/assets/index-abc.js', 'dist/console/index.html', 'dist/functions/http/a.js', 'dist/functions/index.js', 'host.json', 'package-lock.json', 'package.json']);
  });

  /** A project whose `npm run build` writes dist/functions/index.js saying `fresh`, like tsc would. */
  function buildableProject(name: string, buildScript: string) {
    const project = join(tmp, name);
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name, private: true, scripts: { build: buildScript } }));
    for (const f of ['host.json', 'package-lock.json', '.funcignore']) writeFileSync(join(project, f), '');
    return project;
  }
  const writeFresh = `node -e "require('fs').mkdirSync('dist/functions',{recursive:true});require('fs').writeFileSync('dist/functions/index.js','fresh')"`;

  it('builds before it stages: azd runs prepackage before its own build, so a fresh clone has no dist/', () => {
    const project = buildableProject('fresh-clone', writeFresh);
    stagePackage({ root: project, out: join(tmp, 'out-fresh'), install: false });
    expect(readFileSync(join(tmp, 'out-fresh', 'dist/functions/index.js'), 'utf8')).toBe('fresh');
  });

  it('never stages an old build: dist/functions is rebuilt from scratch', () => {
    const project = buildableProject('old-build', writeFresh);
    mkdirSync(join(project, 'dist/functions/http'), { recursive: true });
    writeFileSync(join(project, 'dist/functions/index.js'), 'stale');
    writeFileSync(join(project, 'dist/functions/http/deleted-trigger.js'), 'stale');
    stagePackage({ root: project, out: join(tmp, 'out-old'), install: false });
    expect(readFileSync(join(tmp, 'out-old', 'dist/functions/index.js'), 'utf8')).toBe('fresh');
    expect(existsSync(join(tmp, 'out-old', 'dist/functions/http/deleted-trigger.js'))).toBe(false);
  });

  it('stops when the build fails, staging nothing', () => {
    const project = buildableProject('broken', 'node -e "process.exit(2)"');
    expect(() => stagePackage({ root: project, out: join(tmp, 'out-broken'), install: false })).toThrow(/npm run build/);
    expect(existsSync(join(tmp, 'out-broken'))).toBe(false);
  });

  it('needs nothing outside functions/ and no devDependency at run time', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; main: string };
    expect(pkg.main).toBe('dist/functions/index.js');
    const builtins = new Set(builtinModules);
    for (const { path, text } of appSources) {
      for (const [, spec] of text.matchAll(/(?:from|import\(|require\()\s*'([^']+)'/g)) {
        if (spec!.startsWith('.')) {
          expect(resolve(dirname(path), spec!).startsWith(join(root, 'functions')), `${relative(root, path)} imports ${spec}`).toBe(true);
        } else if (!spec!.startsWith('node:') && !builtins.has(spec!)) {
          const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
          expect(Object.keys(pkg.dependencies), `${relative(root, path)} imports ${spec}`).toContain(name);
        }
      }
    }
  });
});

describe('preprovision hook', () => {
  it('hands azd a value starting with "-" as the value, not as a flag', () => {
    // A stand-in for azd that parses its command line the way cobra does: anything starting with
    // "-" before a bare "--" is a flag, and azd env set has none of these.
    const dir = mkdtempSync(join(tmpdir(), 'azd-'));
    const fake = join(dir, 'azd');
    const record = join(dir, 'args.json');
    writeFileSync(
      fake,
      `#!${process.execPath}\n` +
        `const args = process.argv.slice(2); const end = args.indexOf('--');\n` +
        `const flags = (end < 0 ? args : args.slice(0, end)).filter((a) => a.startsWith('-'));\n` +
        `if (flags.length) { console.error('unknown shorthand flag in ' + flags[0]); process.exit(1); }\n` +
        `require('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(args.filter((a, i) => i !== end)));\n`,
    );
    chmodSync(fake, 0o755);
    try {
      for (const value of ['-Jx9kLmQ2', '--help', 'plain', '{"kty":"OKP","d":"-abc"}']) {
        azdEnvSet('ADMIN_BOOTSTRAP_TOKEN', value, fake);
        expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual(['env', 'set', 'ADMIN_BOOTSTRAP_TOKEN', value]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes up the signing key, bootstrap token and device-id hash key when unset, and leaves set ones alone', async () => {
    expect(missingSecrets({ JWT_SIGNING_KEY: 'x', ADMIN_BOOTSTRAP_TOKEN: 'y', DEVICE_ID_HASH_KEY: 'z' })).toEqual([]);
    const made = missingSecrets({ JWT_SIGNING_KEY: '' });
    expect(made.map((s) => s.name).sort()).toEqual(Object.keys(GENERATED).sort());
    // What it makes is what the app accepts.
    const key = made.find((s) => s.name === 'JWT_SIGNING_KEY')!.value;
    await expect(parseSigningKey(key)).resolves.toBeDefined();
    const token = made.find((s) => s.name === 'ADMIN_BOOTSTRAP_TOKEN')!.value;
    expect(SETTINGS.ADMIN_BOOTSTRAP_TOKEN.safeParse(token).success).toBe(true);
    const deviceKey = made.find((s) => s.name === 'DEVICE_ID_HASH_KEY')!.value;
    expect(SETTINGS.DEVICE_ID_HASH_KEY.safeParse(deviceKey).success).toBe(true);
    expect(missingSecrets({})[0]?.value).not.toBe(made[0]?.value);
  });
});

describe('bicep Web PubSub against the app', () => {
  const service = readFileSync(join(root, 'bicep', 'modules', 'webpubsub.bicep'), 'utf8');
  const hub = readFileSync(join(root, 'bicep', 'modules', 'webpubsub-hub.bicep'), 'utf8');

  it('deploys the service with local auth off and the SKU a parameter', () => {
    expect(service).toMatch(/^ {4}disableLocalAuth: true$/m);
    expect(service).toMatch(/^ {4}name: sku$/m);
    expect(params(main).find((p) => p.name === 'webPubSubSku')).toMatchObject({ hasDefault: true });
    expect(mainText).toMatch(/^ {4}sku: webPubSubSku$/m);
  });

  it('points the hub at the upstream route with managed-identity auth, for the audience the app checks', () => {
    expect(hub).toMatch(/urlTemplate: 'https:\/\/\$\{functionAppHostName\}\/api\/realtime\/upstream'/);
    expect(hub).toMatch(/type: 'ManagedIdentity'\n {10}managedIdentity: \{ resource: upstreamAudience \}/);
    expect(hub).toMatch(/systemEvents: \['connect', 'connected', 'disconnected'\]/);
    expect(mainText).toMatch(/^ {4}upstreamAudience: upstreamAudience$/m);
    expect(settingsInBicep.find((s) => s.name === 'WEBPUBSUB_UPSTREAM_AUDIENCE')?.value).toBe('upstreamAudience');
    expect(settingsInBicep.find((s) => s.name === 'WEBPUBSUB_HUB')?.value).toBe('webPubSubHubName');
    expect(mainText).toMatch(/^var webPubSubHubName = '(\w+)'$/m);
    expect(/^var webPubSubHubName = '(\w+)'$/m.exec(mainText)?.[1]).toBe(SETTINGS.WEBPUBSUB_HUB.parse(undefined));
  });

  it('gives the app identity Web PubSub Service Owner (data-plane REST) on the service', () => {
    const roleIds = objectLiteral(`{ ${block(main, 'var roles = {').map((l) => l.trim()).join(', ')} }`);
    expect(roleIds).toMatchObject({ webPubSubServiceOwner: '12cf5a90-567b-43ae-8102-96cf46c7d9b4' });
    expect(block(main, 'var appGrants = [').join('\n')).toMatch(/\{ on: 'webPubSub', role: roles\.webPubSubServiceOwner/);
    expect(readFileSync(join(root, 'bicep', 'modules', 'access.bicep'), 'utf8')).toMatch(/for grant in filter\(grants, g => g\.on == 'webPubSub'\)/);
  });
});
