/** The one Azure credential every client in Azure authenticates with (managed identity). */
import type { TokenCredential } from '@azure/identity';
import { once } from '../core/kernel/once.js';


/**
 * With a client id (the user-assigned identity bicep creates) the managed identity is used
 * directly; without one DefaultAzureCredential lets a developer's `az login` work too. The SDK is
 * imported on the first call: locally, with keys and connection strings, it never is.
 */
let credential: (() => Promise<TokenCredential>) | undefined;

export function azureCredential(clientId: string | undefined): Promise<TokenCredential> {
  credential ??= once(() =>
    import('@azure/identity').then((identity) => (clientId ? new identity.ManagedIdentityCredential({ clientId }) : new identity.DefaultAzureCredential())),
  );
  return credential();
}
