/**
 * Builds the web app into `outDir` (default dist/): the browser's bundle, then the triage's
 * server-side renderer (web/src/ssr.tsx → outDir/ssr/ssr.js, loaded by server/ssr.ts). The second
 * build must come after the first, which empties outDir. Then every compressible asset gets a
 * Brotli and a gzip copy beside it (`x.js.br`, `x.js.gz`), which the server sends to browsers that
 * accept them: the app's code is ~1.2 MB as built and ~0.3 MB compressed.
 *
 *   npm run build [-- --out-dir DIR]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fromCaller, parseCli } from './cli.ts';

const ROOT = resolve(import.meta.dirname, '..');
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

/** the files a complete build has: the page and the triage's renderer */
export const builtFiles = (outDir: string) => [join(outDir, 'index.html'), join(outDir, 'ssr', 'ssr.js')];

/**
 * True when a build in `outDir` is missing or older than one of the web app's sources (web/, the
 * Vite config, the server types the app compiles against), so `npm start` never serves an app
 * built from code that has changed since.
 */
export function webBuildStale(outDir: string, root: string): boolean {
  const built = builtFiles(outDir);
  if (built.some((f) => !existsSync(f))) return true;
  const builtAt = Math.min(...built.map((f) => statSync(f).mtimeMs));
  const newer = (path: string): boolean => {
    if (!existsSync(path)) return false;
    const st = statSync(path);
    if (!st.isDirectory()) return st.mtimeMs > builtAt;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return [join(root, 'web'), join(root, 'vite.config.ts'), join(root, 'server', 'api-types.ts')].some(newer);
}

const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt']);

/**
 * Writes `.br` and `.gz` copies of the compressible files in `dir` (not its subfolders) over 1 KB,
 * once here at the highest levels instead of on every request. (node:zlib does it in a few lines; a Vite plugin would add a dependency for the
 * same loop.)
 */
export function precompress(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.has(extname(entry.name))) continue;
    const file = join(dir, entry.name);
    const bytes = readFileSync(file);
    if (bytes.length < 1024) continue;
    const brotli = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
    writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: brotli }));
    writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  }
}

/** Runs both builds, then the compression; false when a build failed (its output went to `stdio`). */
export function buildWeb(outDir = join(ROOT, 'dist'), stdio: 'inherit' | 'ignore' = 'inherit'): boolean {
  const out = resolve(outDir);
  const steps = [
    ['build', '--outDir', out, '--emptyOutDir'],
    ['build', '--ssr', join(ROOT, 'web', 'src', 'ssr.tsx'), '--outDir', join(out, 'ssr'), '--emptyOutDir'],
  ];
  const built = steps.every(
    (args) => spawnSync(process.execPath, [VITE, ...args], { cwd: ROOT, stdio }).status === 0,
  );
  if (built) precompress(join(out, 'assets'));
  return built;
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const parsed = parseCli('usage: npm run build -- [--out-dir DIR]', { 'out-dir': { type: 'string' } });
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const outDir = parsed.values['out-dir'];
  if (!buildWeb(outDir === undefined ? undefined : fromCaller(outDir))) {
    console.error('web build failed');
    process.exit(1);
  }
}
