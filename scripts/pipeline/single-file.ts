/**
 * `npm run pipeline -- --input FILE`: a single export file (canonical conversations.jsonl[.gz],
 * Intercom, Zendesk or CSV — see docs/imports.md) turned into a temporary canonical bundle with one
 * synthesized account named from the file, so the normal pipeline can build a database from it.
 * Canonical lines that carry their own `accountId` keep it; each such id becomes an account too.
 * Every record the import rejects goes to `rejects` under the export's own name and line, so the
 * pipeline writes it to the rejects file and counts it (runPipeline does this for a file input).
 */

import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimeWindow } from '../../server/domain/time.ts';
import { nameFromFile } from '../../server/estimate/estimate.ts';
import { ImportError, type ImportReport, importFile } from '../../server/importers/index.ts';
import { PipelineError } from './bundle.ts';
import { RejectLog } from './rejects.ts';

export interface SingleFileOptions {
  vertical?: string;
  /** account name (default: from the file name) */
  name?: string;
  /** fail when more than this share of records is rejected (default 1%) */
  maxRejectRate?: number;
  log?: (msg: string) => void;
  /** plausible createdAt window (`--not-before` / `--not-after`); default 2000-01-01 to now + 1 day */
  window?: TimeWindow;
  /** where every rejected record goes (default: a new log printing through `log`) */
  rejects?: RejectLog;
}

export interface SingleFileBundle {
  /** temporary bundle folder: pass to runPipeline, then `cleanup()` */
  dir: string;
  accountId: string;
  accounts: string[];
  report: ImportReport;
  /** every rejected record of the import, named by the export file and its line */
  rejects: RejectLog;
  cleanup(): void;
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'account'
  );
}

/** Converts one export file into a canonical bundle in a temp folder (streaming). */
export async function singleFileBundle(
  path: string,
  opts: SingleFileOptions = {},
): Promise<SingleFileBundle> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const name = opts.name?.trim() || nameFromFile(path) || 'Imported account';
  const accountId = slug(name);
  const rejects = opts.rejects ?? new RejectLog((m) => log(`  reject ${m}`));
  const dir = mkdtempSync(join(tmpdir(), 'cockpit-single-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const out = createWriteStream(join(dir, 'conversations.jsonl'));
    const accountIds = new Set<string>();
    let report: ImportReport | null = null;
    let pending: string[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const text = `${pending.join('\n')}\n`;
      pending = [];
      if (!out.write(text)) await once(out, 'drain');
    };
    const importOptions = {
      accountId,
      onReject: (x: { line: number; reason: string; record: string }) =>
        rejects.add(path, x.line, x.reason, x.record),
      ...(opts.window && { window: opts.window }),
    };
    for await (const ev of importFile(path, importOptions)) {
      if (ev.type === 'conversation') {
        const c = ev.conversation;
        accountIds.add(c.accountId);
        // A helpdesk numbers tickets per instance: two customers' exports both have ticket 5001.
        // The synthesized account's conversations are named within it, so an --append of another
        // customer's file adds its conversations instead of replacing the first one's.
        if (c.accountId === accountId) c.id = `${accountId}:${c.id}`;
        pending.push(JSON.stringify(c));
        if (pending.length >= 1000) await flush();
      } else if (ev.type === 'report') report = ev.report;
    }
    await flush();
    out.end();
    await once(out, 'finish');
    const r = report!;
    log(
      `${path}: ${r.format}${r.gzip ? ' (gzip)' : ''}, ${r.records} records: ${r.imported} imported, ${r.skipped} skipped, ${r.rejected} rejected`,
    );
    for (const note of r.notes) log(`  ${note}`);
    if (r.mapping)
      log(
        `  columns: ${Object.entries(r.mapping)
          .map(([h, f]) => `${h} → ${f}`)
          .join(', ')}`,
      );
    const maxRate = opts.maxRejectRate ?? 0.01;
    if (r.records > 0 && r.rejected / r.records > maxRate)
      throw new PipelineError(
        `${path}: ${((r.rejected / r.records) * 100).toFixed(2)}% of records were invalid, over the --max-reject-rate of ${(maxRate * 100).toFixed(2)}% (first: line ${r.rejects[0]?.line}: ${r.rejects[0]?.reason})`,
      );
    const accounts = [...accountIds].sort();
    const lines = accounts.map((id) =>
      JSON.stringify({
        id,
        name: id === accountId || accounts.length === 1 ? name : id,
        vertical: opts.vertical ?? 'other',
        status: 'customer',
      }),
    );
    writeFileSync(join(dir, 'accounts.jsonl'), `${lines.join('\n')}\n`);
    log(
      `  synthesized ${accounts.length === 1 ? `account "${name}" (${accounts[0]})` : `${accounts.length} accounts`}`,
    );
    return { dir, accountId, accounts, report: r, rejects, cleanup };
  } catch (err) {
    cleanup();
    if (err instanceof ImportError)
      throw new PipelineError(
        `${path}: ${err.message}${err.line && !/line \d/.test(err.message) ? ` (line ${err.line})` : ''}`,
      );
    throw err;
  }
}
