/**
 * Builds the web app into `outDir` (default dist/): the browser's bundle, then the triage's
 * server-side renderer (web/src/ssr.tsx → outDir/ssr/ssr.js, loaded by server/ssr.ts). The second
 * build must come after the first, which empties outDir.
 *
 *   npm run build [-- --out-dir DIR]
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

/** the files a complete build has: the page and the triage's renderer */
export const builtFiles = (outDir: string) => [join(outDir, 'index.html'), join(outDir, 'ssr', 'ssr.js')];

/** Runs both builds; false when one failed (its output went to `stdio`). */
export function buildWeb(outDir = join(ROOT, 'dist'), stdio: 'inherit' | 'ignore' = 'inherit'): boolean {
  const out = resolve(outDir);
  const steps = [
    ['build', '--outDir', out, '--emptyOutDir'],
    ['build', '--ssr', join(ROOT, 'web', 'src', 'ssr.tsx'), '--outDir', join(out, 'ssr'), '--emptyOutDir'],
  ];
  return steps.every(
    (args) => spawnSync(process.execPath, [VITE, ...args], { cwd: ROOT, stdio }).status === 0,
  );
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  if (!buildWeb(values['out-dir'])) {
    console.error('web build failed');
    process.exit(1);
  }
}
