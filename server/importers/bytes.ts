/**
 * Byte-level plumbing: normalise the input to Buffers, gunzip by magic bytes, check the encoding on the
 * first 64 KB, and split lines — all streaming, so memory stays flat in the file size.
 */
import { isUtf8 } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportError } from './types.ts';

export const HEAD_BYTES = 64 * 1024;

/** The one line-length cap of every input path (SPEC §2): a longer line is a reject. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
export const NOT_UTF8_LINE = 'not valid UTF-8 text';
/**
 * UTF-32: its byte-order mark (FF FE 00 00, 00 00 FE FF), or without one, text whose every character
 * takes four bytes, three of them NUL for ASCII.
 */
function looksUtf32(head: Buffer): boolean {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return true;
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return true;
  const n = Math.min(head.length, 4096) & ~3;
  if (n < 16) return false;
  let le = 0;
  let be = 0;
  for (let i = 0; i < n; i += 4) {
    if (head[i] !== 0 && head[i + 1] === 0 && head[i + 2] === 0 && head[i + 3] === 0) le++;
    if (head[i] === 0 && head[i + 1] === 0 && head[i + 2] === 0 && head[i + 3] !== 0) be++;
  }
  return le > (n / 4) * 0.9 || be > (n / 4) * 0.9;
}

export function lineTooLong(size: number, max = DEFAULT_MAX_LINE_BYTES): string {
  const shown = formatBytes(size);
  const limit = formatBytes(max);
  // just over the limit, the rounded sizes read alike ("1.0 MB, over the 1 MB limit"): say the bytes
  const alike = parseFloat(shown) === parseFloat(limit) && shown.slice(-2) === limit.slice(-2);
  return `line is too long: ${alike ? `${size.toLocaleString('en-US')} bytes` : shown}, over the ${limit} limit`;
}

/** gzip data starts with the magic bytes 1f 8b: how every input path tells it, whatever the name. */
export function startsWithGzipMagic(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export type ImportInput = AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream;

export interface OpenedInput {
  /** First ≥ 64 KB (or all) of the decoded text, BOM removed, cut at a character boundary. */
  head: string;
  /** The whole decoded byte stream (UTF-8), head included. */
  chunks: AsyncGenerator<Buffer>;
  gzip: boolean;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  notes: string[];
  /** Decoded bytes handed out so far. */
  counter: { bytes: number };
  /**
   * Set when the head's lines are largely not UTF-8 but every one of them reads as Windows-1252:
   * a CSV is then read line by line in that encoding where UTF-8 fails; any other format is
   * refused with this error.
   */
  notUtf8: ImportError | null;
}

function checkAbort(signal?: AbortSignal) {
  if (signal?.aborted) throw new ImportError('ABORTED', 'import cancelled');
}

async function* asBuffers(input: ImportInput, signal?: AbortSignal): AsyncGenerator<Buffer> {
  try {
    for await (const c of input as AsyncIterable<Buffer | Uint8Array | string>) {
      checkAbort(signal);
      const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.isBuffer(c) ? c : Buffer.from(c);
      if (b.length > 0) yield b;
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError('READ_ERROR', `could not read the file: ${(e as Error).message}`);
  }
}

/** Pull from `it` until at least `min` bytes are buffered or it ends. */
async function peek(
  it: AsyncIterator<Buffer>,
  min: number,
): Promise<{ chunks: Buffer[]; size: number; done: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < min) {
    const r = await it.next();
    if (r.done) return { chunks, size, done: true };
    chunks.push(r.value);
    size += r.value.length;
  }
  return { chunks, size, done: false };
}

async function* prepend(first: Buffer[], it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    for (const c of first) yield c;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

async function* gunzip(src: AsyncGenerator<Buffer>, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const out = pipeline(Readable.from(src), createGunzip(), () => {});
  try {
    for await (const c of out) {
      checkAbort(signal);
      yield c as Buffer;
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError('GZIP', `the gzip data is corrupt or truncated (${(e as Error).message})`);
  } finally {
    out.destroy();
  }
}

async function* transcodeUtf16(src: AsyncGenerator<Buffer>, enc: 'utf-16le' | 'utf-16be', skip: number) {
  const dec = new TextDecoder(enc);
  let first = true;
  for await (const c of src) {
    const text = dec.decode(first ? c.subarray(skip) : c, { stream: true });
    first = false;
    if (text) yield Buffer.from(text, 'utf8');
  }
  const tail = dec.decode();
  if (tail) yield Buffer.from(tail, 'utf8');
}

/**
 * A gzip stream may inflate to at most this many times the compressed bytes read so far, once past
 * `GZIP_RATIO_FLOOR`. Exports of conversations compress 5–15× (the demo's JSON lines 5.9×); a
 * decompression bomb compresses hundreds of times and would otherwise hold an estimate slot for
 * minutes on a few megabytes sent.
 */
export const GZIP_MAX_RATIO = 100;
export const GZIP_RATIO_FLOOR = 64 * 1024 * 1024;

/**
 * Old Mac line ends: Excel for Mac's "CSV (Macintosh)" and some legacy exports end lines with a
 * bare CR. Read as they are, the whole file is one line (refused as too long). The first line's
 * end says which convention the file follows: a head whose first line break is a bare CR, with no
 * CRLF anywhere, is treated so, and every CR then becomes an LF: byte for byte, no shift. LFs may
 * still occur, inside quoted cells (Excel for Mac writes a cell's line breaks as LF and its rows'
 * ends as CR); they stay line breaks inside their cell.
 */
/** bytes after which a CSV cell starts: the delimiters and line ends */
const CELL_START_AFTER = new Set([0x2c, 0x3b, 0x09, 0x7c, 0x0d, 0x0a]);

export function crOnlyLineEnds(head: Uint8Array): boolean {
  if (head.indexOf(13) < 0) return false;
  // the first line break outside a quoted cell ("Ticket\rID" on an LF file's header is no line end;
  // a CRLF inside a cell, an e-mail signature pasted into an old Mac file, is not its line ends: it
  // was refused as "a header row but no data rows")
  // (a quote opens a cell only at its start: `Screen 5" size` is a cell's text)
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const x = head[i]!;
    if (x === 0x22) {
      if (quoted || i === 0 || CELL_START_AFTER.has(head[i - 1]!)) quoted = !quoted;
    } else if (!quoted && (x === 13 || x === 10)) return x === 13 && head[i + 1] !== 10;
  }
  if (Buffer.from(head.buffer, head.byteOffset, head.byteLength).indexOf('\r\n') >= 0) return false;
  return head.indexOf(10) < 0;
}

async function* crToLf(src: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  for await (const c of src) {
    let i = c.indexOf(13);
    if (i < 0) {
      yield c;
      continue;
    }
    const copy = Buffer.from(c);
    for (; i >= 0; i = copy.indexOf(13, i + 1)) copy[i] = 10;
    yield copy;
  }
}

const CR_NOTE = 'lines end in a bare CR (old Mac format); read as line breaks';

async function* countedRaw(src: AsyncGenerator<Buffer>, counter: { bytes: number }) {
  for await (const c of src) {
    counter.bytes += c.length;
    yield c;
  }
}

async function* counted(
  src: AsyncGenerator<Buffer>,
  counter: { bytes: number },
  skip: number,
  max = Number.POSITIVE_INFINITY,
  /** the compressed bytes read, for a gzip input */
  compressed?: { bytes: number },
) {
  let first = true;
  for await (const c of src) {
    const b = first && skip > 0 ? c.subarray(skip) : c;
    first = false;
    counter.bytes += b.length;
    if (counter.bytes > max)
      throw new ImportError(
        'TOO_LARGE',
        `the file is too large once decompressed: over ${formatBytes(max)} of text`,
      );
    if (compressed && counter.bytes > GZIP_RATIO_FLOOR && counter.bytes > GZIP_MAX_RATIO * compressed.bytes)
      throw new ImportError(
        'TOO_LARGE',
        `the gzip data inflates over ${GZIP_MAX_RATIO}× its compressed size (${formatBytes(counter.bytes)} of text from ${formatBytes(compressed.bytes)}): not an export, or a decompression bomb`,
      );
    if (b.length > 0) yield b;
  }
}

/** Length of `b` without a trailing incomplete UTF-8 sequence. */
function completeUtf8Length(b: Buffer): number {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const x = b[b.length - k]!;
    if ((x & 0xc0) === 0x80) continue;
    if (x >= 0xc0) {
      const need = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : 2;
      if (need > k) return b.length - k;
    }
    return b.length;
  }
  return b.length;
}

function lineAt(b: Buffer, offset: number): number {
  const end = crOnlyLineEnds(b.subarray(0, HEAD_BYTES)) ? 13 : 10;
  let line = 1;
  for (let i = b.indexOf(end); i >= 0 && i < offset; i = b.indexOf(end, i + 1)) line++;
  return line;
}

/** Offset of the first invalid UTF-8 byte (assumes the buffer is not valid). */
function firstInvalidUtf8(b: Buffer): number {
  let lo = 0;
  let hi = b.length;
  // Binary search on prefixes that are valid once cut at a character boundary.
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    const p = b.subarray(0, mid);
    if (isUtf8(p.subarray(0, completeUtf8Length(p)))) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Non-blank lines of `b`, and how many of them are not valid UTF-8. */
function invalidUtf8Lines(b: Buffer): { invalid: number; lines: number; allWindows1252: boolean } {
  let invalid = 0;
  let lines = 0;
  let allWindows1252 = true;
  let start = 0;
  // an old Mac file's lines end in CR: counted by LF it is one line, and never refused as a whole
  const lineEnd = crOnlyLineEnds(b) ? 13 : 10;
  while (start < b.length) {
    let end = b.indexOf(lineEnd, start);
    if (end === -1) end = b.length;
    const line = b.subarray(start, end);
    if (line.length > 1 || (line.length === 1 && line[0] !== 13)) {
      lines++;
      if (!isUtf8(line)) {
        invalid++;
        if (!isWindows1252(line)) allWindows1252 = false;
      }
    }
    start = end + 1;
  }
  return { invalid, lines, allWindows1252 };
}

/**
 * Whether text that is not UTF-8 reads as Mac Roman (Excel for Mac's plain "CSV") rather than
 * Windows-1252. Mac Roman puts its common accented letters at bytes where Windows-1252 has rare
 * letters or nothing (MAC_ROMAN_LETTERS: é 0x8e, ä 0x8a, ö 0x9a, ü 0x9f, ç 0x8d, è 0x8f, å 0x8c…),
 * while Windows-1252's own accented letters are at 0xc0-0xff; its punctuation at 0x80-0x9f (€ … „ “ ”
 * – — ™) counts for neither. A byte next to an ASCII letter is counted. Read as Windows-1252, such a
 * file lost its lines with the bytes Windows-1252 leaves undefined (ç, è, ê, ù, Å) and garbled the
 * rest ("202,59 Û" for "202,59 €").
 */
function looksMacRoman(b: Uint8Array): boolean {
  let mac = 0;
  let win = 0;
  const letter = (x: number | undefined) =>
    x !== undefined && ((x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a));
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x < 0x80 || !(letter(b[i - 1]) || letter(b[i + 1]))) continue;
    // Mac Roman's curly quotes and dashes (– — “ ” ‘ ’ at 0xd0-0xd5) are Windows-1252's Ð Ñ Ò Ó Ô Õ,
    // next to letters too: an apostrophe between two ("hasnÕt", "IÕm") is Mac Roman's; else neither's
    if (x >= 0xd0 && x <= 0xd5) {
      if (x === 0xd5 && letter(b[i - 1]) && letter(b[i + 1])) mac++;
      continue;
    }
    if (MAC_ROMAN_LETTERS.has(x)) mac++;
    else if (x >= 0xc0) win++;
  }
  return mac > 2 * win && mac >= 3;
}

/**
 * Bytes that are common letters in Mac Roman (Å É ä å ç é è ê ö ú ù û ü) and, in Windows-1252, rare
 * ones (ƒ Š Œ Ž š œ ž Ÿ) or none at all.
 */
const MAC_ROMAN_LETTERS = new Set([
  0x81, 0x83, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f,
]);

// Windows-1252 is Latin-1 but for 0x80-0x9f, where it has punctuation, € and a few letters instead
// of control codes (Node 20's TextDecoder reads the label as Latin-1, so the table is ours); 0 marks
// the five bytes it leaves undefined: a line holding one is in some other encoding
const WINDOWS_1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

function isWindows1252(b: Uint8Array): boolean {
  for (const x of b) if (x >= 0x80 && x < 0xa0 && WINDOWS_1252_HIGH[x - 0x80] === 0) return false;
  return true;
}

function windows1252Text(b: Buffer): string {
  const latin1 = b.toString('latin1');
  return /[\x80-\x9f]/.test(latin1)
    ? latin1.replace(/[\x80-\x9f]/g, (ch) => String.fromCharCode(WINDOWS_1252_HIGH[ch.charCodeAt(0) - 0x80]!))
    : latin1;
}

/**
 * A line that is not UTF-8, read as Windows-1252 — what Excel on Windows writes when a sheet is
 * saved as plain "CSV", so a help desk's export opened and saved there has every accented line in
 * it — or null when it cannot be that either. Before, such lines were rejected: an export with one
 * ticket in nine in French or German lost exactly those, three rejects each for a multi-line cell.
 */
export function decodeWindows1252(b: Buffer): string | null {
  return isWindows1252(b) ? windows1252Text(b) : null;
}

/**
 * Whether the UTF-8 sequence at `i` is to be read as UTF-8 in a line that is not UTF-8 throughout:
 * a character text holds (a letter of a script, punctuation, a currency sign, an emoji), or bytes
 * whose Windows-1252 reading is no text ("à¸ª", a Thai letter). Windows-1252 letters fall into
 * valid UTF-8 by chance only before its common punctuation: "déjà »" holds E0 A0 BB, U+083B
 * (Samaritan), and read as UTF-8 it garbled its whole line (a diff review).
 */
function readAsUtf8(b: Uint8Array, i: number, n: number): boolean {
  if (n === 4) return true; // ð/ñ/ò/ó/ô and three symbols: no Windows-1252 text, and emoji are here
  let windows1252Text = true;
  for (let k = 1; k < n; k++) if (!WINDOWS_1252_TEXT_AFTER_LETTER.has(b[i + k]!)) windows1252Text = false;
  if (!windows1252Text) return true;
  const cp =
    n === 2
      ? ((b[i]! & 0x1f) << 6) | (b[i + 1]! & 0x3f)
      : ((b[i]! & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);
  return (
    (cp >= 0xa0 && cp <= 0x24f) || // Latin
    (cp >= 0x2b0 && cp <= 0x36f) || // modifier letters (ʻ), combining accents
    (cp >= 0x370 && cp <= 0x5ff) || // Greek, Cyrillic, Armenian, Hebrew
    (cp >= 0x600 && cp <= 0x6ff) || // Arabic
    (cp >= 0x900 && cp <= 0x10ff) || // Indic scripts, Thai, Lao, Tibetan, Myanmar, Georgian
    (cp >= 0x1100 && cp <= 0x11ff) || // Hangul jamo
    (cp >= 0x1e00 && cp <= 0x1eff) || // Latin extended (Vietnamese)
    (cp >= 0x2000 && cp <= 0x2bff) || // punctuation, currency, letterlike, arrows, symbols (⭐)
    (cp >= 0x3000 && cp <= 0x9fff) || // CJK
    (cp >= 0xac00 && cp <= 0xd7af) || // Hangul
    (cp >= 0xfb00 && cp <= 0xffef) // presentation and full-width forms, variation selectors
  );
}

/**
 * Bytes that commonly follow a letter in Windows-1252 text: the no-break space, « » … ’ “ ” – — € °
 * © ® £ §. A UTF-8 look-alike made of a letter and these may be that text instead.
 */
const WINDOWS_1252_TEXT_AFTER_LETTER = new Set([
  0xa0, 0xab, 0xbb, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x80, 0xb0, 0xa9, 0xae, 0xa3, 0xa7,
]);

/** The length of the valid UTF-8 sequence of two or more bytes at `i`, or 0 (none, or an ASCII byte). */
function utf8SequenceAt(b: Uint8Array, i: number): number {
  const x = b[i]!;
  const n = x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  const y = b[i + 1]!;
  // overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8
  if (
    (x === 0xe0 && y < 0xa0) ||
    (x === 0xed && y >= 0xa0) ||
    (x === 0xf0 && y < 0x90) ||
    (x === 0xf4 && y >= 0x90)
  )
    return 0;
  return n;
}

/**
 * A line that is not UTF-8, as text: read as Windows-1252 when nothing in it is UTF-8 (Excel's plain
 * "CSV"); but a UTF-8 line with a stray byte (a Word apostrophe pasted in, an "é" cut in half) keeps
 * its UTF-8 and reads only the stray bytes as Windows-1252 (U+FFFD for a lone Ã or Â, a UTF-8
 * character cut in half, and where Windows-1252 has none) — read
 * whole as Windows-1252 it showed "ZoÃ«" and "â‚¬120", or was rejected outright (an import review).
 * `windows1252`: the line was read as Windows-1252 throughout. Null: neither.
 */
export function decodeNotUtf8Line(b: Buffer): { text: string; windows1252: boolean } | null {
  let mixed = '';
  let utf8Sequences = 0;
  let from = 0;
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x < 0x80) continue;
    const n = utf8SequenceAt(b, i);
    if (n > 0 && readAsUtf8(b, i, n)) {
      utf8Sequences++;
      i += n - 1;
      continue;
    }
    mixed += b.toString('utf8', from, i);
    // Ã and Â alone are a UTF-8 "é" or NBSP cut in half far more often than letters of their own;
    // any other byte is a Windows-1252 character pasted in ("caf\xe9", "it\x92s")
    const code = x === 0xc2 || x === 0xc3 ? 0 : x >= 0xa0 ? x : WINDOWS_1252_HIGH[x - 0x80]!;
    mixed += code === 0 ? '\ufffd' : String.fromCharCode(code);
    from = i + 1;
  }
  if (utf8Sequences === 0) {
    const text = decodeWindows1252(b);
    return text === null ? null : { text, windows1252: true };
  }
  return { text: mixed + b.toString('utf8', from), windows1252: false };
}

/** Text of bytes whose lines are UTF-8 or, failing that, Windows-1252 (U+FFFD where neither). */
function decodeLinesLeniently(b: Buffer): string {
  const out: string[] = [];
  let start = 0;
  while (start <= b.length) {
    let end = b.indexOf(10, start);
    if (end === -1) end = b.length;
    const line = b.subarray(start, end);
    out.push(decodeUtf8(line) ?? decodeNotUtf8Line(line)?.text ?? line.toString('utf8'));
    start = end + 1;
  }
  return out.join('\n');
}

/**
 * A file is refused as "not UTF-8" when two or more of the lines sampled in its head are invalid
 * and they are at least this share of them, counted over at least `ENCODING_MIN_SAMPLE` lines. One
 * bad line is always that line's reject (SPEC §2), even in a 3-line interventions file; a file in
 * another encoding shows it on many lines and is refused with the fix.
 */
export const ENCODING_FATAL_SHARE = 0.2;
export const ENCODING_MIN_SAMPLE = 5;

/** what a gzip stream whose content is gzip again is, said the same by the import and the preview */
export const COMPRESSED_TWICE = 'it is compressed twice (a .gz inside a .gz); decompress it once';

function describeMagic(b: Buffer): string | null {
  // only reached on text that was already decompressed once, or was never compressed
  if (startsWithGzipMagic(b)) return COMPRESSED_TWICE;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04)
    // a workbook's parts are named in its first entries' headers ("[Content_Types].xml", "xl/…")
    return /xl\/|\[Content_Types\]\.xml/.test(b.toString('latin1', 0, Math.min(b.length, 4096)))
      ? 'it is an Excel workbook (.xlsx): open it in Excel and save the sheet as "CSV UTF-8"'
      : 'it looks like a ZIP archive; unzip it and upload the export inside';
  if (b.length >= 4 && b.toString('latin1', 0, 4) === '%PDF') return 'it looks like a PDF';
  if (b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0)
    return 'it looks like an old Excel (.xls) file; export the sheet as CSV';
  if (b.length >= 6 && b.toString('latin1', 0, 6) === 'SQLite') return 'it looks like a SQLite database';
  return null;
}

/** A NUL byte in a file's head: binary, or a text file with a stray one, said as which it looks. */
function nulError(head: Buffer, at: number): ImportError {
  let nuls = 0;
  for (const x of head) if (x === 0) nuls++;
  const line = lineAt(head, at);
  return new ImportError(
    'BINARY',
    // (one in a page of text, or one in a thousand bytes: a binary file has them everywhere)
    (nuls === 1 && head.length >= 256) || nuls <= head.length / 1000
      ? `a stray NUL byte on line ${line} (byte ${at + 1}): a text file has none; remove it and upload the file again`
      : `not a text file: it contains NUL bytes (first at byte ${at + 1}); export the conversations as CSV, JSON or JSON lines instead`,
    line,
  );
}

/**
 * Open the input: detect gzip (1f 8b), the byte-order mark and the encoding; read the head for format
 * detection. Throws ImportError EMPTY / BINARY / ENCODING / GZIP.
 */
export async function openInput(
  input: ImportInput,
  signal?: AbortSignal,
  /** decoded (decompressed) bytes over which reading stops with TOO_LARGE: a gzip bomb is cut short */
  maxDecodedBytes = Number.POSITIVE_INFINITY,
): Promise<OpenedInput> {
  checkAbort(signal);
  const notes: string[] = [];
  const raw = asBuffers(input, signal);
  const rawIt = raw[Symbol.asyncIterator]();
  const first = await peek(rawIt, 2);
  if (first.size === 0) throw new ImportError('EMPTY', 'the file is empty');
  const firstBuf = Buffer.concat(first.chunks);
  let stream = prepend([firstBuf], rawIt);
  const gzip = startsWithGzipMagic(firstBuf);
  const compressed = gzip ? { bytes: 0 } : undefined;
  if (compressed) {
    stream = gunzip(countedRaw(stream, compressed), signal);
    notes.push('gzip-compressed; decompressed while reading');
  }
  const it = stream[Symbol.asyncIterator]();
  const p = await peek(it, HEAD_BYTES);
  const headBuf = Buffer.concat(p.chunks);
  if (headBuf.length === 0)
    throw new ImportError('EMPTY', gzip ? 'the file is empty once decompressed' : 'the file is empty');
  const rest = prepend([headBuf], it);

  let encoding: OpenedInput['encoding'] = 'utf-8';
  let notUtf8: ImportError | null = null;
  let lenientHead = false;
  let skip = 0;
  // the same head however the file is read (the command line reads 256 KB at a time, an upload
  // ~64 KB): a NUL at byte 155,557 refused the file in one and not the other
  const head = headBuf.subarray(0, HEAD_BYTES);
  if (headBuf[0] === 0xef && headBuf[1] === 0xbb && headBuf[2] === 0xbf) {
    skip = 3;
    // a byte-order mark says UTF-8, not that the rest is text
    const nul = head.indexOf(0);
    if (nul >= 0) throw nulError(head, nul);
  } else if (looksUtf32(headBuf)) {
    // its byte-order mark starts as UTF-16's does: read as UTF-16, every header came out NUL-riddled
    throw new ImportError(
      'ENCODING',
      'the file is UTF-32, which is not read: save it as UTF-8 (or UTF-16) and upload it again',
    );
  } else if (headBuf[0] === 0xff && headBuf[1] === 0xfe) {
    encoding = 'utf-16le';
    skip = 2;
  } else if (headBuf[0] === 0xfe && headBuf[1] === 0xff) {
    encoding = 'utf-16be';
    skip = 2;
  } else {
    const magic = describeMagic(headBuf);
    if (magic) throw new ImportError('BINARY', `not a text file: ${magic}`);
    const nul = head.indexOf(0);
    if (nul >= 0) {
      // UTF-16 without a byte-order mark: every other byte is NUL for ASCII text.
      let evenNul = 0;
      let oddNul = 0;
      const n = Math.min(head.length, 4096);
      for (let i = 0; i < n; i++) if (head[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++;
      if (oddNul > n * 0.4 && evenNul < n * 0.02) encoding = 'utf-16le';
      else if (evenNul > n * 0.4 && oddNul < n * 0.02) encoding = 'utf-16be';
      else throw nulError(head, nul);
    }
  }
  if (encoding !== 'utf-8') {
    notes.push(
      `decoded from ${encoding.toUpperCase()}${skip ? '' : ' (no byte-order mark)'}; UTF-8 is preferred`,
    );
    const transcoded = transcodeUtf16(rest, encoding, skip);
    const tIt = transcoded[Symbol.asyncIterator]();
    const tp = await peek(tIt, HEAD_BYTES);
    const tHead = Buffer.concat(tp.chunks);
    if (tHead.length === 0) throw new ImportError('EMPTY', 'the file is empty');
    const counter = { bytes: 0 };
    const crOnly = crOnlyLineEnds(tHead.subarray(0, HEAD_BYTES));
    if (crOnly) notes.push(CR_NOTE);
    const tChunks = counted(prepend([tHead], tIt), counter, 0, maxDecodedBytes, compressed);
    const tText = tHead.toString('utf8', 0, completeUtf8Length(tHead.subarray(0, HEAD_BYTES)));
    return {
      head: crOnly ? tText.replaceAll('\r', '\n') : tText,
      chunks: crOnly ? crToLf(tChunks) : tChunks,
      gzip,
      encoding,
      notes,
      counter,
      notUtf8: null,
    };
  }
  const body = headBuf.subarray(skip);
  // Only the head is checked here (a later bad line is rejected on its own, whatever the chunk sizes).
  const checkLen =
    p.done && body.length <= HEAD_BYTES ? body.length : completeUtf8Length(body.subarray(0, HEAD_BYTES));
  if (!isUtf8(body.subarray(0, checkLen))) {
    const at = firstInvalidUtf8(body.subarray(0, checkLen));
    let control = 0;
    for (let i = 0; i < checkLen; i++) {
      const x = body[i]!;
      if (x < 0x20 && x !== 9 && x !== 10 && x !== 13) control++;
    }
    const line = lineAt(body, at);
    if (control > checkLen * 0.01)
      throw new ImportError(
        'BINARY',
        `not a text file: invalid UTF-8 and control bytes (first bad byte on line ${line})`,
        line,
      );
    // A stray line is that line's problem (a reject, SPEC §2), and so are a few: the run fails on
    // them only above --max-reject-rate. A file in another encoding shows it on a large share of
    // its lines, and is refused as a whole with the fix.
    const { invalid, lines, allWindows1252 } = invalidUtf8Lines(body.subarray(0, checkLen));
    // a whole file in Mac Roman, not a UTF-8 export with a line pasted from elsewhere (its reject)
    if (
      invalid >= 2 &&
      invalid / Math.max(lines, ENCODING_MIN_SAMPLE) >= ENCODING_FATAL_SHARE &&
      looksMacRoman(body.subarray(0, checkLen))
    )
      throw new ImportError(
        'ENCODING',
        `not a UTF-8 text file: invalid UTF-8 on line ${line} (byte ${at + 1}); its accented letters are Mac Roman (Excel for Mac's plain "CSV") — save it as "CSV UTF-8"`,
        line,
      );
    if (invalid >= 2 && invalid / Math.max(lines, ENCODING_MIN_SAMPLE) >= ENCODING_FATAL_SHARE) {
      const refusal = new ImportError(
        'ENCODING',
        `not a UTF-8 text file: invalid UTF-8 on line ${line} (byte ${at + 1}); it is probably Latin-1/Windows-1252 — save it as UTF-8`,
        line,
      );
      if (!allWindows1252) throw refusal;
      notUtf8 = refusal;
    }
    lenientHead = true;
  }
  const text = lenientHead
    ? decodeLinesLeniently(body.subarray(0, checkLen))
    : body.toString('utf8', 0, checkLen);
  if (text.trim().length === 0 && p.done)
    throw new ImportError('EMPTY', 'the file contains only white space');
  const counter = { bytes: 0 };
  const crOnly = crOnlyLineEnds(body.subarray(0, checkLen));
  if (crOnly) notes.push(CR_NOTE);
  const chunks = counted(rest, counter, skip, maxDecodedBytes, compressed);
  return {
    head: crOnly ? text.replaceAll('\r', '\n') : text,
    chunks: crOnly ? crToLf(chunks) : chunks,
    gzip,
    encoding,
    notes,
    counter,
    notUtf8,
  };
}

export interface RawLine {
  /** 1-based line number. */
  line: number;
  /** The line without its terminator; null when it was longer than the limit. */
  bytes: Buffer | null;
  size: number;
}

/** Splits byte chunks into lines (LF or CRLF), capping each line at `max` bytes without buffering more. */
export class LineSplitter {
  line = 0;
  private parts: Buffer[] = [];
  private partLen = 0;
  private oversize = false;
  constructor(private readonly max: number) {}

  push(chunk: Buffer, out: RawLine[]): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) {
        const rest = chunk.length - start;
        if (rest > 0) {
          this.partLen += rest;
          if (!this.oversize) {
            if (this.partLen > this.max + 1) {
              this.oversize = true;
              this.parts = [];
            } else this.parts.push(chunk.subarray(start));
          }
        }
        return;
      }
      this.emit(chunk.subarray(start, nl), out);
      start = nl + 1;
    }
  }

  end(out: RawLine[]): void {
    if (this.partLen > 0) this.emit(Buffer.alloc(0), out);
  }

  private emit(last: Buffer, out: RawLine[]) {
    this.line++;
    let size = this.partLen + last.length;
    let bytes: Buffer | null = null;
    if (!this.oversize) {
      bytes = this.parts.length === 0 ? last : Buffer.concat([...this.parts, last]);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 13) {
        bytes = bytes.subarray(0, bytes.length - 1);
        size--;
      }
      if (size > this.max) bytes = null;
    }
    out.push({ line: this.line, bytes, size });
    this.parts = [];
    this.partLen = 0;
    this.oversize = false;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KB`;
  return `${n} bytes`;
}

/** Decode a record's bytes as UTF-8, or null when they are not valid UTF-8. */
export function decodeUtf8(b: Buffer): string | null {
  return isUtf8(b) ? b.toString('utf8') : null;
}
