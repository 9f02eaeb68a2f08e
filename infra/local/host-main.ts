/**
 * The local functions host as a process (the launcher forks it, like Core Tools starts its worker).
 * Settings arrive as environment variables; it tells the launcher over IPC when it is serving.
 */
import { parseArgs } from 'node:util';
import { SETTINGS } from '../../functions/platform/config.js';
import { startLocalHost } from './host.js';

/** The launcher kills the host 5 s after asking it to stop; the host gives up on its own before that. */
const STOP_DEADLINE_MS = 3_000;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7071' },
    host: { type: 'string', default: '127.0.0.1' },
    'script-root': { type: 'string', default: process.cwd() },
    verbose: { type: 'boolean', default: false },
    'log-format': { type: 'string', default: 'short' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('Usage: node dist/infra/local/host-main.js [--port 7071] [--host 127.0.0.1] [--script-root .] [--verbose] [--log-format short|none]');
  console.log('Runs the functions the app registers. Normally started by `npm start`, which also starts the stand-ins.');
  process.exit(0);
}

const log = (line: string) => console.log(line);

/** Platform CORS from the same setting bicep feeds siteConfig.cors with. */
function corsOrigins(): string[] {
  const parsed = SETTINGS.CORS_ALLOWED_ORIGINS.safeParse(process.env['CORS_ALLOWED_ORIGINS'] || undefined);
  if (parsed.success) return parsed.data;
  throw new Error(`CORS_ALLOWED_ORIGINS ${parsed.error.issues.map((i) => i.message).join('; ')}`);
}

try {
  const host = await startLocalHost({
    scriptRoot: values['script-root'],
    host: values.host,
    port: Number(values.port),
    log,
    verbose: values.verbose,
    // The launcher turns the app's JSON lines on with --log-format json; then they replace the short line.
    logFormat: process.env['REQUEST_LOG'] === 'json' ? 'json' : values['log-format'] === 'none' ? 'none' : 'short',
    cors: { allowedOrigins: corsOrigins(), supportCredentials: false },
    stopDeadlineMs: STOP_DEADLINE_MS,
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(code), STOP_DEADLINE_MS + 1_500).unref();
    await host.stop().catch((error: unknown) => log(`[host] error while stopping: ${String(error)}`));
    process.exit(code);
  };
  // A second signal while stopping means "now".
  const onSignal = () => (stopping ? process.exit(0) : void stop(0));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // If the launcher goes away, so does the host: nothing is left behind.
  process.on('disconnect', () => void stop(0));
  // The launcher asks over IPC, not with a signal, so a signal the whole group got (Ctrl-C) is not counted twice.
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') void stop(0);
  });
  process.send?.({ type: 'ready', url: host.url, port: host.port });
} catch (error) {
  console.error(`The functions host could not start:\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
