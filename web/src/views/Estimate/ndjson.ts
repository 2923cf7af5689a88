/**
 * NDJSON decoding for the `POST /api/estimate` response: bytes in (any chunking, even mid-line or
 * mid-character), parsed stream lines out. Pure: no I/O, unit-tested in ndjson.test.ts.
 */
import type { EstimateStreamLine } from '../../api/server-types.ts';

/** A line of the stream that is not valid JSON or not a known message (a broken proxy, a server bug). */
export class StreamFormatError extends Error {
  readonly lineNumber: number;
  constructor(lineNumber: number, message: string) {
    super(message);
    this.name = 'StreamFormatError';
    this.lineNumber = lineNumber;
  }
}

const TYPES = new Set(['progress', 'result', 'error']);

/** One NDJSON line → a stream message; blank lines give null. */
export function parseStreamLine(text: string, lineNumber: number): EstimateStreamLine | null {
  const t = text.trim();
  if (!t) return null;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    throw new StreamFormatError(
      lineNumber,
      `The server sent an unreadable answer (line ${lineNumber} of the stream is not JSON).`,
    );
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof value !== 'object' || value === null || typeof type !== 'string' || !TYPES.has(type))
    throw new StreamFormatError(
      lineNumber,
      `The server sent an unexpected message on line ${lineNumber} of the stream.`,
    );
  return value as EstimateStreamLine;
}

/**
 * Incremental decoder: `push` each chunk as it arrives, `end` once the stream is done. Lines split
 * across chunks are buffered; UTF-8 characters split across chunks are decoded correctly; a final
 * line without a newline is returned by `end`.
 */
export class NdjsonDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private line = 0;

  push(chunk: Uint8Array | string): EstimateStreamLine[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: EstimateStreamLine[] = [];
    let nl = this.buffer.indexOf('\n');
    while (nl >= 0) {
      const text = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.line += 1;
      const msg = parseStreamLine(text, this.line);
      if (msg) out.push(msg);
      nl = this.buffer.indexOf('\n');
    }
    return out;
  }

  end(): EstimateStreamLine[] {
    this.buffer += this.decoder.decode();
    const rest = this.buffer;
    this.buffer = '';
    if (!rest.trim()) return [];
    this.line += 1;
    const msg = parseStreamLine(rest, this.line);
    return msg ? [msg] : [];
  }
}

/** Decodes a whole stream given as chunks (tests, and anything already buffered). */
export function decodeNdjson(chunks: readonly (Uint8Array | string)[]): EstimateStreamLine[] {
  const d = new NdjsonDecoder();
  return [...chunks.flatMap((c) => d.push(c)), ...d.end()];
}
