/**
 * Secrets by their app-setting names (e.g. OPENAI_API_KEY), wherever they live: Key Vault in
 * Azure, the app settings on a developer machine.
 */
export interface SecretProvider {
  /** The current value, or undefined when no such secret exists. Throws SERVICE_UNAVAILABLE when it cannot be read. */
  get(name: string): Promise<string | undefined>;
  /**
   * The consumer's upstream refused `value` (a rotated key): re-reads the secret now, at most once
   * per interval however many callers report it, and returns the value to try next (the same one
   * if nothing newer is known).
   */
  rejected(name: string, value: string): Promise<string | undefined>;
}
