/**
 * `npm run dev`: the API (restarted on change by tsx watch) and the Vite dev server, which
 * proxies /api to it. Ctrl-C stops both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** The API's address for the proxy: an IPv6 host in brackets, a wildcard host as loopback. */
function apiUrl(host: string, port: string): string {
  const h =
    host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

const children: ChildProcess[] = [
  spawn(bin('tsx'), ['watch', '--clear-screen=false', 'scripts/start.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, COCKPIT_SKIP_WEB_BUILD: '1' },
  }),
  // the dev server proxies /api to the API wherever PORT / HOST put it
  spawn(bin('vite'), [], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      COCKPIT_API:
        process.env.COCKPIT_API ?? apiUrl(process.env.HOST ?? '127.0.0.1', process.env.PORT ?? '8787'),
    },
  }),
];

const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', (code) => code && code !== 0 && stop());
