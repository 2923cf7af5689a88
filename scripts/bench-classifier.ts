/**
 * Classifier throughput on one core: classifications per second over the independent held-out
 * phrases and CLINC150 test sentences (short support messages), after a warm-up. Also the model
 * file's size and load time, which is what start-up pays.
 *
 *   npm run bench:classifier [-- --model FILE]
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { LinearClassifier, loadModel, MODEL_PATH } from '../server/domain/classifier.ts';
import { loadClassifierData } from './classifier/data.ts';
import { fromCaller, parseCli } from './cli.ts';

const parsed = parseCli('usage: npm run bench:classifier -- [--model FILE]', { model: { type: 'string' } });
if ('exitCode' in parsed) process.exit(parsed.exitCode);
const file = parsed.values.model !== undefined ? fromCaller(parsed.values.model) : MODEL_PATH;
const t0 = performance.now();
const clf = new LinearClassifier(loadModel(file));
const loadMs = performance.now() - t0;
const data = loadClassifierData();
const texts = [...data.evalSets.heldout, ...data.clincTest, ...data.poolHeldout].map((e) => e.text);
let sink = 0;
for (let k = 0; k < 3; k++) for (const t of texts) sink += clf.classify(t).confidence;
const runs: number[] = [];
for (let r = 0; r < 5; r++) {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    for (const t of texts) sink += clf.classify(t).confidence;
    done += texts.length;
  }
  runs.push(done / ((performance.now() - start) / 1000));
}
runs.sort((a, b) => a - b);
const meanChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
console.log(
  `model ${path.relative(process.cwd(), file)}: ${(statSync(file).size / 1e6).toFixed(2)} MB, loaded in ${loadMs.toFixed(0)} ms`,
);
console.log(
  `classifications/s (one core, ${texts.length} texts, mean ${meanChars.toFixed(0)} chars): ` +
    `median ${Math.round(runs[2]!).toLocaleString('en-US')}, min ${Math.round(runs[0]!).toLocaleString('en-US')}, max ${Math.round(runs[4]!).toLocaleString('en-US')}`,
);
if (sink < 0) console.log(sink);
