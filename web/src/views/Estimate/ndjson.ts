/**
 * NDJSON decoding for the `POST /api/estimate` response: bytes in (any chunking, even mid-line or
 * mid-character), parsed stream lines out. Pure: no I/O, unit-tested in ndjson.test.ts.
 */
import type { EstimateResult, EstimateStreamLine } from '../../api/server-types.ts';

/**
 * What the page takes from each message: progress and errors whole, and from the result the
 * prospect it made and its size (its Account page then reads the prospect through the API).
 */
export type StreamMessage =
  | Extract<EstimateStreamLine, { type: 'progress' | 'error' }>
  | ({ type: 'result'; savedAs?: string } & Pick<
      EstimateResult,
      'id' | 'name' | 'saved' | 'conversations' | 'elapsedMs'
    >);

/** A line of the stream that is not valid JSON or not a known message (a broken proxy, a server bug). */
export class StreamFormatError extends Error {
  readonly lineNumber: number;
  constructor(lineNumber: number, message: string) {
    super(message);
    this.name = 'StreamFormatError';
    this.lineNumber = lineNumber;
  }
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The message a parsed line stands for, its fields checked; null when it is none of them. */
function message(v: Fields): StreamMessage | null {
  if (v.type === 'progress') {
    const { bytes, totalBytes, records } = v;
    if (!isCount(bytes) || !isCount(records) || !(totalBytes === null || isCount(totalBytes))) return null;
    return { type: 'progress', bytes, totalBytes, records };
  }
  if (v.type === 'error') {
    const { status, error, line } = v;
    if (!isCount(status) || !isFields(error)) return null;
    const { code, message } = error;
    if (typeof code !== 'string' || typeof message !== 'string') return null;
    if (line !== undefined && !isCount(line)) return null;
    return { type: 'error', status, error: { code, message }, ...(line === undefined ? {} : { line }) };
  }
  if (v.type === 'result') {
    const { id, name, saved, savedAs, conversations, elapsedMs } = v;
    if (typeof id !== 'string' || id === '' || typeof saved !== 'boolean' || typeof name !== 'string')
      return null;
    if (!isCount(conversations) || !isCount(elapsedMs)) return null;
    if (savedAs !== undefined && typeof savedAs !== 'string') return null;
    return {
      type: 'result',
      id,
      name,
      saved,
      conversations,
      elapsedMs,
      ...(savedAs === undefined ? {} : { savedAs }),
    };
  }
  return null;
}

/** One NDJSON line → a stream message; blank lines give null. */
export function parseStreamLine(text: string, lineNumber: number): StreamMessage | null {
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
  const msg = isFields(value) ? message(value) : null;
  if (!msg)
    throw new StreamFormatError(
      lineNumber,
      `The server sent an unexpected message on line ${lineNumber} of the stream.`,
    );
  return msg;
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

  push(chunk: Uint8Array | string): StreamMessage[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: StreamMessage[] = [];
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

  end(): StreamMessage[] {
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
export function decodeNdjson(chunks: readonly (Uint8Array | string)[]): StreamMessage[] {
  const d = new NdjsonDecoder();
  return [...chunks.flatMap((c) => d.push(c)), ...d.end()];
}
