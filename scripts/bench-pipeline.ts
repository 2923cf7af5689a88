/**
 * Pipeline benchmark (SPEC §7): conversations/s end to end and peak memory at 1M and 5M
 * conversations, beside the two-core read-and-parse rate of the same file (two processes, each
 * reading half of it line by line and parsing every line as JSON: the floor any pipeline over this
 * format pays) and the ratio of the two; then the cost of appending one day (`--append`) against
 * the full build. Each run is a child process so its peak RSS (VmHWM) is its own.
 *
 *   npm run bench:pipeline [-- --sizes 1000000,5000000] [--append-size N, 0 = none] [--accounts N]
 *
 * The bundle is the demo's 72 accounts, repeated to each size: few, very large accounts. With
 * `--accounts N` it is a generated world of N smaller accounts over 6 months instead (the shape
 * bench:api and bench:web serve; e.g. `--accounts 10000 --sizes 780000`), where the per-account
 * work of every run weighs far more.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { intOption, parseCli } from './cli.ts';
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

async function child(dir: string, db: string, append: boolean) {
  // the run's own phase line (time and peak memory after each phase) says where a figure comes from
  let phases = '';
  const log = (line: string) => {
    if (line.startsWith('phases: ')) phases = line.slice('phases: '.length);
  };
  const result = await runPipeline({ input: dir, db, log, progress: false, append });
  console.log(
    JSON.stringify({
      conversations: result.conversations,
      seconds: result.seconds,
      perSecond: result.conversations / result.seconds,
      peakRssMb: peakRssMb(),
      phases,
    }),
  );
}

/** Reads bytes [from, to) of a file as lines and parses each as JSON; prints the line count. */
async function parseRange(path: string, from: number, to: number) {
  const started = performance.now();
  let lines = 0;
  let rest = '';
  for await (const chunk of createReadStream(path, { start: from, end: to - 1, encoding: 'utf8' })) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      JSON.parse(line);
      lines++;
    }
  }
  if (rest.length > 0) {
    JSON.parse(rest);
    lines++;
  }
  console.log(JSON.stringify({ lines, seconds: (performance.now() - started) / 1000 }));
}

/** The byte just after the first newline at or after `at`: where a half of the file starts. */
function lineStartAfter(path: string, at: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const n = readSync(fd, buf, 0, buf.length, at);
    const nl = buf.subarray(0, n).indexOf(0x0a);
    return nl === -1 ? at + n : at + nl + 1;
  } finally {
    closeSync(fd);
  }
}

/** Lines/s of reading and parsing the file with two processes at once, one per half. */
async function twoCoreParseRate(path: string): Promise<number> {
  const size = statSync(path).size;
  const middle = lineStartAfter(path, Math.floor(size / 2));
  // Both halves at once; each child times its own reading (process start-up is not counted, as
  // the pipeline's own figure does not count it).
  const halves = await Promise.all(
    [
      [0, middle],
      [middle, size],
    ].map(async ([from, to]) => {
      const out = await spawnAsync(['--parse', path, '--from', String(from), '--to', String(to)]);
      return JSON.parse(out) as { lines: number; seconds: number };
    }),
  );
  const lines = halves.reduce((sum, h) => sum + h.lines, 0);
  return lines / Math.max(...halves.map((h) => h.seconds));
}

function spawnAsync(args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      err += d;
    });
    p.on('exit', (code) =>
      code === 0 ? resolvePromise(out.trim().split('\n').pop()!) : reject(new Error(err)),
    );
  });
}

/** A bundle of exactly `n` conversations: the demo's lines cycled, with fresh ids per cycle. */
async function writeBundle(base: string, n: number, tag: string): Promise<string> {
  const dir = join(WORK, `${tag}n${n}`);
  if (existsSync(join(dir, 'conversations.jsonl'))) return dir;
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(base, 'accounts.jsonl'), join(dir, 'accounts.jsonl'));
  copyFileSync(join(base, 'interventions.jsonl'), join(dir, 'interventions.jsonl'));
  // written under another name and renamed when complete: an interrupted run must not leave a
  // short file that the next run takes for the finished bundle
  const partial = join(dir, 'conversations.jsonl.partial');
  const out = createWriteStream(partial);
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
  renameSync(partial, join(dir, 'conversations.jsonl'));
  return dir;
}

interface ChildResult {
  conversations: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number;
  phases: string;
}

function runChild(dir: string, db: string, append = false): ChildResult {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--child', dir, '--db', db, ...(append ? ['--append'] : [])],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/**
 * Splits a bundle's conversations into a base and its last calendar day (UTC): what a daily refresh
 * appends. The bundle's file order is by account, so its last lines are one account's history, not
 * a day: appending them touched finished months and measured a recount, not a daily refresh.
 */
async function splitLastDay(dir: string): Promise<{ base: string; day: string; dayDate: string }> {
  const base = `${dir}-base`;
  const day = `${dir}-day`;
  for (const d of [base, day]) {
    mkdirSync(d, { recursive: true });
    copyFileSync(join(dir, 'accounts.jsonl'), join(d, 'accounts.jsonl'));
    copyFileSync(join(dir, 'interventions.jsonl'), join(d, 'interventions.jsonl'));
  }
  const source = join(dir, 'conversations.jsonl');
  const dateOf = (line: string) => /"createdAt":"(\d{4}-\d{2}-\d{2})/.exec(line)?.[1] ?? '';
  let dayDate = '';
  for await (const [, line] of readLines(source)) {
    const d = dateOf(line);
    if (d > dayDate) dayDate = d;
  }
  // streamed twice: the file of 1M conversations is longer than a string may be
  const baseOut = createWriteStream(join(base, 'conversations.jsonl'));
  const dayOut = createWriteStream(join(day, 'conversations.jsonl'));
  for await (const [, line] of readLines(source)) {
    if (line.length === 0) continue;
    const out = dateOf(line) === dayDate ? dayOut : baseOut;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  for (const out of [baseOut, dayOut]) {
    out.end();
    await once(out, 'finish');
  }
  return { base, day, dayDate };
}

async function main() {
  const parsed = parseCli(
    'usage: npm run bench:pipeline -- [--sizes N,N,…] [--append-size N (0 = none)] [--accounts N]',
    {
      sizes: { type: 'string' },
      'append-size': { type: 'string' },
      accounts: { type: 'string' },
      // internal: the runs and the read-and-parse halves, started by this script
      child: { type: 'string' },
      db: { type: 'string' },
      append: { type: 'boolean' },
      parse: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
  );
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const { values } = parsed;
  if (values.child) return child(values.child, values.db!, values.append === true);
  if (values.parse) return parseRange(values.parse, Number(values.from), Number(values.to));
  const sizes = (values.sizes ?? '1000000,5000000').split(',').map((n) => intOption('sizes', n, 0));
  if (!sizes.every((n) => n !== null)) process.exit(2);
  const accounts =
    values.accounts === undefined ? null : intOption('accounts', values.accounts, 0, { max: 100_000 });
  if (values.accounts !== undefined && accounts === null) process.exit(2);
  const appendSize = intOption('append-size', values['append-size'], sizes[0]!, { min: 0 });
  if (appendSize === null) process.exit(2);
  const tag = accounts === null ? '' : `a${accounts}-`;
  const base = join(WORK, `${tag}base`);
  if (!existsSync(join(base, 'conversations.jsonl.gz'))) {
    console.log(
      accounts === null
        ? 'generating the demo bundle as the base…'
        : `generating a ${accounts}-account world over 6 months as the base…`,
    );
    await generateDemoBundle(
      accounts === null ? { outDir: base } : { outDir: base, accounts, months: 6, volumeScale: 0.05 },
    );
  }
  if (accounts !== null) console.log(`${accounts.toLocaleString('en-US')} accounts`);
  console.log('Shared 2-core machine: figures move with whatever else runs; run twice and compare.');
  console.log(
    '| conversations | seconds | conversations/s end to end | 2-core read-and-parse lines/s | ratio | peak RSS (MB) | load average |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  const phaseLines: string[] = [];
  for (const n of sizes) {
    const dir = await writeBundle(base, n, tag);
    const parse = await twoCoreParseRate(join(dir, 'conversations.jsonl'));
    const db = join(dir, 'cockpit.db');
    const m = runChild(dir, db);
    console.log(
      `| ${m.conversations.toLocaleString('en-US')} | ${m.seconds.toFixed(1)} | ${Math.round(m.perSecond).toLocaleString('en-US')} | ${Math.round(parse).toLocaleString('en-US')} | ${(m.perSecond / parse).toFixed(2)} | ${Math.round(m.peakRssMb)} | ${loadavg()[0]!.toFixed(1)} |`,
    );
    phaseLines.push(`- ${m.conversations.toLocaleString('en-US')}: ${m.phases}`);
    rmSync(db, { force: true });
  }
  console.log('');
  console.log('Phases (seconds, and the peak RSS after each):');
  for (const line of phaseLines) console.log(line);
  // Append: the last day of the smallest size appended to a build of the rest (SPEC §7: one
  // day's append ≤ 5% of a full rebuild).
  const n = appendSize;
  if (n === 0) return; // --append-size 0: the full builds only
  const { base: before, day, dayDate } = await splitLastDay(await writeBundle(base, n, tag));
  const db = join(before, 'cockpit.db');
  const full = runChild(before, db);
  const append = runChild(day, db, true);
  console.log('');
  console.log('| append | conversations added | seconds | full build of the rest (s) | append / full |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(
    `| ${dayDate} of ${n.toLocaleString('en-US')} | ${(append.conversations - full.conversations).toLocaleString('en-US')} | ${append.seconds.toFixed(2)} | ${full.seconds.toFixed(1)} | ${((append.seconds / full.seconds) * 100).toFixed(1)}% |`,
  );
  console.log('');
  console.log(`Phases of the append: ${append.phases}`);
  rmSync(db, { force: true });
}

await main();
