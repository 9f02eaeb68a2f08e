/** The gameplay AI and secrets settings: defaults, the AI_TASKS JSON, and the messages for bad values. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_AI_TASKS, maxAiRequestBytes, resolveAiTasks } from '../../functions/core/ai/tasks.js';
import { loadConfig } from '../../functions/platform/config.js';
import { configProblems, MINIMAL_SETTINGS } from '../support/expect-errors.js';

const minimal = MINIMAL_SETTINGS;


describe('AI and secrets settings', () => {
  it('default to no vault, no key, the OpenAI endpoint, 20 s, one retry, players refused', () => {
    const config = loadConfig(minimal);
    expect(config.secrets).toEqual({ keyVaultUri: undefined, cacheSeconds: 300, rereadMinIntervalSeconds: 30, settings: { OPENAI_API_KEY: undefined, JWT_SIGNING_KEY: minimal.JWT_SIGNING_KEY, GAME_SERVER_CLIENTS: undefined, ADMIN_BOOTSTRAP_TOKEN: undefined } });
    expect(config.ai).toMatchObject({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', timeoutSeconds: 20, maxRetries: 1, allowPlayers: false });
    expect(config.ai.rateLimits).toEqual({
      perUser: { name: 'ai-user', max: 20, windowSeconds: 60 },
      perCaller: { name: 'ai-caller', max: 600, windowSeconds: 60 },
    });
    expect([...config.ai.tasks.keys()]).toEqual(['npc-dialogue', 'quest-text', 'hint']);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      ...minimal,
      KEY_VAULT_URI: 'https://kv-game.vault.azure.net/',
      SECRET_CACHE_SECONDS: '600',
      SECRET_REREAD_MIN_INTERVAL_SECONDS: '5',
      OPENAI_API_KEY: 'sk-local',
      OPENAI_BASE_URL: 'https://res.openai.azure.com/openai/v1/',
      OPENAI_MODEL: 'gpt-4.1-mini',
      OPENAI_TIMEOUT_SECONDS: '7',
      OPENAI_MAX_RETRIES: '0',
      AI_ALLOW_PLAYERS: 'true',
      AI_RATE_LIMIT_PER_USER: '5',
      AI_RATE_LIMIT_PER_CALLER: '50',
      AI_RATE_LIMIT_WINDOW_SECONDS: '10',
    });
    expect(config.secrets).toEqual({ keyVaultUri: 'https://kv-game.vault.azure.net/', cacheSeconds: 600, rereadMinIntervalSeconds: 5, settings: { OPENAI_API_KEY: 'sk-local', JWT_SIGNING_KEY: minimal.JWT_SIGNING_KEY, GAME_SERVER_CLIENTS: undefined, ADMIN_BOOTSTRAP_TOKEN: undefined } });
    expect(config.ai).toMatchObject({ baseUrl: 'https://res.openai.azure.com/openai/v1/', model: 'gpt-4.1-mini', timeoutSeconds: 7, maxRetries: 0, allowPlayers: true });
    expect(config.ai.rateLimits.perUser).toEqual({ name: 'ai-user', max: 5, windowSeconds: 10 });
  });

  it('names malformed values, never echoing the API key', () => {
    const found = configProblems({ KEY_VAULT_URI: 'http://kv.local', OPENAI_BASE_URL: 'ftp://x', OPENAI_TIMEOUT_SECONDS: '0', AI_ALLOW_PLAYERS: 'maybe', OPENAI_MAX_RETRIES: '9' });
    expect(found).toContain('KEY_VAULT_URI must be an https:// URL (got "http://kv.local")');
    expect(found).toContain('OPENAI_BASE_URL must be an http:// or https:// URL (got "ftp://x")');
    expect(found).toContainEqual(expect.stringMatching(/^OPENAI_TIMEOUT_SECONDS .*\(got "0"\)$/));
    expect(found).toContainEqual(expect.stringMatching(/^OPENAI_MAX_RETRIES /));
    expect(found).toContainEqual(expect.stringMatching(/^AI_ALLOW_PLAYERS .*\(got "maybe"\)$/));
    expect(configProblems({ OPENAI_API_KEY: 'sk-very-secret', COSMOS_ENDPOINT: undefined }).join('\n')).not.toContain('sk-very-secret');
  });

  it('stops start-up on a bad AI_TASKS with a message saying where, not the whole JSON', () => {
    expect(configProblems({ AI_TASKS: '{"hint": {' })).toEqual([expect.stringMatching(/^AI_TASKS is not valid JSON \(.+\)$/)]);
    expect(configProblems({ AI_TASKS: '[]' })).toEqual([expect.stringMatching(/^AI_TASKS must be a JSON object of task names/)]);
    expect(configProblems({ AI_TASKS: '{"hint":{"maxOutputTokens":0,"colour":"red"},"Bad Name":null}' })).toEqual([
      expect.stringMatching(/^AI_TASKS task "hint" maxOutputTokens: .*>=1/),
      'AI_TASKS task "hint": Unrecognized key: "colour"',
      'AI_TASKS task "Bad Name": task names are 1-64 characters of a-z, 0-9 and "-"',
    ]);
    expect(configProblems({ AI_TASKS: '{"riddle":{"maxOutputTokens":50}}' })).toEqual([
      'AI_TASKS task "riddle" needs "instructions": it is not one of the default tasks (npc-dialogue, quest-text, hint)',
    ]);
    expect(configProblems({ AI_TASKS: '{"hint":null,"npc-dialogue":null,"quest-text":null}' })).toEqual([
      'AI_TASKS removes every task; leave AI_TASKS unset or keep at least one',
    ]);
  });
});

describe('resolveAiTasks', () => {
  it('changes a default task field by field, removes with null, and adds tasks with instructions', () => {
    const result = resolveAiTasks(
      JSON.stringify({ hint: { maxOutputTokens: 60, temperature: 0.4 }, 'quest-text': null, riddle: { instructions: 'Pose a riddle.', maxPromptChars: 300 } }),
    );
    if (!('tasks' in result)) throw new Error(result.problems.join('; '));
    expect([...result.tasks.keys()]).toEqual(['npc-dialogue', 'hint', 'riddle']);
    expect(result.tasks.get('hint')).toEqual({ ...DEFAULT_AI_TASKS['hint'], maxOutputTokens: 60, temperature: 0.4 });
    expect(result.tasks.get('riddle')).toEqual({ instructions: 'Pose a riddle.', maxOutputTokens: 300, maxPromptChars: 300, maxContextChars: 8_000, temperature: undefined });
  });

  it('sizes the request body limit from the largest task', () => {
    const result = resolveAiTasks(undefined);
    if (!('tasks' in result)) throw new Error('defaults must resolve');
    // quest-text: 4,000 prompt + 16,000 context characters, up to 3 bytes each in UTF-8, plus the JSON
    // around them: within the 64 KiB every endpoint takes, so the README's one limit holds.
    expect(maxAiRequestBytes(result.tasks)).toBe(3 * 20_000 + 4_096);
    expect(maxAiRequestBytes(result.tasks)).toBeLessThanOrEqual(64 * 1024);
    const raised = resolveAiTasks(JSON.stringify({ 'quest-text': { maxContextChars: 100_000 } }));
    if (!('tasks' in raised)) throw new Error(raised.problems.join('; '));
    expect(maxAiRequestBytes(raised.tasks)).toBe(3 * 104_000 + 4_096);
  });
});
