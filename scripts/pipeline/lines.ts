/** Streaming line reader for plain or gzip files (detected by magic bytes, not the name). */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
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
