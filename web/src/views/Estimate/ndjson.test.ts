import { describe, expect, it } from 'vitest';
import { decodeNdjson, NdjsonDecoder, parseStreamLine, StreamFormatError } from './ndjson.ts';

const enc = new TextEncoder();
const progress = (bytes: number, records: number) =>
  JSON.stringify({ type: 'progress', bytes, totalBytes: 100, records });

describe('NDJSON stream decoding', () => {
  it('parses complete lines', () => {
    const lines = decodeNdjson([`${progress(0, 0)}\n${progress(50, 10)}\n`]);
    expect(lines).toEqual([
      { type: 'progress', bytes: 0, totalBytes: 100, records: 0 },
      { type: 'progress', bytes: 50, totalBytes: 100, records: 10 },
    ]);
  });

  it('buffers a line split across chunks, at any byte', () => {
    const text = `${progress(0, 0)}\n${progress(100, 42)}\n`;
    const bytes = enc.encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new NdjsonDecoder();
      const a = d.push(bytes.slice(0, cut));
      const b = d.push(bytes.slice(cut));
      expect([...a, ...b, ...d.end()]).toHaveLength(2);
    }
    const d = new NdjsonDecoder();
    expect(d.push(text.slice(0, 10))).toEqual([]);
    expect(d.push(text.slice(10, text.indexOf('\n') + 3))).toHaveLength(1);
    expect(d.push(text.slice(text.indexOf('\n') + 3))).toHaveLength(1);
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const bytes = enc.encode(
      `${JSON.stringify({ type: 'error', status: 422, error: { code: 'x', message: 'café — ünïcode' } })}\n`,
    );
    const at = bytes.indexOf(0xc3) + 1; // inside "é"
    const [line] = decodeNdjson([bytes.slice(0, at), bytes.slice(at)]);
    expect(line).toMatchObject({ type: 'error', error: { message: 'café — ünïcode' } });
  });

  it('returns a final line without a newline at the end', () => {
    const d = new NdjsonDecoder();
    expect(
      d.push(
        `${progress(0, 0)}\n{"type":"result","id":"p-1","saved":false,"conversations":3,"elapsedMs":12,"name":"x"`,
      ),
    ).toHaveLength(1);
    expect(d.push('}')).toEqual([]);
    expect(d.end()).toEqual([
      { type: 'result', id: 'p-1', name: 'x', saved: false, conversations: 3, elapsedMs: 12 },
    ]);
  });

  it('ignores blank lines and CRLF', () => {
    expect(decodeNdjson([`\n${progress(1, 1)}\r\n\r\n`, '  \n'])).toHaveLength(1);
  });

  it('parses error lines with their status, code and line', () => {
    const [line] = decodeNdjson([
      `${progress(0, 0)}\n`,
      '{"type":"error","status":422,"error":{"code":"encoding","message":"not a UTF-8 text file: invalid UTF-8 on line 3"},"line":3}',
    ]).slice(1);
    expect(line).toEqual({
      type: 'error',
      status: 422,
      error: { code: 'encoding', message: 'not a UTF-8 text file: invalid UTF-8 on line 3' },
      line: 3,
    });
  });

  it('reports broken or unknown lines with their stream line', () => {
    expect(() => decodeNdjson([`${progress(0, 0)}\n{"type":"progress"\n`])).toThrow(StreamFormatError);
    try {
      decodeNdjson([`${progress(0, 0)}\nnot json\n`]);
    } catch (e) {
      expect((e as StreamFormatError).lineNumber).toBe(2);
      expect((e as Error).message).toMatch(/line 2/);
    }
    expect(() => parseStreamLine('{"type":"nope"}', 1)).toThrow(/unexpected message on line 1/);
    expect(() => parseStreamLine('[1,2]', 1)).toThrow(StreamFormatError);
    expect(parseStreamLine('   ', 4)).toBeNull();
  });

  it('refuses a known message whose fields are missing or of the wrong type', () => {
    for (const bad of [
      '{"type":"progress","bytes":"12","totalBytes":null,"records":0}',
      '{"type":"progress","bytes":12,"records":0}',
      '{"type":"error","status":422,"error":"broken"}',
      '{"type":"error","status":422,"error":{"code":"x","message":"m"},"line":"3"}',
      '{"type":"result","saved":true}',
      '{"type":"result","id":"p-1","saved":"yes","conversations":3,"elapsedMs":12}',
      '{"type":"result","id":"p-1","saved":true,"elapsedMs":12}',
      '{"type":"result","id":"p-1","name":"x","saved":false,"conversations":3,"elapsedMs":12,"savedAs":7}',
    ])
      expect(() => parseStreamLine(bad, 2), bad).toThrow(/unexpected message on line 2/);
    expect(parseStreamLine('{"type":"progress","bytes":5,"totalBytes":null,"records":1}', 1)).toEqual({
      type: 'progress',
      bytes: 5,
      totalBytes: null,
      records: 1,
    });
  });
});
