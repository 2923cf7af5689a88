/**
 * `npm run estimate -- --input FILE [--vertical V] [--name N] [--save] [--json] [--db FILE]
 *                     [--prospects-db FILE]`
 * A prospect's automation potential from an export (canonical JSONL, Intercom, Zendesk or CSV,
 * optionally gzipped), compared with the customers in the serving database. docs/estimate.md.
 * Exit codes: 0 ok, 1 bad input (or no serving database), 2 bad usage.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EstimateResult } from '../server/api-types.ts';
import { appendAudit, auditLogPath, osUser, prospectSaveEntry } from '../server/audit.ts';
import { openServingDb } from '../server/db/open.ts';
import { defaultProspectsDbPath, openProspectStore } from '../server/db/prospects.ts';
import { UNFAMILIAR_REQUEST_SHARE } from '../server/domain/estimate.ts';
import { benchmarkSource } from '../server/estimate/benchmarks.ts';
import { DEFAULT_VERTICAL, estimateProspect } from '../server/estimate/estimate.ts';
import { MAX_ESTIMATE_BYTES } from '../server/estimate/stream.ts';
import { formatBytes } from '../server/importers/bytes.ts';
import { ImportError } from '../server/importers/index.ts';
import { fromCaller, parseCli } from './cli.ts';

const USAGE =
  'usage: npm run estimate -- --input FILE [--vertical V] [--name N] [--save] [--json] [--db FILE] [--prospects-db FILE]';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number) => Math.round(v).toLocaleString('en-US');

function printHuman(r: EstimateResult, out: (s: string) => void) {
  const rep = r.report;
  out(`${r.name} (${r.vertical}) — ${r.fileName ?? 'input'}, ${formatBytes(r.bytes)}`);
  out('');
  out(
    `Import: ${rep.format}${rep.gzip ? ', gzip' : ''}${rep.encoding !== 'utf-8' ? `, ${rep.encoding}` : ''}`,
  );
  out(
    `  ${num(rep.records)} records: ${num(rep.imported)} imported, ${num(rep.skipped)} skipped, ${num(rep.rejected)} rejected`,
  );
  for (const [reason, n] of Object.entries(rep.skippedReasons)) out(`  skipped ${num(n)}: ${reason}`);
  for (const x of rep.rejects.slice(0, 5)) out(`  rejected line ${x.line}: ${x.reason}`);
  if (rep.rejected > 5) out(`  … ${num(rep.rejected - 5)} more rejected`);
  if (rep.mapping)
    out(
      `  columns: ${Object.entries(rep.mapping)
        .map(([h, f]) => `${h} → ${f}`)
        .join(', ')}`,
    );
  for (const n of rep.notes) out(`  note: ${n}`);
  out('');
  out(
    `Conversations: ${num(r.conversations)} from ${r.from?.slice(0, 10) ?? '—'} to ${r.to?.slice(0, 10) ?? '—'} (${r.months.toFixed(1)} months, ${num(r.monthlyConversations)}/month); classification confidence ${pct(r.confidence)}`,
  );
  if (r.unreadable)
    out(
      `  not read: ${num(r.unreadable)} conversations (${pct(r.unreadable / Math.max(1, r.conversations))}) are in a language the classifier does not read (it reads English and Hindi-English); their topics are unknown`,
    );
  if (r.noText)
    out(
      `  no customer words: ${num(r.noText)} conversations (${pct(r.noText / Math.max(1, r.conversations))}) have none (no message, or only emoji, numbers and punctuation); counted in the volume, in no topic`,
    );
  if (!r.withheld && (r.lowConfidenceRequests ?? 0) >= UNFAMILIAR_REQUEST_SHARE)
    out(
      `  unfamiliar topics: ${pct(r.lowConfidenceRequests ?? null)} of the support requests match no topic well (confidence under 50%; 1–15% for the kinds of business the taxonomy was written for): topic names are the nearest matches, and the class mix and potential less sure`,
    );
  if (r.withheld === 'unreadable')
    out(
      'Automation potential: withheld — a quarter or more of the export is in a language the classifier does not read, and the rest is most likely the same language misread; no roadmap either',
    );
  else if (r.withheld === 'no_text')
    out(
      'Automation potential: withheld — half or more of the conversations have no customer words to read (check the text column); no roadmap either',
    );
  else
    out(
      `Automation potential: ${pct(r.potential)}  (range ${pct(r.potentialLow)} – ${pct(r.potentialHigh)}), ≈ ${num(r.expectedConversations)} automated conversations/month`,
    );
  out(
    `  peers: ${r.benchmark.verticalAccounts} accounts in the ${r.vertical} vertical, of ${r.benchmark.allAccounts}; leaf levels from ${Object.entries(
      r.benchmark.sources,
    )
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
  );
  out('');
  out('By automation class:');
  for (const c of r.classes)
    if (c.conversations > 0)
      out(
        `  ${c.automationClass.padEnd(14)} ${pct(c.share).padStart(6)} of volume  → ${(c.points * 100).toFixed(1).padStart(5)} pts (${(c.pointsLow * 100).toFixed(1)}–${(c.pointsHigh * 100).toFixed(1)})`,
      );
  out('');
  out('Top leaves:');
  for (const l of r.leaves.slice(0, 10))
    out(
      `  ${l.label.slice(0, 34).padEnd(34)} ${num(l.monthlyConversations).padStart(7)}/mo ${pct(l.share).padStart(6)}  conf ${l.confidence.toFixed(2)}  achievable ${pct(l.achievableInvolvement)} × ${pct(l.achievableResolution)} = ${pct(l.achievableAutomation)}  (${l.benchmark.source})`,
    );
  out('');
  out('Roadmap, first actions:');
  for (const a of r.actions)
    out(
      `  ${a.rank}. ${a.title}: +${(a.gainPoints * 100).toFixed(1)} pts, +${num(a.gainConversations)} conversations/month → ${pct(a.cumulativeRate)}`,
    );
  out('');
  out(r.saved ? `Saved as prospect ${r.id}` : `Prospect id ${r.id} (not saved; add --save)`);
}

async function main(): Promise<number> {
  const parsed = parseCli(
    USAGE,
    {
      input: { type: 'string' },
      vertical: { type: 'string' },
      name: { type: 'string' },
      save: { type: 'boolean' },
      json: { type: 'boolean' },
      db: { type: 'string' },
      'prospects-db': { type: 'string' },
    },
    ['input'],
  );
  if ('exitCode' in parsed) return parsed.exitCode;
  const values = parsed.values as typeof parsed.values & { input: string };
  const vertical = (values.vertical ?? DEFAULT_VERTICAL).trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(vertical)) {
    console.error(`--vertical must be a short lower-case word such as "ecommerce", got "${values.vertical}"`);
    return 2;
  }
  const input = fromCaller(values.input);
  if (!existsSync(input)) {
    console.error(`${values.input}: file not found`);
    return 1;
  }
  if (!statSync(input).isFile()) {
    console.error(`${values.input}: is a folder, expected the export file`);
    return 1;
  }
  const size = statSync(input).size;
  if (size > MAX_ESTIMATE_BYTES) {
    console.error(
      `${values.input}: the file is too large: ${formatBytes(size)}, over the ${formatBytes(MAX_ESTIMATE_BYTES)} limit`,
    );
    return 1;
  }
  const dbPath =
    values.db !== undefined ? fromCaller(values.db) : resolve(process.env.COCKPIT_DB ?? 'data/cockpit.db');
  if (!existsSync(dbPath)) {
    console.error(
      `serving database not found at ${dbPath}: build it with npm run demo or npm run pipeline (or pass --db)`,
    );
    return 1;
  }
  let db: ReturnType<typeof openServingDb>;
  try {
    if (statSync(dbPath).isDirectory())
      throw new Error(`${dbPath} is a folder, expected the serving database file`);
    db = openServingDb(dbPath);
  } catch (err) {
    // an outdated, foreign or unreadable database: one line, as every command says it
    console.error(`estimate failed: ${(err as Error).message.split('\n')[0]}`);
    return 1;
  }
  const benchmarks = benchmarkSource(db);
  const known = benchmarks.verticals();
  if (!known.includes(vertical)) {
    console.error(`--vertical: unknown vertical "${vertical}"; expected one of ${known.join(', ')}`);
    return 2;
  }
  const showProgress = process.stderr.isTTY && !values.json;
  try {
    let result = await estimateProspect(createReadStream(input, { highWaterMark: 256 * 1024 }), benchmarks, {
      vertical,
      fileName: input,
      ...(values.name !== undefined && { name: values.name }),
      ...(showProgress && {
        onProgress: (p) =>
          process.stderr.write(
            `\r  ${num(p.records)} records, ${formatBytes(p.bytes)} of ${formatBytes(size)}…`.padEnd(60),
          ),
      }),
    });
    if (showProgress) process.stderr.write(`\r${' '.repeat(60)}\r`);
    if (values.save) {
      const prospectsPath =
        values['prospects-db'] !== undefined ? fromCaller(values['prospects-db']) : defaultProspectsDbPath();
      try {
        const store = openProspectStore(prospectsPath);
        try {
          // SPEC §8: a save from the command line is in the audit log as the server's are, written
          // first (a save the log cannot record is not made)
          store.checkRoom(result.id);
          appendAudit(auditLogPath(store.path), prospectSaveEntry(osUser(), result));
          result = await store.save(result);
        } finally {
          store.close();
        }
      } catch (err) {
        // a folder, no permission, a file that is not the prospects database: one line
        console.error(`estimate failed: ${prospectsPath}: ${(err as Error).message.split('\n')[0]}`);
        return 1;
      }
    }
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else printHuman(result, (s) => console.log(s));
    return 0;
  } catch (err) {
    if (showProgress) process.stderr.write('\n');
    if (err instanceof ImportError) {
      console.error(
        `${values.input}: ${err.message}${err.line && !/line \d/.test(err.message) ? ` (line ${err.line})` : ''}`,
      );
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}

// a reader that went away (`npm run estimate -- … | head -1`) ends the output quietly, as for any
// Unix tool, instead of an unhandled EPIPE stack trace
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});
process.exitCode = await main();
