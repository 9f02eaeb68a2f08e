/**
 * Secrets are named like app settings (OPENAI_API_KEY); Key Vault names allow only letters, digits
 * and dashes, so the vault holds them lower-cased with dashes (openai-api-key).
 */
const SETTING_NAME = /^[A-Za-z0-9_]{1,127}$/;

export function keyVaultSecretName(settingName: string): string {
  if (!SETTING_NAME.test(settingName)) {
    throw new Error(`"${settingName}" is not a secret name: use letters, digits and "_" (the app-setting style)`);
  }
  return settingName.toLowerCase().replaceAll('_', '-');
}
