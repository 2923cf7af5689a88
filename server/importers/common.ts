/** Shared pieces of the per-format mappers. */

import { parseIsoTimestamp, type TimeWindow } from '../domain/time.ts';
import type { Channel, Conversation, ResolutionState } from '../domain/types.ts';
import { implausibleCreatedAt, validateConversation } from '../domain/validate.ts';
import type { ConversationExtra } from './types.ts';

export type MapResult =
  | {
      kind: 'ok';
      conversation: Conversation;
      extra?: ConversationExtra;
      /** a message row's AI column said yes or no in so many words (a blank or unreadable cell says nothing) */
      aiSaid?: boolean;
    }
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; reason: string; misshapen?: true };

/** Collects "this happened N times" remarks for the report's notes. */
/** Distinct values counted per note at most; past it the note says "10,000+". */
const MAX_VALUES = 10_000;

export class Tally {
  private readonly counts = new Map<string, number>();
  private readonly values = new Map<string, Set<string>>();
  add(note: string, n = 1) {
    this.counts.set(note, (this.counts.get(note) ?? 0) + n);
  }
  /**
   * One note for a value that varies (a person's name in an author column): counted once, with how
   * many distinct values and the first few, where a note per value flooded the report with one line
   * per agent and customer.
   */
  addValue(note: string, value: string) {
    this.add(note);
    const seen = this.values.get(note) ?? new Set<string>();
    this.values.set(note, seen);
    if (seen.size < MAX_VALUES) seen.add(value);
  }
  notes(): string[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 50)
      .map(([note, n]) => {
        const seen = this.values.get(note);
        if (!seen) return `${note} (${n}×)`;
        const distinct =
          seen.size >= MAX_VALUES ? `${MAX_VALUES.toLocaleString('en-US')}+` : String(seen.size);
        const first = [...seen]
          .slice(0, 3)
          .map((v) => JSON.stringify(v.slice(0, 30)))
          .join(', ');
        return `${note}: ${distinct} distinct (${first}${seen.size > 3 ? ', …' : ''}) (${n}×)`;
      });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function idOf(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** Intercom's conversation rating in words (its emoji scale): 1 Terrible, 2 Bad, 3 OK, 4 Great, 5 Amazing. */
export const INTERCOM_RATING_WORDS: Readonly<Record<string, number>> = {
  terrible: 1,
  bad: 2,
  ok: 3,
  great: 4,
  amazing: 5,
};

/** Intercom's rating: 1–5, or one of its scale's words; else null. */
export function intercomRating(v: unknown): number | null {
  return typeof v === 'string'
    ? (INTERCOM_RATING_WORDS[v.trim().toLowerCase()] ?? rating1to5(v))
    : rating1to5(v);
}

/** Integer rating 1–5 from a number or numeric string, else null. */
export function rating1to5(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) return null;
  const r = Math.round(n);
  return Math.abs(r - n) < 1e-9 && r >= 1 && r <= 5 ? r : null;
}

/**
 * The mappers build conversations that pass `validateConversation` by construction (ids non-empty,
 * dates from `isoFromMs`, channels/roles/states from fixed tables, csat 1–5); the tests check every
 * output against the validator. Set IMPORT_VALIDATE=1 to re-validate at run time.
 */
const REVALIDATE = process.env.IMPORT_VALIDATE === '1';

export function finalize(c: Conversation, extra?: ConversationExtra, window?: TimeWindow): MapResult {
  // Mappers write valid ISO dates; whether the date is plausible is checked for every record.
  const ms = parseIsoTimestamp(c.createdAt);
  const implausible =
    ms === null ? `invalid date "createdAt": ${c.createdAt}` : implausibleCreatedAt(c.createdAt, ms, window);
  if (implausible) return { kind: 'reject', reason: implausible };
  if (REVALIDATE) {
    const v = validateConversation(c, window);
    if (!v.ok) return { kind: 'reject', reason: v.reason };
  }
  return extra ? { kind: 'ok', conversation: c, extra } : { kind: 'ok', conversation: c };
}

const STATE_ALIASES: Record<string, ResolutionState> = {
  confirmed_resolution: 'confirmed_resolution',
  assumed_resolution: 'assumed_resolution',
  escalated: 'escalated',
  procedure_handoff: 'procedure_handoff',
  negative_feedback: 'negative_feedback',
  abandoned: 'abandoned',
  pending: 'pending',
  routed_to_team: 'escalated',
};

export function knownState(v: unknown): ResolutionState | null | undefined {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return undefined;
  return STATE_ALIASES[v.trim().toLowerCase()];
}

export type { Channel };
