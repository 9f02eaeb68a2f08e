/**
 * The local functions host as a process (the launcher forks it, like Core Tools starts its worker).
 * Settings arrive as environment variables; it tells the launcher over IPC when it is serving.
 */
import { parseArgs } from 'node:util';
import { startLocalHost } from './host.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7071' },
    host: { type: 'string', default: '127.0.0.1' },
    'script-root': { type: 'string', default: process.cwd() },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('Usage: node dist/infra/local/host-main.js [--port 7071] [--host 127.0.0.1] [--script-root .] [--verbose]');
  console.log('Runs the functions the app registers. Normally started by `npm start`, which also starts the stand-ins.');
  process.exit(0);
}

const log = (line: string) => console.log(line);

try {
  const host = await startLocalHost({
    scriptRoot: values['script-root'],
    host: values.host,
    port: Number(values.port),
    log,
    verbose: values.verbose,
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await host.stop().catch((error: unknown) => log(`[host] error while stopping: ${String(error)}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // If the launcher goes away, so does the host: nothing is left behind.
  process.on('disconnect', () => void stop(0));
  process.send?.({ type: 'ready', url: host.url, port: host.port });
} catch (error) {
  console.error(`The functions host could not start:\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
