/**
 * Synonyms for the classifier from distilled word vectors (data/model/word-neighbours.json, made
 * by distill-neighbours.ts): every common word the training text never uses is mapped to its
 * nearest neighbour that it does use. The model stores the resulting map; at run time only words
 * unknown to the model are looked up, so a known word is never replaced.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WordVectors } from '../../server/domain/classifier/features.ts';
import { tokenize } from '../../server/domain/text.ts';
import { REPO_ROOT } from './data.ts';

export const NEIGHBOURS_FILE = path.join(REPO_ROOT, 'data', 'model', 'word-neighbours.json');

export function synonymsFor(
  trainingTexts: readonly string[],
  file = NEIGHBOURS_FILE,
): Record<string, string> {
  if (!existsSync(file)) throw new Error(`${file} is missing (see scripts/classifier/distill-neighbours.ts)`);
  const neighbours = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
  const known = new Set<string>();
  for (const text of trainingTexts) for (const tok of tokenize(text)) known.add(tok);
  const out: Record<string, string> = {};
  for (const [word, near] of Object.entries(neighbours)) {
    if (known.has(word)) continue;
    const hit = near.find((n) => known.has(n));
    if (hit !== undefined) out[word] = hit;
  }
  return out;
}

export const VECTORS_FILE = path.join(REPO_ROOT, 'data', 'model', 'word-vectors.bin');

/** The distilled stem vectors (distill-neighbours.ts): uint32 header length, JSON header, int8 rows. */
export function loadWordVectors(file = VECTORS_FILE): WordVectors {
  if (!existsSync(file)) throw new Error(`${file} is missing (see scripts/classifier/distill-neighbours.ts)`);
  const buf = readFileSync(file);
  const headerLength = buf.readUInt32LE(0);
  const header = JSON.parse(buf.toString('utf8', 4, 4 + headerLength)) as Omit<WordVectors, 'data'>;
  const data = new Int8Array(header.stems.length * header.dims);
  data.set(new Int8Array(buf.buffer, buf.byteOffset + 4 + headerLength, data.length));
  return { ...header, data };
}
