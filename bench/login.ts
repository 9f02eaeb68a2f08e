/**
 * Login throughput against the local stack: logins/s and p50/p99 from autocannon in this process,
 * the host in its own, next to how many bcrypt compares one thread does per second at the same
 * cost. The ratio says how close login comes to what the cores can hash.
 */
import bcrypt from 'bcryptjs';
import { availableParallelism } from 'node:os';
import { report } from './results.js';
import { benchStack, load, machine, options, round } from './support.js';

const args = options('Usage: npm run bench:login -- [options]', {
  seconds: { default: '15', help: 'how long to drive load' },
  connections: { default: '16', help: 'concurrent HTTP connections' },
  users: { default: '32', help: 'players to sign up and log in as' },
  cost: { default: '12', help: 'bcrypt cost (the production default is 12)' },
});

function singleThreadCompareRate(cost: number, ms = 3_000): number {
  const hash = bcrypt.hashSync('benchmark password', cost);
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < ms) {
    bcrypt.compareSync('benchmark password', hash);
    n += 1;
  }
  return n / ((performance.now() - started) / 1000);
}

// Throttles are per IP and every request here comes from 127.0.0.1: lift them for the load.
const stack = await benchStack({
  label: 'bench-login',
  env: { BCRYPT_COST: String(args.cost), SIGNUP_IP_LIMIT: '100000/60', LOGIN_IP_LIMIT: '100000000/60' },
});
try {
  const users = Array.from({ length: args.users }, (_, i) => ({
    username: `bench_${i}_${Date.now().toString(36)}`,
    email: `bench${i}.${Date.now().toString(36)}@example.com`,
    password: 'benchmark password',
  }));
  for (const user of users) {
    const res = await fetch(`${stack.api}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  }

  const perThread = singleThreadCompareRate(args.cost);
  let next = 0;
  const result = await load({
    url: stack.url,
    connections: args.connections,
    duration: args.seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/login',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const user = users[next++ % users.length];
          return { ...request, body: JSON.stringify({ login: user?.username, password: user?.password }) };
        },
      },
    ],
  });

  const cores = availableParallelism();
  console.log(`machine:            ${machine()}`);
  console.log(`bcrypt cost:        ${args.cost}`);
  console.log(`load:               ${args.connections} connections for ${args.seconds} s, ${args.users} players`);
  console.log(`logins/s:           ${round(result.okPerSecond, 1)} (p50 ${result.p50} ms, p99 ${result.p99} ms; ${result.ok} ok, ${result.failed} not ok ${JSON.stringify(result.statuses)})`);
  console.log(`bcrypt compares/s:  ${round(perThread, 1)} on one thread, ${round(perThread * cores, 1)} if all ${cores} cores hashed`);
  console.log(`login / hash ceiling: ${round((100 * result.okPerSecond) / (perThread * cores), 0)}% of what the cores can hash`);
  report({
    name: `login (bcrypt cost ${args.cost})`,
    figure: result.okPerSecond,
    unit: 'logins/s',
    detail: `p99 ${result.p99} ms`,
    baseline: { figure: perThread * cores, what: 'bcrypt compares/s on all cores' },
    target: 0.9,
  });
} finally {
  await stack.stop();
}
