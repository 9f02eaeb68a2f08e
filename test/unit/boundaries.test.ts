/**
 * The import rules (.dependency-cruiser.cjs) hold for the app, and they do catch what they are for:
 * test/fixtures/boundaries breaks each rule once, in the places a new feature would.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const depcruise = fileURLToPath(new URL('../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url));

function violations(target: string): { rule: string; from: string; to: string }[] {
  let output: string;
  try {
    output = execFileSync(process.execPath, [depcruise, target, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { encoding: 'utf8' });
  } catch (error) {
    // depcruise exits non-zero when it finds violations; the report is still on stdout.
    output = (error as { stdout: string }).stdout;
  }
  const report = JSON.parse(output) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('import boundaries', () => {
  it('the app breaks none of them', () => {
    expect(violations('functions')).toEqual([]);
  });

  it('each rule fails on a deliberate violation', () => {
    const found = violations('test/fixtures/boundaries');
    const root = 'test/fixtures/boundaries/functions';
    expect(found).toEqual(
      expect.arrayContaining([
        { rule: 'core-imports-no-sdk', from: `${root}/core/leaderboards/leaderboards.ts`, to: expect.stringMatching(/@azure\/cosmos/) },
        { rule: 'core-imports-only-core', from: `${root}/core/leaderboards/leaderboards.ts`, to: `${root}/adapters/cosmos/client.ts` },
        { rule: 'adapters-never-import-platform', from: `${root}/adapters/cosmos/client.ts`, to: `${root}/platform/config.ts` },
        { rule: 'triggers-never-import-adapters', from: `${root}/http/board.ts`, to: `${root}/adapters/cosmos/client.ts` },
        { rule: 'no-cycles', from: expect.stringMatching(/core\/leaderboards\/(leaderboards|ranks)\.ts$/), to: expect.stringMatching(/core\/leaderboards\/(leaderboards|ranks)\.ts$/) },
      ]),
    );
    expect(new Set(found.map((v) => v.rule)).size).toBe(5);
  }, 60_000);
});
