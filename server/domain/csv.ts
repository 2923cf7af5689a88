/**
 * A small RFC 4180 CSV parser: quoted fields with embedded commas, newlines and doubled quotes,
 * LF or CRLF line ends, an optional UTF-8 BOM. Pure; no dependencies.
 *
 * - `parseCsv(text)` parses a whole document into rows of fields.
 * - `CsvParser` is the incremental variant: `push(chunk)` any number of string chunks (e.g. from a
 *   stream read with `setEncoding('utf8')`), get back the rows completed so far, then `end()`.
 * - `csvRecords(chunks)` turns an (async) iterable of text or byte chunks into an async iterable of
 *   rows; byte chunks are decoded as UTF-8 across chunk boundaries.
 */

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/** Incremental CSV parser; state survives chunk boundaries (even inside quotes or after a CR). */
export class CsvParser {
  private field = '';
  private row: string[] = [];
  private inQuotes = false;
  /** A quote seen inside a quoted field: either the closing quote or the first of a doubled pair. */
  private quotePending = false;
  /** A CR ended the last chunk: swallow a following LF. */
  private crPending = false;
  private started = false;
  /** The current row has content (so a trailing newline does not produce an empty row). */
  private rowDirty = false;

  constructor(private readonly delimiter = COMMA) {}

  /** Feeds a chunk of text; returns the rows it completed. */
  push(chunk: string): string[][] {
    const rows: string[][] = [];
    let s = chunk;
    if (!this.started) {
      if (s.length === 0) return rows;
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const n = s.length;
    let i = 0;
    if (this.crPending) {
      this.crPending = false;
      if (n > 0 && s.charCodeAt(0) === LF) i = 1;
    }
    let start = i; // start of the pending plain run to append to `field`
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (this.quotePending) {
        this.quotePending = false;
        if (c === QUOTE) {
          // Doubled quote → literal quote, still inside the quoted field.
          this.field += '"';
          start = i + 1;
          continue;
        }
        this.inQuotes = false;
        start = i;
        // fall through: c is handled as an unquoted character below
      } else if (this.inQuotes) {
        if (c === QUOTE) {
          this.field += s.slice(start, i);
          this.quotePending = true;
          start = i + 1;
        }
        continue;
      }
      if (c === this.delimiter) {
        this.field += s.slice(start, i);
        this.row.push(this.field);
        this.field = '';
        this.rowDirty = true;
        start = i + 1;
      } else if (c === LF || c === CR) {
        this.field += s.slice(start, i);
        if (this.rowDirty || this.field.length > 0) {
          this.row.push(this.field);
          rows.push(this.row);
        }
        this.row = [];
        this.field = '';
        this.rowDirty = false;
        if (c === CR) {
          if (i + 1 < n) {
            if (s.charCodeAt(i + 1) === LF) i++;
          } else this.crPending = true;
        }
        start = i + 1;
      } else if (c === QUOTE && this.field.length === 0 && i === start) {
        // Opening quote at the start of a field.
        this.inQuotes = true;
        this.rowDirty = true;
        start = i + 1;
      }
    }
    if (start < n) {
      this.field += s.slice(start, n);
      if (!this.inQuotes) this.rowDirty = true;
    }
    return rows;
  }

  /** Flushes the last row (a file need not end with a newline). */
  end(): string[][] {
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    const rows: string[][] = [];
    if (this.rowDirty || this.field.length > 0 || this.inQuotes) {
      this.row.push(this.field);
      rows.push(this.row);
    }
    this.row = [];
    this.field = '';
    this.rowDirty = false;
    this.inQuotes = false;
    return rows;
  }
}

/** Parses a whole CSV document into rows of string fields. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const parser = new CsvParser(delimiter.charCodeAt(0));
  const rows = parser.push(text);
  for (const r of parser.end()) rows.push(r);
  return rows;
}

/** Streams rows from an async iterable of text chunks (e.g. `fs.createReadStream(p, 'utf8')`). */
export async function* csvRecords(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  delimiter = ',',
): AsyncGenerator<string[]> {
  const parser = new CsvParser(delimiter.charCodeAt(0));
  // Byte chunks may split a multi-byte character: decode in streaming mode.
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    yield* parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield* parser.push(rest);
  yield* parser.end();
}

/** Rows as objects keyed by the header row. Missing trailing fields become ''. */
export function csvObjects(rows: readonly string[][]): Record<string, string>[] {
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((r) => {
    const o: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) o[header[i]!] = r[i] ?? '';
    return o;
  });
}
