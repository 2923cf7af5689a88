/**
 * A build killed at any point (kill -9) leaves the old database intact, a rerun succeeds and
 * cleans up after it; killing the process that started a build stops the build too.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { alive } from '../scripts/pipeline/durable.ts';
import { copyFixture, tempDir } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** A bundle big enough that a build takes a few seconds: the fixture's records, repeated. */
function bigBundle(copies: number): string {
  const bundle = copyFixture();
  const file = join(bundle, 'conversations.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const out: string[] = [];
  for (let i = 0; i < copies; i++)
    for (const l of lines) {
      const r = JSON.parse(l) as { id: string };
      r.id = `${r.id}-${i}`;
      out.push(JSON.stringify(r));
    }
  writeFileSync(file, `${out.join('\n')}\n`);
  return bundle;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let bundle = '';
beforeAll(() => {
  bundle = bigBundle(6000); // ~100k conversations
});

describe('kill -9 during a build', () => {
  it('leaves the old database intact at every point, and a rerun succeeds and cleans up', async () => {
    const dir = tempDir();
    const db = join(dir, 'cockpit.db');
    const first = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/pipeline.ts', '--input', copyFixture(), '--db', db],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(first.status).toBe(0);
    const before = readFileSync(db);
    let killedMidBuild = 0;
    // 300 ms: most likely still starting up; the others wait for the build file to appear first, so
    // a slow machine (tsx start-up under load takes seconds) still gets killed mid-build
    for (const [afterMs, midBuild] of [
      [300, false],
      [200, true],
      [1500, true],
    ] as const) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/pipeline.ts', '--input', bundle, '--db', db, '--force'],
        {
          cwd: ROOT,
          stdio: 'ignore',
        },
      );
      const building = () => readdirSync(dir).some((f) => f.includes('.building-'));
      for (let waited = 0; midBuild && !building() && waited < 30_000; waited += 50) await sleep(50);
      await sleep(afterMs);
      if (building()) killedMidBuild++;
      child.kill('SIGKILL');
      await exited(child);
      // either the old file, byte for byte, or the whole new one: never a half-built file
      if (!readFileSync(db).equals(before)) {
        const check = new Database(db, { readonly: true });
        expect(check.pragma('quick_check', { simple: true })).toBe('ok');
        expect(
          JSON.parse(
            check.prepare("SELECT value FROM meta WHERE key = 'conversations'").pluck().get() as string,
          ),
        ).toBe(6000 * 16);
        check.close();
      }
    }
    expect(killedMidBuild).toBeGreaterThan(0);
    // a rerun takes over the dead build's lock, removes its leftover file and builds
    const rerun = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/pipeline.ts', '--input', copyFixture(), '--db', db, '--force'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes('.building-') || f.endsWith('.lock'))).toEqual([]);
  }, 150_000);

  it('stops when the process that started it is killed, without touching the database', async () => {
    const dir = tempDir();
    const db = join(dir, 'cockpit.db');
    // tsx runs the script in a child process: killing tsx (what the user started) must stop it
    const parent = spawn(process.execPath, [TSX, 'scripts/pipeline.ts', '--input', bundle, '--db', db], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    parent.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let childPid: number | null = null;
    for (let i = 0; i < 100 && childPid === null; i++) {
      await sleep(50);
      const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(parent.pid)], { encoding: 'utf8' });
      const pid = Number.parseInt(ps.stdout.trim().split('\n')[0] ?? '', 10);
      if (Number.isInteger(pid)) childPid = pid;
    }
    expect(childPid).not.toBeNull();
    // kill the parent once the build is under way (its temporary file exists)
    for (let i = 0; i < 200 && !readdirSync(dir).some((f) => f.includes('.building-')); i++) await sleep(25);
    expect(readdirSync(dir).some((f) => f.includes('.building-'))).toBe(true);
    parent.kill('SIGKILL');
    await exited(parent);
    for (let i = 0; i < 200 && alive(childPid!); i++) await sleep(50);
    expect(alive(childPid!)).toBe(false);
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(stderr).not.toContain('    at '); // no stack trace
  }, 30_000);
});
