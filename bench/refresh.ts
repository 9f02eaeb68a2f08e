/**
 * Refresh-token throughput against the local stack: each connection keeps its own session and
 * rotates its refresh token on every request (a point read, a conditional write and a JWT
 * signature; no bcrypt), so refreshes/s should be far above logins/s.
 */
import { startStack } from '../infra/local/spawn-stack.js';
import { closedLoop, machine, options, round } from './support.js';

const args = options('Usage: npm run bench:refresh -- [options]', {
  seconds: { default: '15', help: 'how long to drive load' },
  connections: { default: '16', help: 'concurrent HTTP connections, one session each' },
});

// Throttles are per IP and every request here comes from 127.0.0.1; the minimum bcrypt cost keeps set-up short.
const stack = await startStack({ label: 'bench-refresh', env: { REFRESH_IP_LIMIT: '100000000/60', SIGNUP_IP_LIMIT: '100000/60', BCRYPT_COST: '10' } });
try {
  const tokens: string[] = [];
  for (let i = 0; i < args.connections; i++) {
    const tag = `${Date.now().toString(36)}${i}`;
    const res = await fetch(`${stack.api}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `refresh_${tag}`, email: `refresh.${tag}@example.com`, password: 'benchmark password' }),
    });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
    tokens.push(((await res.json()) as { refreshToken: string }).refreshToken);
  }

  const result = await closedLoop(args.connections, args.seconds, async (worker) => {
    const res = await fetch(`${stack.api}/token/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: tokens[worker] }),
    });
    const body = (await res.json()) as { refreshToken?: string };
    if (res.status === 200 && body.refreshToken) tokens[worker] = body.refreshToken;
    return res.status;
  });
  console.log(`machine:       ${machine()}`);
  console.log(`load:          ${args.connections} connections (one session each) for ${args.seconds} s`);
  console.log(`refreshes/s:   ${round(result.okPerSecond, 1)} (p50 ${result.p50} ms, p99 ${result.p99} ms; ${result.ok} ok, ${result.failed} not ok ${JSON.stringify(result.statuses)})`);
} finally {
  await stack.stop();
}
