/** A Lua script run by its SHA, loaded on first use and again if Redis forgot it (restart, flush). */
import type { RedisClient } from './client.js';

export class LuaScript {
  private sha: string | undefined;

  constructor(private readonly source: string) {}

  async run(client: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    this.sha ??= await client.scriptLoad(this.source);
    try {
      return await client.evalSha(this.sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      this.sha = await client.scriptLoad(this.source);
      return client.evalSha(this.sha, options);
    }
  }
}
