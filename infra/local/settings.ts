/**
 * Settings for the local stack, as Core Tools reads them: `Values` of local.settings.json when the
 * file is there, else the environment, else defaults that work with the stand-ins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SCHEDULE_DEFAULTS } from '../../functions/platform/config.js';

export type SettingValues = Record<string, string>;

export interface SettingsSources {
  file: SettingValues;
  env: NodeJS.ProcessEnv;
  defaults: SettingValues;
}

/** Defaults that need no stand-in; the launcher adds the stand-ins' endpoints itself. */
export const LOCAL_DEFAULTS: SettingValues = {
  FUNCTIONS_WORKER_RUNTIME: 'node',
  REDIS_URL: 'redis://127.0.0.1:6379',
  // A development game-server client, named in the README: id dev-game-server, secret
  // dev-game-server-secret. Local only; deployments configure their own clients.
  GAME_SERVER_CLIENTS: JSON.stringify([{ id: 'dev-game-server', secretHash: 'sha256:YLgRWkTdrnFCSoSsnjn3a1OSwoLK9Y4OAs3lEr8qGq0' }]),
  // Service Bus triggers name their topic as %USER_EVENTS_TOPIC%: the topic of infra/topology.json.
  USER_EVENTS_TOPIC: 'user-events',
  // Timer triggers bind their schedules as %SETTING%, which the host resolves from app settings.
  ...SCHEDULE_DEFAULTS,
};

/**
 * What the stand-ins will provide, as placeholders of the right shape: enough for the app's
 * start-up validation (the launcher checks settings before anything starts; tests import the app
 * without contacting anything). No placeholder is ever connected to.
 */
export const STAND_IN_PLACEHOLDERS: SettingValues = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  COSMOS_ENDPOINT: 'http://127.0.0.1:1',
  COSMOS_KEY: 'placeholder',
  ServiceBusConnection: 'Endpoint=sb://127.0.0.1;SharedAccessKeyName=k;SharedAccessKey=k;UseDevelopmentEmulator=true',
  JWT_SIGNING_KEY: 'placeholder',
  EMAIL_ENDPOINT: 'http://127.0.0.1:1/',
  EMAIL_CONNECTION_STRING: 'endpoint=http://127.0.0.1:1/;accesskey=cGxhY2Vob2xkZXI=',
  EMAIL_SENDER: 'DoNotReply@local.test',
  WEBPUBSUB_CONNECTION_STRING: 'Endpoint=http://127.0.0.1;Port=1;AccessKey=cGxhY2Vob2xkZXI=;Version=1.0;',
  WEBPUBSUB_ENDPOINT: 'http://127.0.0.1:1',
};

export function readLocalSettingsFile(path: string): SettingValues {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const values = (parsed as { Values?: unknown } | null)?.Values;
  if (values === undefined) return {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new Error(`${path}: "Values" must be an object`);
  const result: SettingValues = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string') throw new Error(`${path}: Values.${name} must be a string (Core Tools reads only strings)`);
    result[name] = value;
  }
  return result;
}

/** One setting's value; an empty string counts as not set, as the app's config does. */
export function settingOf(name: string, sources: SettingsSources): string | undefined {
  for (const value of [sources.file[name], sources.env[name], sources.defaults[name]]) {
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** The environment the functions host runs with: env, overlaid by defaults for unset names and the file. */
export function hostEnvironment(sources: SettingsSources, extra: SettingValues): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...sources.env };
  for (const [name, value] of Object.entries({ ...sources.defaults, ...extra })) {
    if (settingOf(name, { file: sources.file, env: sources.env, defaults: {} }) === undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(sources.file)) if (value !== '') env[name] = value;
  return env;
}
