/**
 * Evaluates the shipped taxonomy classifier on public data the project did not write:
 * ../shared/datasets/bitext/bitext_cs_4514.csv (Bitext customer-support utterances). Each Bitext
 * intent maps to an automation class via classes.json (null = ambiguous, not scored); we score
 * the automation class of the predicted leaf. The model never sees this data.
 *
 *   npx tsx scripts/eval-classifier.ts            human-readable report
 *   npx tsx scripts/eval-classifier.ts --json     figures as JSON
 *   npx tsx scripts/eval-classifier.ts --cv       also 5-fold cross-validation on the taxonomy's own examples
 *   npx tsx scripts/eval-classifier.ts --opt alpha=0.2,charWeight=0.1   override classifier options
 *   npx tsx scripts/eval-classifier.ts --dataset <dir>                  another folder with the same files
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Classifier,
  type ClassifierOptions,
  DEFAULT_OPTIONS,
  type TrainingExample,
  taxonomyExamples,
  trainClassifier,
} from '../server/domain/classifier.ts';
import { csvObjects, parseCsv } from '../server/domain/csv.ts';
import { classOf } from '../server/domain/taxonomy.ts';
import { AUTOMATION_CLASSES, type AutomationClass } from '../server/domain/types.ts';

const argv = process.argv.slice(2);
const asJson = argv.includes('--json');
const withCv = argv.includes('--cv');
const argValue = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const datasetDir = path.resolve(
  argValue('--dataset') ?? path.join(repoRoot, '..', 'shared', 'datasets', 'bitext'),
);
const csvPath = path.join(datasetDir, 'bitext_cs_4514.csv');
const classesPath = path.join(datasetDir, 'classes.json');

function parseOptions(spec: string | undefined): Partial<ClassifierOptions> {
  const out: Partial<ClassifierOptions> = {};
  if (!spec) return out;
  for (const pair of spec.split(',')) {
    const [k, v] = pair.split('=');
    if (k && v && k in DEFAULT_OPTIONS) out[k as keyof ClassifierOptions] = Number(v);
  }
  return out;
}

interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function scoreClasses(gold: AutomationClass[], pred: AutomationClass[]) {
  const idx = new Map(AUTOMATION_CLASSES.map((c, i) => [c, i]));
  const k = AUTOMATION_CLASSES.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = idx.get(gold[i]!)!;
    const p = idx.get(pred[i]!)!;
    confusion[g]![p]!++;
    if (g === p) correct++;
  }
  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  let f1Count = 0;
  AUTOMATION_CLASSES.forEach((c, i) => {
    const tp = confusion[i]![i]!;
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
    if (support > 0) {
      f1Sum += f1;
      f1Count++;
    }
  });
  return {
    n: gold.length,
    accuracy: round(gold.length ? correct / gold.length : 0),
    macroF1: round(f1Count ? f1Sum / f1Count : 0),
    perClass,
    confusion,
  };
}

function measureSpeed(clf: Classifier, texts: string[]): number {
  // Warm up, then classify the whole set repeatedly for ~1 s.
  for (let i = 0; i < Math.min(texts.length, 2000); i++) clf.classify(texts[i]!);
  let done = 0;
  const t0 = performance.now();
  let sink = 0;
  while (performance.now() - t0 < 1000) {
    for (const t of texts) sink += clf.classify(t).confidence;
    done += texts.length;
  }
  const secs = (performance.now() - t0) / 1000;
  if (sink < 0) console.log(sink);
  return Math.round(done / secs);
}

/** k-fold cross-validation on the taxonomy's own example phrases (leaf and class accuracy). */
function crossValidate(examples: TrainingExample[], opts: Partial<ClassifierOptions>, k = 5) {
  let leafCorrect = 0;
  let classCorrect = 0;
  let confSum = 0;
  let n = 0;
  for (let fold = 0; fold < k; fold++) {
    const train = examples.filter((_, i) => i % k !== fold);
    const test = examples.filter((_, i) => i % k === fold);
    const clf = trainClassifier(train, opts);
    for (const ex of test) {
      const r = clf.classify(ex.text);
      n++;
      confSum += r.confidence;
      if (r.taxonomyId === ex.taxonomyId) leafCorrect++;
      if (r.automationClass === classOf(ex.taxonomyId)) classCorrect++;
    }
  }
  return {
    n,
    leafAccuracy: round(leafCorrect / n),
    classAccuracy: round(classCorrect / n),
    meanConfidence: round(confSum / n),
  };
}

function main(): void {
  const opts = parseOptions(argValue('--opt'));
  const examples = taxonomyExamples();
  const t0 = performance.now();
  const clf = trainClassifier(examples, opts);
  const trainMs = round(performance.now() - t0, 1);
  const cv = withCv ? crossValidate(examples, opts) : undefined;

  if (!existsSync(csvPath) || !existsSync(classesPath)) {
    console.log('skipped: dataset not found');
    if (cv)
      console.log(
        `taxonomy 5-fold CV: leaf ${cv.leafAccuracy}, class ${cv.classAccuracy}, mean confidence ${cv.meanConfidence} (n=${cv.n})`,
      );
    return;
  }

  const classMap = JSON.parse(readFileSync(classesPath, 'utf8')) as Record<string, string | null>;
  const rows = csvObjects(parseCsv(readFileSync(csvPath, 'utf8')));
  const texts: string[] = [];
  const intents: string[] = [];
  const gold: AutomationClass[] = [];
  let skipped = 0;
  for (const row of rows) {
    const intent = row.intent ?? '';
    const cls = classMap[intent];
    const text = row.instruction ?? '';
    if (!cls || !(AUTOMATION_CLASSES as readonly string[]).includes(cls) || text.length === 0) {
      skipped++;
      continue;
    }
    texts.push(text);
    intents.push(intent);
    gold.push(cls as AutomationClass);
  }

  const pred: AutomationClass[] = [];
  const leaves: string[] = [];
  let confSum = 0;
  for (const t of texts) {
    const r = clf.classify(t);
    pred.push(r.automationClass);
    leaves.push(r.taxonomyId);
    confSum += r.confidence;
  }
  const scores = scoreClasses(gold, pred);
  const perSecond = measureSpeed(clf, texts);

  // Leaf sanity table: which leaves each intent lands on (counts only, no text).
  const byIntent = new Map<string, Map<string, number>>();
  intents.forEach((intent, i) => {
    let m = byIntent.get(intent);
    if (!m) {
      m = new Map();
      byIntent.set(intent, m);
    }
    m.set(leaves[i]!, (m.get(leaves[i]!) ?? 0) + 1);
  });
  const leafTable = [...byIntent.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([intent, m]) => {
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      const correct = intents.reduce(
        (a, it, i) => a + (it === intent && pred[i] === classMap[intent] ? 1 : 0),
        0,
      );
      const top = [...m.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 4)
        .map(([leaf, count]) => ({ leaf, share: round(count / total, 2) }));
      return { intent, goldClass: classMap[intent], n: total, classAccuracy: round(correct / total), top };
    });

  const result = {
    dataset: 'bitext_cs_4514',
    rows: rows.length,
    skipped,
    ...scores,
    meanConfidence: round(confSum / Math.max(1, texts.length)),
    classificationsPerSecond: perSecond,
    trainExamples: examples.length,
    trainMs,
    options: { ...DEFAULT_OPTIONS, ...opts },
    ...(cv ? { taxonomyCv: cv } : {}),
    leafTable,
  };

  if (asJson) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log(`dataset: ${csvPath}`);
  console.log(`rows ${rows.length}, scored ${scores.n}, skipped ${skipped} (intent class null)`);
  console.log(`trained on ${examples.length} taxonomy examples in ${trainMs} ms`);
  if (cv) {
    console.log(
      `taxonomy 5-fold CV: leaf ${cv.leafAccuracy}, class ${cv.classAccuracy}, mean confidence ${cv.meanConfidence} (n=${cv.n})`,
    );
  }
  console.log(`\nautomation-class accuracy: ${scores.accuracy}`);
  console.log(`macro-F1:                  ${scores.macroF1}`);
  console.log(`mean confidence:           ${result.meanConfidence}`);
  console.log(`classifications/s:         ${perSecond.toLocaleString('en-US')}`);
  console.log('\nclass            precision  recall     F1  support');
  for (const c of AUTOMATION_CLASSES) {
    const m = scores.perClass[c]!;
    console.log(
      `${c.padEnd(15)} ${pad(m.precision.toFixed(3), 10)} ${pad(m.recall.toFixed(3), 7)} ${pad(m.f1.toFixed(3), 6)} ${pad(m.support, 8)}`,
    );
  }
  console.log('\nconfusion (rows = gold, columns = predicted)');
  console.log(`${''.padEnd(15)} ${AUTOMATION_CLASSES.map((c) => pad(c.slice(0, 12), 13)).join('')}`);
  AUTOMATION_CLASSES.forEach((c, i) => {
    console.log(`${c.padEnd(15)} ${scores.confusion[i]!.map((v) => pad(v, 13)).join('')}`);
  });
  console.log('\nleaf sanity table (intent → top predicted leaves)');
  for (const r of leafTable) {
    const tops = r.top.map((t) => `${t.leaf} ${Math.round(t.share * 100)}%`).join(', ');
    console.log(
      `${r.intent.padEnd(26)} ${String(r.goldClass).padEnd(13)} acc ${r.classAccuracy.toFixed(2)}  ${tops}`,
    );
  }
}

main();
