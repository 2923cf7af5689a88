/**
 * The audit log: one JSON line per build and per prospect save, delete or expiry — who, when, what, the
 * file's hash and its row counts. Append-only by construction (O_APPEND writes of whole lines,
 * never rewritten); `COCKPIT_AUDIT_LOG` moves it, default `audit.jsonl` beside the database.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { EstimateResult } from './api-types.ts';

export interface AuditEntry {
  action: 'build' | 'prospect.save' | 'prospect.delete' | 'prospect.expire';
  /** the signed-in user, `local` on a loopback server without sign-in, or the OS user for builds */
  who: string;
  /** the database built, or the prospect's id */
  target: string;
  sha256?: string | null;
  rows?: Record<string, number>;
  name?: string;
}

export function auditLogPath(besideFile: string): string {
  return process.env.COCKPIT_AUDIT_LOG ?? join(dirname(besideFile), 'audit.jsonl');
}

/** Appends one entry; an audit log that cannot be written is reported, never silently skipped. */
export function appendAudit(file: string, entry: AuditEntry, at = new Date()): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ at: at.toISOString(), ...entry })}\n`, { flag: 'a' });
}

/** The OS user running a command (a build, a save from the command line), for its audit line. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The audit line of a prospect save, written before the save (whose result has the same id and name). */
export function prospectSaveEntry(who: string, r: EstimateResult): AuditEntry {
  return {
    action: 'prospect.save',
    who,
    target: r.id,
    name: r.name,
    sha256: r.sha256,
    rows: { records: r.report.records, conversations: r.conversations, rejected: r.report.rejected },
  };
}
