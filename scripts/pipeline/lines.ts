/** Streaming line reader for plain or gzip files (detected by magic bytes, not the name). */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { startsWithGzipMagic } from '../../server/importers/bytes.ts';

export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return startsWithGzipMagic(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/** Yields [lineNumber (1-based), text] for every line; a trailing BOM on line 1 is dropped. */
export async function* readLines(path: string): AsyncGenerator<[number, string]> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = isGzip(path) ? file.pipe(createGunzip()) : file;
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of rl) {
    n++;
    yield [n, n === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line];
  }
}

export interface LineBlock {
  /** whole lines, UTF-8, each ending with \n except possibly the file's last */
  bytes: Buffer;
  /** 1-based number of the block's first line */
  firstLine: number;
  lines: number;
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/**
 * Blocks of whole lines of about `blockBytes`, undecoded: the parallel ingest hands them to
 * worker threads as transferable buffers, so decoding and splitting happen off the main thread.
 */
export async function* readLineBlocks(path: string, blockBytes = 1 << 20): AsyncGenerator<LineBlock> {
  const file = createReadStream(path, { highWaterMark: blockBytes });
  const input = isGzip(path) ? file.pipe(createGunzip({ chunkSize: 1 << 18 })) : file;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let nextLine = 1;
  const emit = (bytes: Buffer): LineBlock => {
    const lines = countNewlines(bytes) + (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? 1 : 0);
    const block = { bytes, firstLine: nextLine, lines };
    nextLine += lines;
    return block;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    carry.push(chunk);
    carryBytes += chunk.length;
    if (carryBytes < blockBytes) continue;
    const all = Buffer.concat(carry, carryBytes);
    const cut = all.lastIndexOf(0x0a);
    if (cut === -1) continue;
    yield emit(all.subarray(0, cut + 1));
    const rest = all.subarray(cut + 1);
    carry = rest.length > 0 ? [Buffer.from(rest)] : [];
    carryBytes = rest.length;
  }
  if (carryBytes > 0) yield emit(Buffer.concat(carry, carryBytes));
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
