/**
 * What each part of the classifier is worth: rebuilds the model without one part at a time and
 * scores every variant on the development split (the hand-written calibration phrases, the only
 * figures settings were chosen on) and on the evaluation sets (reported, never tuned on).
 *
 *   npx tsx scripts/classifier/ablation.ts
 */
import path from 'node:path';
import { LinearClassifier } from '../../server/domain/classifier.ts';
import { classOf, isNonRequest } from '../../server/domain/taxonomy.ts';
import { runEvaluation } from '../eval-classifier.ts';
import { type BuildOptions, buildModel } from './build.ts';
import { REPO_ROOT } from './data.ts';
import { scoreClasses } from './metrics.ts';

const VARIANTS: [string, BuildOptions][] = [
  ['shipped', {}],
  ['− word vectors (class model)', { vectors: false }],
  ['− class-level model', { vectors: false, options: { classBlends: [0] } }],
  ['− synonyms', { synonyms: false }],
  ['− framed copies', { frames: false }],
  ['− typing-slip copies', { typos: false }],
  ['− CLINC150 training', { clincTraining: false }],
];
const bitextDir = path.join(REPO_ROOT, '..', 'shared', 'datasets', 'bitext');
const short: Record<string, string> = {
  'CLINC150 test, support intents': 'CLINC',
  'Bitext (public, never trained on)': 'Bitext',
  'Independent held-out set (data/eval)': 'held-out',
  'Taxonomy phrases, seeded held-out tenth': 'pool tenth',
  'Demo conversations vs planted leaf': 'demo',
};
console.log(
  'variant | dev acc / F1 | CLINC | Bitext | held-out | pool tenth | demo   (class accuracy / macro-F1)',
);
for (const [name, opts] of VARIANTS) {
  const { model, data } = buildModel(opts);
  const clf = new LinearClassifier(model);
  const dev = data.poolCalibration.filter((e) => !isNonRequest(e.taxonomyId));
  const devScores = scoreClasses(
    dev.map((e) => classOf(e.taxonomyId)),
    dev.map((e) => clf.classify(e.text).automationClass),
  );
  const { reports } = runEvaluation(clf, bitextDir);
  const cells = reports
    .filter((r) => short[r.name])
    .map((r) => `${short[r.name]} ${r.classes.accuracy.toFixed(3)} / ${r.classes.macroF1.toFixed(3)}`);
  console.log(
    `${name} | dev ${devScores.accuracy.toFixed(3)} / ${devScores.macroF1.toFixed(3)} | ${cells.join(' | ')}`,
  );
}
