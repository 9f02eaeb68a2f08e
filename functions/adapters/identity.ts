/** The one Azure credential every client in Azure authenticates with (managed identity). */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

let credential: TokenCredential | undefined;

/**
 * With a client id (the user-assigned identity bicep creates) the managed identity is used
 * directly; without one DefaultAzureCredential lets a developer's `az login` work too.
 */
export function azureCredential(clientId: string | undefined): TokenCredential {
  credential ??= clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
  return credential;
}
