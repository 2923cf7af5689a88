/**
 * Streaming importers: real exports (canonical JSONL, Intercom conversations, Zendesk tickets, plain CSV)
 * → canonical `Conversation`s, with a report of what was imported, skipped and rejected and why.
 * See docs/imports.md.
 */
import { createReadStream } from 'node:fs';
import type { Conversation } from '../domain/types.ts';
import { validateConversation } from '../domain/validate.ts';
import {
  DEFAULT_MAX_LINE_BYTES,
  decodeNotUtf8Line,
  decodeUtf8,
  ENCODING_FATAL_SHARE,
  type ImportInput,
  LineSplitter,
  lineTooLong,
  NOT_UTF8_LINE,
  openInput,
  type RawLine,
} from './bytes.ts';
import { isRecord, type MapResult, Tally } from './common.ts';
import {
  CsvMapper,
  type CsvMapping,
  type CsvRecord,
  CsvRecordParser,
  csvDayOrder,
  csvTable,
  excelSepLine,
  mapCsvHeader,
  sniffDelimiter,
  withDateColumnByContent,
} from './csv.ts';
import { CsvMessageGrouper } from './csv-messages.ts';
import { detectFormat, looksLikeJsonLines } from './detect.ts';
import { isIntercomPage, mapIntercom } from './intercom.ts';
import { JsonLinesSplitter, type JsonRecord, JsonScanner } from './json-scan.ts';
import { nestedMessages } from './nested-messages.ts';
import { RECORD_CONTAINERS, recordFields, recordHeaders, recordsMapping, unwrapRecords } from './records.ts';
import {
  type ConversationExtra,
  ImportError,
  type ImportEvent,
  type ImportFormat,
  type ImportOptions,
  type ImportReport,
} from './types.ts';
import { addSideload, mapZendesk, newSideloads, ZENDESK_SIDE_KEYS } from './zendesk.ts';

/** tickets of a split Zendesk page held for side-loaded comments later in it, at most */
const HELD_TICKET_BYTES = 64 * 1024 * 1024;

export type { ImportInput } from './bytes.ts';
export { DEFAULT_MAX_LINE_BYTES } from './bytes.ts';
export { CSV_ALIASES, mapCsvHeader, parseCsvText } from './csv.ts';
export { type Detection, detectFormat } from './detect.ts';
export { htmlToText, parseDateTime } from './text.ts';
export * from './types.ts';

const MAX_LISTED_REJECTS = 100;
/** Give up when this many records in a row, from the start, are all rejected: wrong file or mapping. */
const FIRST_ALL_BAD = 200;

/** The start of a record's text, for `onReject` (a rejects file keeps a few hundred characters). */
function recordText(current: Buffer | string[] | null, delimiter: string): string {
  if (current === null) return '';
  if (Array.isArray(current)) return current.join(delimiter).slice(0, 1000);
  return current.toString('utf8', 0, Math.min(current.length, 1000));
}

class Run {
  readonly report: ImportReport;
  readonly tally = new Tally();
  readonly events: ImportEvent[] = [];
  /** the record being handled (its bytes, or its CSV fields), for the text `onReject` is given */
  current: Buffer | string[] | null = null;
  csvDelimiter = ',';
  private rejectEvents = 0;
  /**
   * records rejected as not UTF-8, and the first one's line: a pretty-printed Windows-1252 JSON file
   * spreads a record over ~8 lines, passed the head's per-line check, and lost 28 of its 40
   * records with an estimate still made of the rest (an import review)
   */
  notUtf8 = { records: 0, firstLine: 0 };
  /** good rows held for grouping (a CSV of one row per message), not yet counted as imported */
  heldRows = false;
  constructor(
    format: ImportFormat,
    private readonly opts: ImportOptions,
  ) {
    this.report = {
      format,
      records: 0,
      imported: 0,
      skipped: 0,
      rejected: 0,
      skippedReasons: {},
      rejects: [],
      notes: [],
      bytes: 0,
      gzip: false,
      encoding: 'utf-8',
    };
  }

  /** `count` > 1: one unreadable stretch that held that many physical lines, each most likely a record */
  reject(line: number, reason: string, count = 1) {
    const r = this.report;
    r.records += count;
    r.rejected += count;
    this.rejectEvents++;
    if (reason === NOT_UTF8_LINE) {
      if (this.notUtf8.records === 0) this.notUtf8.firstLine = line;
      this.notUtf8.records += count;
    }
    if (r.rejects.length < MAX_LISTED_REJECTS) r.rejects.push({ line, reason });
    this.opts.onReject?.({ line, reason, record: recordText(this.current, this.csvDelimiter) });
    if (this.opts.maxRejects !== undefined && r.rejected > this.opts.maxRejects)
      throw new ImportError(
        'TOO_MANY_ERRORS',
        `stopped after ${r.rejected} rejected records (limit ${this.opts.maxRejects}); last: line ${line}: ${reason}`,
        line,
      );
    // records, not lines: one long broken first row is not "the wrong format"
    if (r.imported === 0 && r.skipped === 0 && !this.heldRows && this.rejectEvents >= FIRST_ALL_BAD) {
      const first = r.rejects[0]!;
      throw new ImportError(
        'TOO_MANY_ERRORS',
        `the first ${r.rejected} records were all rejected — is this the right format (${r.format})? First: line ${first.line}: ${first.reason}`,
        first.line,
      );
    }
  }

  /** `rows`: the records a conversation was read from (a CSV of one row per message: its rows) */
  result(res: MapResult, line: number, rows = 1) {
    const r = this.report;
    if (res.kind === 'ok') {
      r.records += rows;
      r.imported++;
      this.events.push(
        res.extra && Object.keys(res.extra).length > 0
          ? { type: 'conversation', conversation: res.conversation, line, extra: res.extra }
          : { type: 'conversation', conversation: res.conversation, line },
      );
    } else if (res.kind === 'skip') {
      r.records++;
      r.skipped++;
      r.skippedReasons[res.reason] = (r.skippedReasons[res.reason] ?? 0) + 1;
    } else this.reject(line, res.reason);
  }
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  const text = decodeUtf8(bytes);
  if (text === null) return { ok: false, reason: NOT_UTF8_LINE };
  try {
    // a byte-order mark inside the file: two exports, each with its own, joined into one
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${(e as Error).message.slice(0, 120)}` };
  }
}

const tooLong = lineTooLong;

function canonicalRecord(
  run: Run,
  value: unknown,
  line: number,
  accountId: string,
  window: ImportOptions['window'],
  prospect: boolean,
) {
  if (
    isRecord(value) &&
    (value.accountId === undefined || value.accountId === null || value.accountId === '')
  )
    value.accountId = accountId;
  // A prospect's export (the estimate) has no AI agent yet: a missing aiInvolved means it was not
  // involved, unless the line names an AI outcome; nor, often, a channel: "other", counted in the
  // notes. A customer's bundle (the pipeline) needs both, as SPEC §2 says: such a line is rejected
  // there for the same reason as in a bundle folder.
  if (prospect && isRecord(value)) {
    if (value.aiInvolved === undefined || value.aiInvolved === null)
      value.aiInvolved = value.aiResolutionState !== undefined && value.aiResolutionState !== null;
    if (value.channel === undefined || value.channel === null) {
      value.channel = 'other';
      run.tally.add('canonical: no channel → "other"');
    }
  }
  const v = validateConversation(value, window);
  if (!v.ok) {
    run.reject(line, v.reason);
    return;
  }
  const { createdAtMs: _ms, ...conversation } = v.value;
  run.result({ kind: 'ok', conversation: conversation as Conversation }, line);
}

/**
 * Feeds `hash` the text as UTF-8: a line in Windows-1252 as its UTF-8 text, so the same export saved
 * again as "CSV UTF-8" (the import's own advice) is the same prospect, not a second one (an import
 * review saved both); a UTF-8 file's bytes as they are, whatever its chunks.
 */
async function* fedTo(chunks: AsyncGenerator<Buffer>, hash: { update(chunk: Buffer): unknown }) {
  const feed = (b: Buffer) => {
    if (decodeUtf8(b) !== null) {
      hash.update(b);
      return;
    }
    const lines: string[] = [];
    for (let start = 0; start <= b.length; ) {
      let end = b.indexOf(10, start);
      if (end === -1) end = b.length;
      const line = b.subarray(start, end);
      lines.push(decodeUtf8(line) ?? decodeNotUtf8Line(line)?.text ?? line.toString('utf8'));
      start = end + 1;
    }
    hash.update(Buffer.from(lines.join('\n')));
  };
  // UTF-8 as it comes; else whole lines only (a character split between two chunks is no stray byte)
  let carry: Buffer | null = null;
  for await (const c of chunks) {
    const b: Buffer = carry ? Buffer.concat([carry, c]) : c;
    if (decodeUtf8(b) !== null) {
      hash.update(b);
      carry = null;
    } else {
      const cut = b.lastIndexOf(10) + 1;
      carry = cut < b.length ? Buffer.from(b.subarray(cut)) : null;
      if (cut > 0) feed(b.subarray(0, cut));
    }
    yield c;
  }
  if (carry) feed(carry);
}

/** What a CSV header (or a JSON record's keys) maps to, said in the report. */
function describeMapping(
  report: ImportReport,
  m: CsvMapping,
  mapper: CsvMapper,
  undatedAt: string | undefined,
  what: 'columns' | 'fields',
) {
  if (m.columns.createdAt === undefined && undatedAt) {
    report.undated = true;
    report.notes.push(
      `no time ${what === 'columns' ? 'column' : 'field'}: every conversation is dated ${undatedAt.slice(0, 10)}, so the file counts as one month's volume (per-month figures are the file's totals)`,
    );
  }
  report.mapping = m.mapping;
  // (an unnamed column, a trailing delimiter's, is no column to name: "ignored columns: customer, ")
  const named = m.ignored.filter((h) => h !== '');
  if (named.length) report.notes.push(`ignored ${what}: ${named.join(', ').slice(0, 300)}`);
  if (m.columns.id === undefined)
    report.notes.push(
      `no id ${what === 'columns' ? 'column' : 'field'}: each ${what === 'columns' ? 'row' : 'record'} is a conversation, named ${m.columns.createdAt === undefined ? `by its place in the file (the same request asked twice counts twice)` : 'by a hash of its content'}`,
    );
  if (mapper.needsAiColumn)
    report.notes.push(
      m.columns.outcome === undefined
        ? 'no outcome column: no AI resolution state is read; the AI agent took part where a message is written by it (a bot or assistant message, a transcript line by a bot), and in no other conversation'
        : 'whether an AI agent took part is read from the outcome column (yes when it names an AI resolution state)',
    );
}

/**
 * Import a file as a stream of events: one `conversation` per imported record, `progress` now and then,
 * and a final `report`. Fatal problems throw `ImportError` (EMPTY, BINARY, ENCODING, UNKNOWN_FORMAT,
 * MISSING_COLUMNS, TOO_MANY_ERRORS, GZIP, ABORTED, READ_ERROR); bad records are only rejected.
 */
export async function* importConversations(
  input: ImportInput,
  opts: ImportOptions,
): AsyncGenerator<ImportEvent> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const every = Math.max(1, opts.progressEvery ?? 5000);
  if (typeof opts.accountId !== 'string' || opts.accountId.trim() === '')
    throw new ImportError(
      'BAD_OPTIONS',
      'accountId is required (the account or prospect the conversations belong to)',
    );
  const opened = await openInput(input, opts.signal, opts.maxDecodedBytes);
  const chunks = opts.contentHash ? fedTo(opened.chunks, opts.contentHash) : opened.chunks;
  try {
    let format = opts.format;
    let detectReason = '';
    if (!format) {
      const d = detectFormat(opened.head, opts.fileName);
      if (!d.format) throw new ImportError('UNKNOWN_FORMAT', d.reason);
      format = d.format;
      detectReason = d.reason;
    }
    // a CSV reads a line that is not UTF-8 as Windows-1252; nothing else does
    if (opened.notUtf8 && format !== 'csv') throw opened.notUtf8;
    const run = new Run(format, opts);
    const report = run.report;
    report.gzip = opened.gzip;
    report.encoding = opened.notUtf8 ? 'windows-1252' : opened.encoding;
    report.notes.push(...opened.notes);
    if (detectReason) report.notes.push(`detected: ${detectReason}`);
    const accountId = opts.accountId;
    const window = opts.window;
    const lineMode = format === 'csv' || looksLikeJsonLines(opened.head, opts.fileName);

    // Per-format record handling -------------------------------------------------------------
    let onChunk: (chunk: Buffer) => void;
    let onEnd: () => void;
    const finishNotes: (() => void)[] = [];

    if (format === 'csv') {
      const lines: RawLine[] = [];
      const records: CsvRecord[] = [];
      const splitter = new LineSplitter(max);
      // a report's title above the header row: its lines are skipped, and said
      const { titleLines, table } = csvTable(opened.head);
      if (titleLines)
        report.notes.push(
          `${titleLines} ${titleLines === 1 ? 'line' : 'lines'} above the header row skipped as a title (${JSON.stringify(opened.head.trimStart().split('\n', 1)[0]!.replace(/\r$/, '').slice(0, 60))})`,
        );
      const [line1 = '', line2 = ''] = table
        .trimStart()
        .split('\n', 2)
        .map((l) => l.replace(/\r$/, ''));
      // Excel's `sep=;` line above the header names the delimiter and is not a row
      const sep = excelSepLine(line1);
      let sepLinePending = sep !== null;
      const delimiter = sep ?? sniffDelimiter(line1);
      if (sep) report.notes.push(`Excel "sep=${sep === '\t' ? '\\t' : sep}" line read as the delimiter`);
      const dateHead = sep ? table.slice(table.indexOf(line2)) : table;
      run.csvDelimiter = delimiter;
      const parser = new CsvRecordParser(delimiter, max);
      let mapper: CsvMapper | null = null;
      let grouper: CsvMessageGrouper | null = null;
      let windows1252Lines = 0;
      let mixedLines = 0;
      finishNotes.push(() => {
        if (mixedLines > 0)
          report.notes.push(
            `${mixedLines.toLocaleString('en-US')} UTF-8 ${mixedLines === 1 ? 'line holds' : 'lines hold'} a byte or two that ${mixedLines === 1 ? 'is' : 'are'} not (text pasted from elsewhere, a character cut in half): read as Windows-1252, or as "\ufffd" where cut`,
          );
        if (windows1252Lines > 0)
          report.notes.push(
            `${windows1252Lines.toLocaleString('en-US')} ${windows1252Lines === 1 ? 'line was' : 'lines were'} not UTF-8 and ${windows1252Lines === 1 ? 'was' : 'were'} read as Windows-1252 (Excel's plain "CSV" on Windows): check the accented letters in the examples, or save the file as "CSV UTF-8"`,
          );
      });
      const drain = () => {
        for (const l of lines) {
          if (l.line <= titleLines) continue;
          if (sepLinePending && l.bytes !== null && l.bytes.length > 0) {
            sepLinePending = false;
            if (excelSepLine(l.bytes.toString('latin1')) !== null) continue;
          }
          if (l.bytes === null) parser.pushLine(l.line, null, l.size, tooLong(l.size, max), records);
          else {
            let text = decodeUtf8(l.bytes);
            if (text === null) {
              const read = decodeNotUtf8Line(l.bytes);
              text = read?.text ?? null;
              if (read?.windows1252) windows1252Lines++;
              else if (read) mixedLines++;
            }
            if (text === null) parser.pushLine(l.line, null, l.size, NOT_UTF8_LINE, records);
            else parser.pushLine(l.line, text, l.size, null, records);
          }
        }
        lines.length = 0;
        for (const rec of records) {
          run.current = rec.fields;
          if (!rec.fields) {
            // Without its header row the file cannot be read: the next row would pass for it.
            if (!mapper)
              throw new ImportError(
                rec.error === NOT_UTF8_LINE ? 'ENCODING' : 'MISSING_COLUMNS',
                `the CSV header row (line ${rec.line}) cannot be read: ${rec.error ?? 'unreadable record'}${rec.error === NOT_UTF8_LINE ? ' — save the file as UTF-8' : ''}`,
                rec.line,
              );
            run.reject(rec.line, rec.error ?? 'unreadable record', rec.lines);
            continue;
          }
          if (!mapper) {
            const m = withDateColumnByContent(mapCsvHeader(rec.fields), dateHead, delimiter);
            if (m.createdByContent)
              report.notes.push(
                `created time read from the column "${m.createdByContent}": its header is not one Cockpit knows, its values are dates`,
              );
            const dayOrder = csvDayOrder(dateHead, delimiter, m.columns.createdAt);
            mapper = new CsvMapper(m, accountId, run.tally, window, dayOrder?.order ?? null, opts.undatedAt);
            if (dayOrder)
              report.notes.push(
                `numeric dates read ${dayOrder.order === 'dmy' ? 'day first (31/03/2026)' : 'month first (03/31/2026)'}, ${
                  dayOrder.by === 'past-12'
                    ? 'as the first rows write them'
                    : dayOrder.by === 'sorted'
                      ? `since no number passes 12 in the first rows and their dates are in order only when read so; if that is wrong, write YYYY-MM-DD`
                      : `since in the first rows no number passes 12 and the ${dayOrder.order === 'dmy' ? 'first' : 'second'} one runs through the days while the other stays put; if that is wrong, write YYYY-MM-DD`
                }`,
              );
            describeMapping(report, m, mapper, opts.undatedAt, 'columns');
            if (mapper.perMessage) grouper = new CsvMessageGrouper(run.tally);
            continue;
          }
          const fields = mapper.arrange(rec.fields);
          if (fields === null) {
            run.result(
              {
                kind: 'skip',
                reason:
                  'the header row repeated in another column order (two exports pasted together?): the rows under it read by that order',
              },
              rec.line,
            );
            continue;
          }
          const res = mapper.map(fields, rec.line);
          // a row of the wrong shape over several lines: a quote left open that took rows with it
          if (res.kind === 'reject' && res.misshapen && rec.lines)
            run.reject(
              rec.line,
              `${res.reason}, over ${rec.lines.toLocaleString('en-US')} lines: is a quote left open on line ${rec.line}? Its lines are counted as rejected`,
              rec.lines,
            );
          else if (grouper) {
            if (res.kind === 'ok') run.heldRows = true;
            for (const [r, line, rows] of grouper.add(
              res,
              rec.line,
              mapper.author(fields),
              mapper.subject(fields),
            ))
              run.result(r, line, rows);
          } else run.result(res, rec.line);
        }
        records.length = 0;
      };
      onChunk = (chunk) => {
        splitter.push(chunk, lines);
        drain();
      };
      onEnd = () => {
        splitter.end(lines);
        drain();
        parser.end(records);
        drain();
        if (!mapper) throw new ImportError('EMPTY', 'the CSV has no header row');
        if (grouper) {
          for (const [r, line, rows] of grouper.end()) run.result(r, line, rows);
          report.notes.push(
            `one row per message (an author column): ${grouper.rows.toLocaleString('en-US')} message rows grouped into ${grouper.conversations.toLocaleString('en-US')} conversations by id`,
          );
        }
      };
    } else {
      const side = format === 'zendesk' ? newSideloads() : null;
      const scanOpts = {
        lineMode,
        maxBytes: max,
        containerKeys:
          format === 'zendesk'
            ? new Set(['tickets', 'results'])
            : format === 'records'
              ? RECORD_CONTAINERS
              : new Set(['conversations']),
        sideKeys: new Set(format === 'zendesk' ? ZENDESK_SIDE_KEYS : []),
        embedded: format === 'records',
      };
      const scanner = lineMode ? new JsonLinesSplitter(scanOpts) : new JsonScanner(scanOpts);
      const takePrefix = () => {
        if (scanner instanceof JsonLinesSplitter) return scanner.takePrefix();
        const p = scanner.prefix;
        scanner.prefix = null;
        return p;
      };
      const ingestSide = (holder: Record<string, unknown>) => {
        if (!side) return;
        for (const key of ZENDESK_SIDE_KEYS) {
          const items = holder[key];
          if (Array.isArray(items)) for (const it of items) addSideload(side, key, it);
        }
      };
      const recs: JsonRecord[] = [];
      // flat JSON records: the first record's keys are the header, each record a row
      let recordMapper: CsvMapper | null = null;
      let recordKeys: string[] = [];
      let recordGrouper: CsvMessageGrouper | null = null;
      // the fields come from the keys of the head's first records (one record may leave some out)
      const headMapping = format === 'records' ? recordsMapping(opened.head) : null;
      const headKeys = headMapping?.headers ?? null;
      const flatRecord = (value: unknown, line: number): void => {
        // a page (`{"data": [...]}`) on one line stands for its records; an order's own `items` do not
        const rows = unwrapRecords(value);
        if (rows.length === 0) run.reject(line, 'not a JSON object');
        for (const row of rows) flatRow(row, line);
      };
      const flatRow = (value: Record<string, unknown>, line: number): void => {
        if (!recordMapper) {
          recordKeys = headKeys ?? recordHeaders(value);
          const m = mapCsvHeader(recordKeys);
          if (headMapping?.textInMessages !== undefined) m.textInMessages = headMapping.textInMessages;
          recordMapper = new CsvMapper(m, accountId, run.tally, window, null, opts.undatedAt, 'JSON records');
          describeMapping(report, m, recordMapper, opts.undatedAt, 'fields');
          if (recordMapper.perMessage) recordGrouper = new CsvMessageGrouper(run.tally);
        }
        const fields = recordFields(value, recordKeys);
        const nested = nestedMessages(value);
        if (nested) {
          run.tally.add(`JSON records: messages read from each record's "${nested.key}" list`);
          if (nested.internal > 0) run.tally.add('JSON records: internal notes left out', nested.internal);
          if (nested.unknownSender > 0)
            run.tally.add(
              'JSON records: messages no field names the sender of (customer or agent), left out',
              nested.unknownSender,
            );
        }
        const res = recordMapper.map(fields, line, nested?.messages);
        if (!recordGrouper) {
          run.result(res, line);
          return;
        }
        if (res.kind === 'ok') run.heldRows = true;
        for (const [r, at, rows] of recordGrouper.add(
          res,
          line,
          recordMapper.author(fields),
          recordMapper.subject(fields),
        ))
          run.result(r, at, rows);
      };
      const record = (value: unknown, line: number) => {
        if (format === 'records') flatRecord(value, line);
        else if (format === 'intercom') {
          if (isIntercomPage(value))
            for (const c of value.conversations)
              run.result(mapIntercom(c, accountId, run.tally, window), line);
          else run.result(mapIntercom(value, accountId, run.tally, window), line);
        } else if (format === 'zendesk') {
          let v = value;
          if (isRecord(v) && v.id === undefined && isRecord(v.ticket)) {
            // GET /tickets/{id} saved with its /comments (and users) on one line: the comments are
            // that ticket's, whether or not each names its ticket_id
            const { ticket, comments, users } = v;
            if (side && Array.isArray(users)) for (const u of users) addSideload(side, 'users', u);
            v = Array.isArray(comments) && !Array.isArray(ticket.comments) ? { ...ticket, comments } : ticket;
          }
          if (isRecord(v) && v.id === undefined && (Array.isArray(v.tickets) || Array.isArray(v.results))) {
            ingestSide(v);
            for (const t of (v.tickets ?? v.results) as unknown[])
              run.result(mapZendesk(t, accountId, run.tally, side, window), line);
          } else run.result(mapZendesk(v, accountId, run.tally, side, window), line);
        } else canonicalRecord(run, value, line, accountId, window, opts.prospect === true);
      };
      // A JSON array written on one line (`[{…},{…}]`, not pretty-printed) is a line of JSON lines:
      // each element is a record, as when the scanner splits a pretty-printed array. An array with
      // no object in it (`[1,2,3]`) stays one bad record.
      const one = (value: unknown, line: number) => {
        if (Array.isArray(value) && value.some(isRecord)) for (const v of value) record(v, line);
        else record(value, line);
      };
      // A Zendesk page split while streaming (a pretty-printed file, a page line over the line cap)
      // may put its side-loaded comments after its tickets: the tickets wait, up to HELD_TICKET_BYTES,
      // so that comments later in the page are theirs; any other record, the end, or the cap sends
      // them on, in their order.
      const held: { bytes: Buffer; line: number }[] = [];
      let heldBytes = 0;
      const sendHeld = () => {
        for (const h of held) {
          run.current = h.bytes;
          const p = parseJson(h.bytes);
          if (!p.ok) run.reject(h.line, p.reason);
          else one(p.value, h.line);
        }
        held.length = 0;
        heldBytes = 0;
      };
      const drain = () => {
        const prefix = takePrefix();
        if (prefix) ingestSide(prefix);
        for (const r of recs) {
          if (side && r.bytes !== null && (r.key === 'tickets' || r.key === 'results')) {
            held.push({ bytes: r.bytes, line: r.line });
            heldBytes += r.bytes.length;
            if (heldBytes > HELD_TICKET_BYTES) sendHeld();
            continue;
          }
          const sideItem = side !== null && r.key !== null && ZENDESK_SIDE_KEYS.includes(r.key);
          if (held.length > 0 && !sideItem) sendHeld();
          if (r.bytes !== null && r.key === null && r.bytes.length < 64 && r.bytes.toString().trim() === '')
            continue;
          run.current = r.bytes;
          if (r.bytes === null) {
            run.reject(r.line, r.error ?? 'unreadable record');
            continue;
          }
          if (side && sideItem) {
            const p = parseJson(r.bytes);
            if (p.ok) addSideload(side, r.key!, p.value);
            else run.tally.add(`Zendesk: unreadable side-loaded ${r.key} item`);
            continue;
          }
          const p = parseJson(r.bytes);
          if (!p.ok) run.reject(r.line, p.reason);
          else one(p.value, r.line);
        }
        recs.length = 0;
      };
      onChunk = (chunk) => {
        scanner.push(chunk, recs);
        drain();
      };
      onEnd = () => {
        scanner.end(recs);
        drain();
        sendHeld();
        if (recordGrouper) {
          for (const [r, line, rows] of recordGrouper.end()) run.result(r, line, rows);
          report.notes.push(
            `one record per message (an author field): ${recordGrouper.rows.toLocaleString('en-US')} message records grouped into ${recordGrouper.conversations.toLocaleString('en-US')} conversations by id`,
          );
        }
      };
      finishNotes.push(() => {
        if (!lineMode) report.notes.push('read as one JSON document (records split while streaming)');
        if (scanner.prefixDropped)
          report.notes.push('side-loaded data before the tickets was too large and was ignored');
        if (side && side.comments.size > 0) {
          let n = 0;
          for (const list of side.comments.values()) n += list.length;
          report.notes.push(
            `${n} side-loaded comments for ${side.comments.size} tickets came after (or without) their tickets and were not attached; put "comments" before "tickets", or embed comments in each ticket`,
          );
        }
        if (side && side.metricSets.size > 0)
          report.notes.push(
            `${side.metricSets.size} side-loaded metric sets came after (or without) their tickets and were not read (reopens); put "metric_sets" before "tickets", or embed each as "metric_set"`,
          );
      });
    }

    // Pump -----------------------------------------------------------------------------------
    let nextProgress = every;
    for await (const chunk of chunks) {
      if (opts.signal?.aborted) throw new ImportError('ABORTED', 'import cancelled');
      onChunk(chunk);
      if (run.events.length > 0) {
        for (const ev of run.events) yield ev;
        run.events.length = 0;
        if (opts.signal?.aborted) throw new ImportError('ABORTED', 'import cancelled');
      }
      if (report.records >= nextProgress) {
        nextProgress = report.records + every;
        yield { type: 'progress', bytes: opened.counter.bytes, records: report.records };
      }
    }
    onEnd();
    for (const ev of run.events) yield ev;
    run.events.length = 0;
    for (const f of finishNotes) f();
    const notUtf8 = run.notUtf8;
    if (notUtf8.records >= 2 && notUtf8.records / report.records >= ENCODING_FATAL_SHARE)
      throw new ImportError(
        'ENCODING',
        `not a UTF-8 text file: ${notUtf8.records} of ${report.records} records are not valid UTF-8 (the first on line ${notUtf8.firstLine}); it is probably Latin-1/Windows-1252 — save it as UTF-8`,
        notUtf8.firstLine,
      );
    report.bytes = opened.counter.bytes;
    report.notes.push(...run.tally.notes());
    if (report.records === 0)
      throw new ImportError(
        'EMPTY',
        format === 'csv' ? 'the CSV has a header row but no data rows' : 'no records found in the file',
      );
    yield { type: 'progress', bytes: report.bytes, records: report.records };
    yield { type: 'report', report };
  } finally {
    await chunks.return(undefined);
  }
}

/** Import a file from disk (gzip or not). */
export function importFile(path: string, opts: Omit<ImportOptions, 'fileName'> & { fileName?: string }) {
  return importConversations(createReadStream(path, { highWaterMark: 256 * 1024 }), {
    ...opts,
    fileName: opts.fileName ?? path,
  });
}

/** Collect everything (small inputs, tests, previews). */
export async function collectImport(
  input: ImportInput,
  opts: ImportOptions,
): Promise<{ conversations: Conversation[]; extras: Map<string, ConversationExtra>; report: ImportReport }> {
  const conversations: Conversation[] = [];
  const extras = new Map<string, ConversationExtra>();
  let report: ImportReport | null = null;
  for await (const ev of importConversations(input, opts)) {
    if (ev.type === 'conversation') {
      conversations.push(ev.conversation);
      if (ev.extra) extras.set(ev.conversation.id, ev.extra);
    } else if (ev.type === 'report') report = ev.report;
  }
  return { conversations, extras, report: report! };
}
