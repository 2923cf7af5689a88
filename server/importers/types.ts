/** Public types of the importers (see docs/imports.md). */
import type { TimeWindow } from '../domain/time.ts';
import type { Conversation } from '../domain/types.ts';

export const IMPORT_FORMATS = ['canonical', 'intercom', 'zendesk', 'csv', 'records'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportIssue {
  /** 1-based line where the record starts (0 when not known). */
  line: number;
  reason: string;
}

export interface ImportReport {
  format: ImportFormat;
  /** Records seen (conversations/tickets/rows), whatever became of them. */
  records: number;
  imported: number;
  /** Left out on purpose (e.g. Fin preview traffic), counted per reason in `skippedReasons`. */
  skipped: number;
  /** Invalid records; the first 100 are listed in `rejects`. */
  rejected: number;
  skippedReasons: Record<string, number>;
  rejects: ImportIssue[];
  /** CSV without a time column, read with ImportOptions.undatedAt: its dates are not the file's */
  undated?: boolean;
  /** CSV only: source header → canonical field. */
  mapping?: Record<string, string>;
  /** Human-readable remarks (encoding, gzip, inferred fields, unknown values…). */
  notes: string[];
  /** Decompressed bytes read. */
  bytes: number;
  gzip: boolean;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
}

/** Source data that has no home in `Conversation` (kept alongside it). */
export interface ConversationExtra {
  /** Intercom's AI "CX Score rating" custom attribute (1–5), when present. */
  cxScoreRating?: number;
  /** Intercom's "CX Score explanation" custom attribute, when present. */
  cxScoreExplanation?: string;
  /** Source status (Zendesk `status`, Intercom `state`, CSV outcome text). */
  sourceStatus?: string;
  /** Intercom `ai_agent.source_type`. */
  aiSourceType?: string;
  adminAssigneeId?: string;
  teamAssigneeId?: string;
}

export type ImportEvent =
  | { type: 'conversation'; conversation: Conversation; line: number; extra?: ConversationExtra }
  | { type: 'progress'; bytes: number; records: number }
  | { type: 'report'; report: ImportReport };

export interface ImportOptions {
  /** Account (or prospect) the conversations belong to. Canonical lines keep their own `accountId`. */
  accountId: string;
  /** Skip detection and use this format. */
  format?: ImportFormat;
  /** Used as a hint for detection (`.csv`, `.jsonl`, `.gz`). */
  fileName?: string;
  /**
   * For a CSV without a time column (messages only, e.g. a list of customer requests): the ISO time
   * every conversation gets, instead of refusing the file. The estimate sets it (a prospect's
   * potential needs no dates); the pipeline does not (its metrics are monthly).
   */
  undatedAt?: string;
  /**
   * A prospect's export (the estimate): its canonical lines may leave out `aiInvolved` (no AI agent
   * yet: not involved, unless the line names an AI outcome) and `channel` ("other"). A customer's
   * (the pipeline) must carry both, as in a bundle folder (SPEC §2).
   */
  prospect?: boolean;
  /** Longest accepted record (line, CSV record or JSON element), bytes. Default 1 MB. */
  maxLineBytes?: number;
  /** decompressed bytes over which the import stops with TOO_LARGE (default: no limit) */
  maxDecodedBytes?: number;
  /**
   * Fed the file's decoded text (decompressed, byte-order mark dropped, UTF-16 as UTF-8) as it is
   * read: the same export as .csv and .csv.gz hashes the same.
   */
  contentHash?: { update(chunk: Buffer): unknown };
  signal?: AbortSignal;
  /** Emit a progress event every this many records (default 5,000). */
  progressEvery?: number;
  /** Stop with TOO_MANY_ERRORS once this many records are rejected. Default: no limit. */
  maxRejects?: number;
  /**
   * Plausible `createdAt` window (SPEC §2: `--not-before` / `--not-after`); a record outside it is
   * rejected. Default: 2000-01-01 to now + 1 day.
   */
  window?: TimeWindow;
  /**
   * Called for every rejected record (the report lists only the first 100): its line, reason and
   * the start of its text ('' when it could not be read).
   */
  onReject?: (reject: ImportIssue & { record: string }) => void;
}

export type ImportErrorCode =
  | 'EMPTY'
  | 'BINARY'
  | 'ENCODING'
  | 'UNKNOWN_FORMAT'
  | 'MISSING_COLUMNS'
  | 'TOO_MANY_ERRORS'
  | 'GZIP'
  | 'TOO_LARGE'
  | 'ABORTED'
  | 'STALLED'
  | 'READ_ERROR'
  | 'BAD_OPTIONS';

/** Fatal import problem: the whole file cannot be imported. Never carries a stack trace to users. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
