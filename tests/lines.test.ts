import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PipelineError } from '../scripts/pipeline/errors.ts';
import { decodeBlock, readLineBlocks, readLines, splitBlock } from '../scripts/pipeline/lines.ts';
import { lineTooLong } from '../server/importers/bytes.ts';
import { tempDir } from './helpers.ts';

const TEXT = '\uFEFF{"a":1}\r\n{"b":"é"}\n\n{"c":3}';

async function blocks(path: string, size: number) {
  const out: [number, string[]][] = [];
  for await (const b of readLineBlocks(path, size))
    out.push([b.firstLine, splitBlock(b.bytes.toString('utf8'), b.firstLine)]);
  return out;
}

describe('line reading', () => {
  const dir = tempDir();
  const plain = join(dir, 'x.jsonl');
  const gz = join(dir, 'x.jsonl.gz');
  writeFileSync(plain, TEXT);
  writeFileSync(gz, gzipSync(Buffer.from(TEXT)));

  it('reads lines with numbers, dropping the BOM and CR, plain or gzip', async () => {
    for (const path of [plain, gz]) {
      const lines: [number, string][] = [];
      for await (const [n, text, problem] of readLines(path)) {
        expect(problem).toBeUndefined();
        lines.push([n, text]);
      }
      expect(lines).toEqual([
        [1, '{"a":1}'],
        [2, '{"b":"é"}'],
        [3, ''],
        [4, '{"c":3}'],
      ]);
    }
  });

  it('cuts blocks on line boundaries with the right first line numbers', async () => {
    for (const path of [plain, gz]) {
      const all = await blocks(path, 4);
      expect(all.flatMap(([first, lines]) => lines.map((l, i) => [first + i, l]))).toEqual([
        [1, '{"a":1}'],
        [2, '{"b":"é"}'],
        [3, ''],
        [4, '{"c":3}'],
      ]);
      expect((await blocks(path, 1 << 20)).length).toBe(1);
    }
  });

  async function readAll(path: string, max?: number) {
    const out: [number, string, string | undefined][] = [];
    for await (const l of readLines(path, max)) out.push(l);
    return out;
  }

  it('rejects a line over the cap without buffering it, and keeps reading after it', async () => {
    const path = join(dir, 'long.jsonl');
    writeFileSync(path, `{"a":1}\n${'x'.repeat(5000)}\n{"c":3}\n${'y'.repeat(3000)}`);
    for (const blockBytes of [64, 1 << 20]) {
      const lines: [number, string, string | undefined][] = [];
      for await (const b of readLineBlocks(path, blockBytes, 1000)) {
        const { lines: texts, problems } = decodeBlock(b, 1000);
        for (const [i, t] of texts.entries()) lines.push([b.firstLine + i, t, problems?.get(i)]);
      }
      // A line that reached the decoder whole keeps its first 200 characters, so the rejects
      // file can show its record; the last one, found over the cap while still being read, keeps none.
      expect(lines).toEqual([
        [1, '{"a":1}', undefined],
        [2, `${'x'.repeat(200)}…`, 'line is too long: 4.9 KB, over the 1000 bytes limit'],
        [3, '{"c":3}', undefined],
        [4, '', 'line is too long: 2.9 KB, over the 1000 bytes limit'],
      ]);
    }
  });

  it('rejects only the lines that are not UTF-8', async () => {
    const path = join(dir, 'latin1.jsonl');
    const head = Buffer.from(`${'{"ok":1}\n'.repeat(8000)}`);
    writeFileSync(
      path,
      Buffer.concat([head, Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"ok":2}\n')]),
    );
    const lines = await readAll(path);
    expect(lines.length).toBe(8002);
    expect(lines[8000]).toEqual([8001, '{"name":"caf\uFFFD"}', 'not valid UTF-8 text']);
    expect(lines[8001]).toEqual([8002, '{"ok":2}', undefined]);
  });

  it('decodes UTF-16 with a byte-order mark', async () => {
    const path = join(dir, 'utf16.jsonl');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":"é"}\r\n{"b":2}\n', 'utf16le')]),
    );
    expect(await readAll(path)).toEqual([
      [1, '{"a":"é"}', undefined],
      [2, '{"b":2}', undefined],
    ]);
  });

  it('names the file and the problem when a gzip stream is cut short', async () => {
    const path = join(dir, 'cut.jsonl.gz');
    const whole = gzipSync(Buffer.from('{"a":1}\n'.repeat(20000)));
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(readAll(path)).rejects.toThrow(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the gzip data is corrupt or truncated`),
    );
    await expect(readAll(path)).rejects.toBeInstanceOf(PipelineError);
  });

  it('reads an empty file as no lines', async () => {
    const path = join(dir, 'empty.jsonl');
    writeFileSync(path, '');
    expect(await readAll(path)).toEqual([]);
  });
});

describe('the too-long reject reason', () => {
  it('gives the bytes when the rounded size would read like the limit', () => {
    expect(lineTooLong(1_050_000)).toBe('line is too long: 1,050,000 bytes, over the 1 MB limit');
    expect(lineTooLong(2 * 1024 * 1024)).toBe('line is too long: 2 MB, over the 1 MB limit');
    expect(lineTooLong(5000, 1000)).toBe('line is too long: 4.9 KB, over the 1000 bytes limit');
  });
});
