/**
 * How a feature declares its settings: zod schemas by app-setting name, and how their parsed values
 * become the feature's part of the config. platform/config.ts composes every feature's settings.
 *
 * `.describe()` marks the settings only a developer machine uses ('local-only': bicep must not set
 * them), secrets (read from Key Vault in Azure, so bicep must not set them either) and the optional
 * ones Azure needs all the same ('azure-required'); bicep must also set everything without a
 * default. test/unit/deployment.test.ts checks bicep/ against the composed list.
 */
import { z } from 'zod';
import { parseSchedule } from './schedule.js';

export interface FeatureSettings<Shape extends z.ZodRawShape, Config> {
  shape: Shape;
  /** The parsed values (and the raw environment, for secrets kept as text) as this feature's config. */
  read(values: z.output<z.ZodObject<Shape>>, env: Record<string, string | undefined>): Config;
  /** Rules across settings, checked alongside the per-setting ones so every problem is named at once. */
  problems?(env: Record<string, string | undefined>): string[];
  /** Settings whose values must never be echoed in an error message. */
  secret?: readonly string[];
  /** Settings too long to echo usefully; their messages say where the problem is. */
  unechoed?: readonly string[];
}

export function featureSettings<Shape extends z.ZodRawShape, Config>(settings: FeatureSettings<Shape, Config>): FeatureSettings<Shape, Config> {
  return settings;
}

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const seconds = (min: number, max: number, fallback: number) => int(min, max).default(fallback);

/** A rate limit written "max/windowSeconds", e.g. "10/900" for ten per fifteen minutes. */
export const rateLimit = (fallback: string) =>
  z
    .string()
    .regex(/^\d+\/\d+$/, 'must look like "10/900" (max events / window in seconds)')
    .default(fallback)
    .transform((text) => {
      const [max = 0, windowSeconds = 0] = text.split('/').map(Number);
      return { max, windowSeconds };
    })
    .refine((l) => l.max >= 1 && l.windowSeconds >= 1, 'needs a max and a window of at least 1');

/** NCRONTAB: six fields, second to day-of-week, read by the same parser the local host runs timers with. */
export const schedule = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((text, ctx) => {
      try {
        parseSchedule(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    });

/** A setting holding JSON, parsed and then checked by `schema`; bad JSON names the setting with an example of its shape. */
export function jsonSetting<S extends z.ZodType>(fallback: string, example: string, schema: S) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON: ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
