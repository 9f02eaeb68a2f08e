/** Secrets from the app settings (a developer machine, CI): fixed for the life of the process. */
import type { SecretProvider } from '../../core/kernel/secrets.js';

export class SettingsSecretProvider implements SecretProvider {
  readonly description = 'app settings';

  constructor(private readonly values: Readonly<Record<string, string | undefined>>) {}

  async get(name: string): Promise<string | undefined> {
    if (!Object.hasOwn(this.values, name)) {
      throw new Error(`${name} is not a secret setting: add it to SECRET_SETTING_NAMES in functions/platform/config.ts`);
    }
    return this.values[name];
  }

  /** Settings cannot change under a running process: the same value is all there is. */
  async rejected(name: string): Promise<string | undefined> {
    return this.get(name);
  }
}
