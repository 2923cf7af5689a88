/**
 * Build gates (SPEC §2): a build that would hold no conversations, or lose more than a fifth of
 * the accounts or conversations of the database it replaces, is refused unless `--force`. An
 * export cut short upstream (an empty file, one day instead of a year) must not silently replace
 * a good database.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { metaValueOf } from '../../server/db/open.ts';

export interface BuildSize {
  accounts: number;
  conversations: number;
}

export const MAX_SHRINK = 0.2;

/** How long the pipeline waits for another process's lock on the database it replaces. */
export const GATE_BUSY_WAIT_MS = 10_000;

/** What the database at `path` holds, or null when there is none (or it is not a Cockpit database). */
export function previousBuildSize(path: string): BuildSize | null {
  if (!existsSync(path) || !statSync(path).isFile()) return null;
  // a database that cannot be read now (locked, a hot journal, I/O) throws: the gate must not be skipped
  const strict = { busyWaitMs: GATE_BUSY_WAIT_MS, strict: true };
  const accounts = Number(metaValueOf(path, 'accounts', strict));
  const conversations = Number(metaValueOf(path, 'conversations', strict));
  if (!Number.isFinite(accounts) || !Number.isFinite(conversations)) return null;
  return { accounts, conversations };
}

const n = (x: number) => x.toLocaleString('en-US');
const drop = (from: number, to: number) => `${n(from)} → ${n(to)} (${changePct(from, to)})`;

/**
 * "−20.1%": one decimal, more when one would round onto the gate itself (20.007% is "−20.01%",
 * not "−20.0%", which reads as allowed)
 */
function changePct(from: number, to: number): string {
  const p = ((to - from) / from) * 100;
  let digits = Number.isInteger(p) ? 0 : 1;
  while (
    digits < 4 &&
    Math.abs(p) > MAX_SHRINK * 100 &&
    Number(Math.abs(p).toFixed(digits)) <= MAX_SHRINK * 100
  )
    digits++;
  return `${p > 0 ? '+' : ''}${p.toFixed(digits)}%`;
}

/** The one-line reason a build is refused, or null when it may replace `previous`. */
export function buildRefusal(previous: BuildSize | null, next: BuildSize): string | null {
  if (next.conversations === 0)
    return `the new build would hold 0 conversations (${n(next.accounts)} accounts)`;
  if (!previous) return null;
  const shrunk = (from: number, to: number) => from > 0 && to < from * (1 - MAX_SHRINK);
  const parts: string[] = [];
  if (shrunk(previous.accounts, next.accounts))
    parts.push(`accounts ${drop(previous.accounts, next.accounts)}`);
  if (shrunk(previous.conversations, next.conversations))
    parts.push(`conversations ${drop(previous.conversations, next.conversations)}`);
  if (parts.length === 0) return null;
  return `the new build would lose more than ${MAX_SHRINK * 100}% against the database it replaces: ${parts.join(', ')}`;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/**
 * Why the file at `--db` must not be replaced by a build, or null when it may: a build renames its
 * new database over whatever the path names, and a mistyped `--db` (the export's own
 * conversations.jsonl, the prospects database) was overwritten with exit 0. A file that is not a
 * SQLite database at all is never replaced; a SQLite database Cockpit did not build only with
 * `--force`.
 */
export function replaceRefusal(path: string, force: boolean): string | null {
  if (!existsSync(path) || !statSync(path).isFile() || statSync(path).size === 0) return null;
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== SQLITE_HEADER)
    return `${path} is not a database (an export or another file?): a build would replace it; name another --db, or remove the file first`;
  if (force) return null;
  const strict = { busyWaitMs: GATE_BUSY_WAIT_MS, strict: true };
  if (metaValueOf(path, 'schemaVersion', strict) === undefined)
    return `${path} is a SQLite database that Cockpit did not build (the prospects database?): a build would replace it; name another --db, or pass --force to replace it`;
  return null;
}
