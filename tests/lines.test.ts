import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLineBlocks, readLines, splitBlock } from '../scripts/pipeline/lines.ts';
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
      for await (const l of readLines(path)) lines.push(l);
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
});
