/**
 * Line readers of the pipeline. Bytes come through the importers' input layer (`openInput`), so the
 * folder path, the single-file path and the estimate share one set of rules (SPEC §2): gzip is
 * detected by its magic bytes, UTF-16 with a byte-order mark is decoded, a line longer than 1 MB or
 * one that is not valid UTF-8 is a reject with a reason (never silently replaced), and a corrupt or
 * truncated gzip stream is a one-line error naming the file.
 */
import { isUtf8 } from 'node:buffer';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  DEFAULT_MAX_LINE_BYTES,
  decodeUtf8,
  lineTooLong,
  NOT_UTF8_LINE,
  openInput,
} from '../../server/importers/bytes.ts';
import { ImportError } from '../../server/importers/types.ts';
import { PipelineError } from './errors.ts';

/** The file's bytes as read, fed to `hash` on the way (the audit log's file hash costs no second read). */
async function* hashed(path: string, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}

/** The file's bytes as UTF-8 chunks; an empty file yields nothing. Input errors become PipelineErrors. */
async function* fileChunks(path: string, rawHash?: Hash): AsyncGenerator<Buffer> {
  try {
    const raw = rawHash ? hashed(path, rawHash) : createReadStream(path, { highWaterMark: 1 << 20 });
    const opened = await openInput(raw);
    // JSON lines are UTF-8 (only a CSV is read as Windows-1252 where UTF-8 fails)
    if (opened.notUtf8) {
      await opened.chunks.return(undefined);
      throw opened.notUtf8;
    }
    yield* opened.chunks;
  } catch (e) {
    if (e instanceof ImportError) {
      if (e.code === 'EMPTY') return;
      throw new PipelineError(`${path}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw new PipelineError(`${path}: cannot be read (${err.code})`);
    throw e;
  }
}

export interface LineBlock {
  /** whole lines, UTF-8 bytes as read, each ending with \n except possibly the file's last */
  bytes: Buffer;
  /** 1-based number of the block's first line */
  firstLine: number;
  lines: number;
  /** set when the block stands for one line over the cap, whose bytes were dropped unread */
  oversize?: number;
}

const EMPTY = Buffer.alloc(0);

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/**
 * Blocks of whole lines of about `blockBytes`, undecoded: the parallel ingest hands them to
 * worker threads as transferable buffers, so decoding and splitting happen off the main thread.
 * A line over the cap is never buffered whole: its bytes are dropped as they arrive.
 */
export async function* readLineBlocks(
  path: string,
  blockBytes = 1 << 20,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  /** updated with the file's raw bytes as they are read */
  rawHash?: Hash,
): AsyncGenerator<LineBlock> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let nextLine = 1;
  let skipping = 0;
  const emit = (bytes: Buffer): LineBlock => {
    const lines = countNewlines(bytes) + (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? 1 : 0);
    const block = { bytes, firstLine: nextLine, lines };
    nextLine += lines;
    return block;
  };
  const oversize = (size: number): LineBlock => ({
    bytes: EMPTY,
    firstLine: nextLine++,
    lines: 1,
    oversize: size,
  });
  for await (let chunk of fileChunks(path, rawHash)) {
    if (skipping > 0) {
      const nl = chunk.indexOf(0x0a);
      if (nl === -1) {
        skipping += chunk.length;
        continue;
      }
      yield oversize(skipping + nl);
      skipping = 0;
      chunk = chunk.subarray(nl + 1);
      if (chunk.length === 0) continue;
    }
    carry.push(chunk);
    carryBytes += chunk.length;
    if (carryBytes < blockBytes && carryBytes <= maxLineBytes) continue;
    const all = carry.length === 1 ? carry[0]! : Buffer.concat(carry, carryBytes);
    const cut = all.lastIndexOf(0x0a);
    if (cut === -1) {
      if (carryBytes > maxLineBytes) {
        skipping = carryBytes;
        carry = [];
        carryBytes = 0;
      } else carry = [all];
      continue;
    }
    yield emit(all.subarray(0, cut + 1));
    const rest = all.subarray(cut + 1);
    carry = rest.length > 0 ? [Buffer.from(rest)] : [];
    carryBytes = rest.length;
  }
  if (skipping > 0) yield oversize(skipping);
  else if (carryBytes > 0) {
    const last = Buffer.concat(carry, carryBytes);
    if (last.length > maxLineBytes) yield oversize(last.length);
    else yield emit(last);
  }
}

/**
 * Cuts a block of whole lines into blocks of at most about `maxBytes`, at line ends (a line
 * longer than that stays whole). The file is read in chunks larger than a queue job or a slice of
 * work should be; the pieces number their lines as the whole block did.
 */
export function* splitLineBlock(block: LineBlock, maxBytes: number): Generator<LineBlock> {
  const { bytes } = block;
  if (block.oversize !== undefined || bytes.length <= maxBytes) {
    yield block;
    return;
  }
  let start = 0;
  let line = block.firstLine;
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length);
    if (end < bytes.length) {
      let cut = bytes.lastIndexOf(0x0a, end - 1);
      if (cut < start) cut = bytes.indexOf(0x0a, end);
      end = cut === -1 ? bytes.length : cut + 1;
    }
    const piece = bytes.subarray(start, end);
    const lines = countNewlines(piece) + (piece[piece.length - 1] !== 0x0a ? 1 : 0);
    yield { bytes: piece, firstLine: line, lines };
    line += lines;
    start = end;
  }
}

/** Splits a block into lines (no trailing empty line for the final \n; \r\n handled; BOM dropped on line 1). */
export function splitBlock(text: string, firstLine: number): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  if (firstLine === 1 && lines.length > 0 && lines[0]!.charCodeAt(0) === 0xfeff)
    lines[0] = lines[0]!.slice(1);
  return lines;
}

/**
 * A block's lines as text; `problems[i]`, when set, is why line i is a reject, and its text is then
 * only a snippet for the rejects file (its first characters, invalid bytes as U+FFFD), never parsed.
 */
export interface DecodedBlock {
  lines: string[];
  problems: Map<number, string> | null;
}

export function decodeBlock(block: LineBlock, maxLineBytes = DEFAULT_MAX_LINE_BYTES): DecodedBlock {
  if (block.oversize !== undefined)
    return { lines: [''], problems: new Map([[0, lineTooLong(block.oversize, maxLineBytes)]]) };
  let lines: string[];
  let problems: Map<number, string> | null = null;
  const reject = (i: number, reason: string) => {
    problems ??= new Map();
    problems.set(i, reason);
  };
  if (isUtf8(block.bytes)) lines = splitBlock(block.bytes.toString('utf8'), block.firstLine);
  else {
    // Rare: find the lines that are not UTF-8 and reject only those.
    const raw = splitBytes(block.bytes);
    lines = raw.map((b, i) => {
      const text = decodeUtf8(b);
      if (text === null) {
        reject(i, NOT_UTF8_LINE);
        return snippet(b.subarray(0, SNIPPET_CHARS * 4).toString('utf8'));
      }
      return text.endsWith('\r') ? text.slice(0, -1) : text;
    });
    if (block.firstLine === 1 && lines[0]?.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  }
  // A line can pass the block reader's cap only by a little (it checks between chunks).
  const suspect = maxLineBytes / 3;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.length <= suspect) continue;
    const size = Buffer.byteLength(l);
    if (size > maxLineBytes) {
      reject(i, lineTooLong(size, maxLineBytes));
      lines[i] = snippet(l);
    }
  }
  return { lines, problems };
}

/** Characters of a rejected line kept in the rejects file, so its record can be found (its id). */
const SNIPPET_CHARS = 200;
const snippet = (text: string) => {
  const t = text.endsWith('\r') ? text.slice(0, -1) : text;
  return t.length > SNIPPET_CHARS ? `${t.slice(0, SNIPPET_CHARS)}…` : t;
};

function splitBytes(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
    out.push(bytes.subarray(start, nl));
    start = nl + 1;
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

/**
 * Yields [lineNumber (1-based), text, problem] for every line; `problem`, when set, is why the
 * line is a reject (too long, not UTF-8) and `text` is then ''.
 */
export async function* readLines(
  path: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  rawHash?: Hash,
): AsyncGenerator<[number, string, string | undefined]> {
  for await (const block of readLineBlocks(path, 1 << 20, maxLineBytes, rawHash)) {
    const { lines, problems } = decodeBlock(block, maxLineBytes);
    for (let i = 0; i < lines.length; i++) yield [block.firstLine + i, lines[i]!, problems?.get(i)];
  }
}
