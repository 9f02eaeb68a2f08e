/**
 * Every setting the app reads, validated once at cold start. No other module reads process.env.
 * Each feature declares its own settings in platform/features/; this module composes them, and a
 * missing or malformed setting stops the app with a message naming each one.
 */
import { z } from 'zod';
import { accountSettings } from './features/accounts.js';
import { ACTIVITY_SCHEDULE_DEFAULTS, activitySettings } from './features/activity.js';
import { aiSettings } from './features/ai.js';
import { EMAIL_SCHEDULE_DEFAULTS, emailSettings } from './features/email.js';
import { EVENT_SCHEDULE_DEFAULTS, eventSettings } from './features/events.js';
import { identitySettings } from './features/identities.js';
import { infrastructureSettings } from './features/infrastructure.js';
import { PRESENCE_SCHEDULE_DEFAULTS, presenceSettings } from './features/presence.js';
import { socialSettings } from './features/social.js';
import { telemetrySettings } from './features/telemetry.js';
import { walletSettings } from './features/wallet.js';
import { MATCH_SCHEDULE_DEFAULTS, matchSettings } from './features/matches.js';
import { LEADERBOARD_SCHEDULE_DEFAULTS, leaderboardSettings } from './features/leaderboards.js';
import { realtimeSettings } from './features/realtime.js';

export { SECRET_SETTING_NAMES } from './features/infrastructure.js';

/** Every feature's settings; a new feature adds one line here. */
const FEATURES = [infrastructureSettings, accountSettings, identitySettings, eventSettings, presenceSettings, activitySettings, aiSettings, emailSettings, socialSettings, telemetrySettings, walletSettings, leaderboardSettings, matchSettings, realtimeSettings] as const;

/**
 * Timer schedules are bound by setting name in the triggers, so the Functions host needs them as
 * real app settings: these defaults are also what the local launcher and bicep set.
 */
export const SCHEDULE_DEFAULTS = { ...ACTIVITY_SCHEDULE_DEFAULTS, ...PRESENCE_SCHEDULE_DEFAULTS, ...EVENT_SCHEDULE_DEFAULTS, ...EMAIL_SCHEDULE_DEFAULTS, ...LEADERBOARD_SCHEDULE_DEFAULTS, ...MATCH_SCHEDULE_DEFAULTS } as const;

type Feature = (typeof FEATURES)[number];
type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/** The settings, by their app-setting names (see settings-kit.ts for what `.describe()` marks). */
export const SETTINGS = Object.assign({}, ...FEATURES.map((f) => f.shape)) as UnionToIntersection<Feature['shape']>;
export type AppConfig = UnionToIntersection<ReturnType<Feature['read']>>;

const settingsSchema = z.object(SETTINGS);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SECRET_SETTINGS = new Set(FEATURES.flatMap((f) => f.secret ?? []));
const UNECHOED_SETTINGS = new Set(FEATURES.flatMap((f) => ('unechoed' in f ? f.unechoed : undefined) ?? []));

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? '(settings)');
  if (issue.code === 'invalid_type' && env[name] === undefined) return `${name} is missing`;
  const where = name + issue.path.slice(1).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const shown = SECRET_SETTINGS.has(name) || UNECHOED_SETTINGS.has(name) || env[name] === undefined ? '' : ` (got "${env[name]}")`;
  return `${where} ${issue.message.replace(/^Invalid input: /, '')}${shown}`;
}

export function loadConfig(rawEnv: Record<string, string | undefined>): AppConfig {
  // local.settings.json templates leave unused settings as "": treat them as not set.
  const env = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, rawEnv[name] === '' ? undefined : rawEnv[name]]));
  const parsed = settingsSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(issue, env))),
    ...FEATURES.flatMap((f) => ('problems' in f ? (f.problems?.(env) ?? []) : [])),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const values = parsed.data as never;
  return Object.assign({}, ...FEATURES.map((f) => f.read(values, env))) as AppConfig;
}

let cached: AppConfig | undefined;

/** The config of this process, read from the environment on first use. */
export function getConfig(): AppConfig {
  cached ??= loadConfig(process.env);
  return cached;
}
