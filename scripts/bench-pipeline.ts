/**
 * Pipeline benchmark (SPEC §7): conversations/s end to end and peak memory at 100k and 1M
 * conversations. Each size runs in a child process so its peak RSS (VmHWM) is its own.
 *
 *   npm run bench:pipeline [-- --sizes 100000,1000000]
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoBundle } from './demo/generate.ts';
import { readLines } from './pipeline/lines.ts';
import { runPipeline } from './pipeline/run.ts';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, '.tmp', 'bench');

function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function child(dir: string) {
  const result = await runPipeline({
    input: dir,
    db: join(dir, 'cockpit.db'),
    log: () => {},
    progress: false,
  });
  console.log(
    JSON.stringify({
      conversations: result.conversations,
      seconds: result.seconds,
      perSecond: result.conversations / result.seconds,
      peakRssMb: peakRssMb(),
    }),
  );
}

/** A bundle of exactly `n` conversations: the demo's lines cycled, with fresh ids per cycle. */
async function writeBundle(base: string, n: number): Promise<string> {
  const dir = join(WORK, `n${n}`);
  if (existsSync(join(dir, 'conversations.jsonl'))) return dir;
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(base, 'accounts.jsonl'), join(dir, 'accounts.jsonl'));
  copyFileSync(join(base, 'interventions.jsonl'), join(dir, 'interventions.jsonl'));
  const out = createWriteStream(join(dir, 'conversations.jsonl'));
  let written = 0;
  for (let cycle = 0; written < n; cycle++) {
    for await (const [, line] of readLines(join(base, 'conversations.jsonl.gz'))) {
      if (written >= n) break;
      const text = cycle === 0 ? line : line.replace(/^\{"id":"([^"]*)"/, `{"id":"$1~${cycle}"`);
      if (!out.write(`${text}\n`)) await once(out, 'drain');
      written++;
    }
  }
  out.end();
  await once(out, 'finish');
  return dir;
}

async function main() {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, child: { type: 'string' } } });
  if (values.child) return child(values.child);
  const sizes = (values.sizes ?? '100000,1000000').split(',').map(Number);
  const base = join(WORK, 'base');
  if (!existsSync(join(base, 'conversations.jsonl.gz'))) {
    console.log('generating the demo bundle as the base…');
    await generateDemoBundle({ outDir: base });
  }
  console.log('| conversations | seconds | conversations/s | peak RSS (MB) |');
  console.log('|---:|---:|---:|---:|');
  for (const n of sizes) {
    const dir = await writeBundle(base, n);
    const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      console.error(r.stderr);
      process.exit(1);
    }
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!);
    console.log(
      `| ${m.conversations.toLocaleString('en-US')} | ${m.seconds.toFixed(1)} | ${Math.round(m.perSecond).toLocaleString('en-US')} | ${Math.round(m.peakRssMb)} |`,
    );
    rmSync(join(dir, 'cockpit.db'), { force: true });
  }
}

await main();
