/**
 * `npm run pipeline -- --input DIR --db FILE [--max-reject-rate R] [--append]` (SPEC §6).
 * `--append` adds the input's conversations to the existing database (docs/pipeline.md);
 * `--queue redis://HOST:PORT` runs the map step on `npm run worker` processes (docs/scale.md).
 */
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { plausibleWindow } from '../server/domain/time.ts';
import { fromCaller, parseCli, rejectRateOption } from './cli.ts';
import { PipelineError, runPipeline } from './pipeline/run.ts';

const USAGE =
  'usage: npm run pipeline -- --input DIR|FILE [--db FILE (default: COCKPIT_DB, else data/cockpit.db)] [--max-reject-rate R] [--vertical V] [--name N] [--not-before DATE] [--not-after DATE] [--force] [--append] [--queue redis://HOST:PORT]';

async function main() {
  const parsed = parseCli(
    USAGE,
    {
      input: { type: 'string' },
      db: { type: 'string' },
      'max-reject-rate': { type: 'string' },
      vertical: { type: 'string' },
      name: { type: 'string' },
      'not-before': { type: 'string' },
      'not-after': { type: 'string' },
      force: { type: 'boolean' },
      append: { type: 'boolean' },
      queue: { type: 'string' },
    },
    ['input'],
  );
  if ('exitCode' in parsed) return parsed.exitCode;
  const values = parsed.values as typeof parsed.values & { input: string };
  const db = values.db !== undefined ? fromCaller(values.db) : (process.env.COCKPIT_DB ?? 'data/cockpit.db');
  let maxRejectRate = 0.01;
  if (values['max-reject-rate'] !== undefined) {
    const given = rejectRateOption(values['max-reject-rate']);
    if (given === null) return 2;
    maxRejectRate = given;
  }
  // a window that is not one is bad usage (exit 2), told before anything runs
  try {
    plausibleWindow(Date.now(), {
      ...(values['not-before'] !== undefined && { notBefore: values['not-before'] }),
      ...(values['not-after'] !== undefined && { notAfter: values['not-after'] }),
    });
  } catch (err) {
    console.error(`--not-before/--not-after: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  // `npm run pipeline` runs this under npm and tsx: when the process that started it is killed,
  // stop at once instead of swapping the database later behind the user's back.
  const parent = process.ppid;
  const target = resolve(db);
  const removeOwnFiles = () => {
    rmSync(`${target}.building-${process.pid}`, { force: true });
    rmSync(`${target}.building-${process.pid}-journal`, { force: true });
    if (readLockHolder(target) === process.pid) rmSync(`${target}.lock`, { force: true });
  };
  setInterval(() => {
    if (process.ppid === parent) return;
    removeOwnFiles();
    console.error('pipeline stopped: the process that started it is gone; the database was not changed');
    process.exit(1);
  }, 250).unref();
  // Ctrl-C or a job scheduler's SIGTERM: the half-built file and the lock go too (they were left
  // for the next run to clean up). While the conversations are read the build waits on I/O and
  // stops at once; in its later, synchronous phases the handler runs between two of them and
  // `shouldContinue` stops it there — or, when the signal came during the final rename, the build
  // has finished and says so: the database is only ever replaced by that rename.
  let stoppedBy: { signal: NodeJS.Signals; code: number } | null = null;
  let settled = false;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => {
      stoppedBy = { signal, code };
      setImmediate(() => {
        if (settled) return;
        removeOwnFiles();
        console.error(
          `pipeline stopped by ${signal}; its temporary files were removed, the database was not changed`,
        );
        process.exit(code);
      });
    });
  // A single export file (not a bundle folder) is imported into a temporary bundle with one
  // synthesized account (scripts/pipeline/single-file.ts) by runPipeline, under the same window,
  // rejects file and reject rate as a bundle.
  try {
    await runPipeline({
      input: fromCaller(values.input),
      db,
      ...(values.vertical !== undefined && { vertical: values.vertical }),
      ...(values.name !== undefined && { name: values.name }),
      shouldContinue: () => process.ppid === parent && stoppedBy === null,
      maxRejectRate,
      force: values.force === true,
      append: values.append === true,
      ...(values.queue !== undefined && { queue: values.queue }),
      ...(values['not-before'] !== undefined && { notBefore: values['not-before'] }),
      ...(values['not-after'] !== undefined && { notAfter: values['not-after'] }),
    });
    return 0;
  } catch (err) {
    if (err instanceof PipelineError) {
      const by = stoppedBy as { signal: NodeJS.Signals; code: number } | null;
      if (by) {
        console.error(
          `pipeline stopped by ${by.signal}; its temporary files were removed, the database was not changed`,
        );
        return by.code;
      }
      console.error(`pipeline failed: ${err.message}`);
      return 1;
    }
    // Disk full, no permission, a damaged file: the system's own reason, on one line.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') {
      const message = (err as Error).message.split('\n')[0] ?? '';
      const reason = message.startsWith(code) ? message : `${code}: ${message}`;
      console.error(`pipeline failed: ${reason} (${target}); the database was not changed`);
      return 1;
    }
    throw err;
  } finally {
    settled = true;
  }
}

function readLockHolder(dbPath: string): number | null {
  try {
    return Number(readFileSync(`${dbPath}.lock`, 'utf8').trim());
  } catch {
    return null;
  }
}

process.exitCode = await main();
// With --queue, a Redis connection that never came up keeps reconnecting inside BullMQ after the run
// has failed and said why; nothing is left to do, so the process ends instead of waiting on it.
if (process.argv.includes('--queue') || process.argv.some((a) => a.startsWith('--queue='))) process.exit();
