// @ts-check
// azd preprovision hook: makes up the secrets a first `azd up` needs and nobody has set, and
// stores them in the azd environment (.azure/<env>/.env, on this machine only). main.parameters.json
// hands them to bicep as @secure() parameters, which put them in Key Vault. Values are never printed.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

/** The secrets this hook can make up, by their azd environment (and app setting) names. */
export const GENERATED = {
  /** An Ed25519 private key as a JWK: signs access tokens (JWT_SIGNING_KEY). */
  JWT_SIGNING_KEY: () => JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
  /** 256 random bits: the one-time secret of POST /api/admin/bootstrap (ADMIN_BOOTSTRAP_TOKEN). */
  ADMIN_BOOTSTRAP_TOKEN: () => randomBytes(32).toString('base64url'),
  /** 256 random bits: the HMAC key device ids are stored under (DEVICE_ID_HASH_KEY); keep it for good. */
  DEVICE_ID_HASH_KEY: () => randomBytes(32).toString('base64url'),
};

/**
 * The generated secrets `env` lacks, with fresh values.
 * @param {Record<string, string | undefined>} env
 * @returns {{ name: string, value: string }[]}
 */
export function missingSecrets(env) {
  return Object.entries(GENERATED)
    .filter(([name]) => !env[name])
    .map(([name, make]) => ({ name, value: make() }));
}

/**
 * The arguments of `azd env set` for one value. `--` ends azd's (cobra's) flags, so a value that
 * starts with `-` (1 in 64 base64url tokens) is taken as the value, not parsed as a flag.
 * @param {string} name @param {string} value
 */
export function azdEnvSetArgs(name, value) {
  return ['env', 'set', '--', name, value];
}

/** @param {string} name @param {string} value @param {string} [azd] the azd executable */
export function azdEnvSet(name, value, azd = 'azd') {
  // No shell: the value (JSON with quotes) goes to azd as one argument, as it is.
  const result = spawnSync(azd, azdEnvSetArgs(name, value), { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.error || result.status !== 0) {
    throw new Error(`azd env set ${name} failed${result.error ? `: ${result.error.message}` : ''}`);
  }
}

function main() {
  const missing = missingSecrets(process.env);
  for (const { name, value } of missing) {
    azdEnvSet(name, value);
    console.log(`preprovision: generated ${name} and stored it in the azd environment`);
  }
  if (missing.some((s) => s.name === 'ADMIN_BOOTSTRAP_TOKEN')) {
    console.log('preprovision: read it with `azd env get-value ADMIN_BOOTSTRAP_TOKEN` to make the first admin (README: Deploy to Azure)');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    console.error(`preprovision: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
