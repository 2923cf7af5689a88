/**
 * What makes a build safe to run on a live database (issue 11): one build per database at a time
 * (a lock file holding the builder's pid), leftovers of dead builds removed, and the new file
 * checked and flushed to disk before it replaces the old one.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PipelineError } from './errors.ts';

/** Whether `pid` is a running process; a zombie (exited, not yet reaped by its parent) is not. */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …" — the state letter follows the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): the signal check is all there is
  }
}

export interface BuildLock {
  release(): void;
}

/** Takes `<db>.lock`; a lock left by a dead process is taken over. */
export function acquireBuildLock(dbPath: string): BuildLock {
  const lockPath = `${dbPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(lockPath, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (alive(holder))
        throw new PipelineError(
          `another pipeline (pid ${holder}) is building ${dbPath}: wait for it to finish (or remove ${lockPath} if that process is gone)`,
        );
      rmSync(lockPath, { force: true });
    }
  }
  throw new PipelineError(`${lockPath}: cannot take the build lock`);
}

/** Removes `<db>.building-<pid>` files (and their journals) whose builder is no longer running. */
export function removeDeadBuilds(dbPath: string): string[] {
  const dir = dirname(dbPath);
  const prefix = `${basename(dbPath)}.building-`;
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (alive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Flushes a file, or a directory entry after a rename, to disk. */
export function fsyncPath(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch (e) {
    // Some file systems cannot fsync a directory; the rename itself is still atomic there.
    if ((e as NodeJS.ErrnoException).code !== 'EISDIR' && (e as NodeJS.ErrnoException).code !== 'EINVAL')
      throw e;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
