/**
 * The audit log: one JSON line per build and per prospect save, delete or expiry — who, when, what, the
 * file's hash and its row counts. Append-only by construction (O_APPEND writes of whole lines,
 * never rewritten); `COCKPIT_AUDIT_LOG` moves it, default `audit.jsonl` beside the database.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
