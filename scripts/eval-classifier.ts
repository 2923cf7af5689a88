/**
 * Evaluates the shipped classifier (data/model/classifier.bin) on text it was never trained on:
 *   (a) CLINC150 test split: support intents mapped to leaves (leaf + class), out-of-scope → other;
 *   (b) Bitext (../shared/datasets/bitext, public, evaluation only; class via classes.json);
 *   (c) data/eval/heldout.jsonl, written by someone who never saw the training phrases, and
 *       data/eval/dev-registers.jsonl, by a third hand, in six registers (a development set);
 *   (d) the seeded held-out tenth of the taxonomy's own phrases (scripts/classifier/data.ts);
 *   (e) demo conversations against the leaf the demo generator planted (its phrases are written
 *       apart from the training phrases; the customer's opening message, as the pipeline reads it);
 *   (f) messages to businesses in nine domains the taxonomy was not written for (DOMAIN_SETS):
 *       class accuracy, and leaf accuracy over the rows that name a leaf.
 * For each: leaf accuracy where leaves exist, class accuracy, macro-F1, confusion matrix, the
 * majority-class and keyword baselines, and ECE with its reliability curve.
 *
 *   npm run eval:classifier                       report
 *   npm run eval:classifier -- --json             figures as JSON
 *   npm run eval:classifier -- --model FILE       another model file (variants from train:classifier --out)
 *   npm run eval:classifier -- --bitext DIR       Bitext folder elsewhere
 *
 * Bitext is reported as one figure per class; there is deliberately no per-intent breakdown, so
 * nobody is tempted to tune examples to it. Throughput: npm run bench:classifier.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readRequest } from '../server/domain/assign.ts';
import type { TrainingExample } from '../server/domain/classifier/train.ts';
import { LinearClassifier, loadModel, type ScoredClassification } from '../server/domain/classifier.ts';
import { classOf, isNonRequest } from '../server/domain/taxonomy.ts';
import { conversationText } from '../server/domain/text.ts';
import { AUTOMATION_CLASSES, type AutomationClass } from '../server/domain/types.ts';
import { csvObjects, parseCsvText } from '../server/importers/csv.ts';
import {
  DOMAIN_SETS,
  EVAL_SETS,
  loadClassifierData,
  misspelled,
  REPO_ROOT,
  readLabelledSet,
} from './classifier/data.ts';
import {
  type ClassScores,
  calibrationError,
  keywordClass,
  majorityBaseline,
  type ReliabilityBin,
  round,
  scoreClasses,
} from './classifier/metrics.ts';
import { fromCaller, parseCli } from './cli.ts';
import { accountConversations, demoWorld } from './demo/generate.ts';

interface Item {
  text: string;
  leaf: string | null;
  cls: AutomationClass;
}

export interface DatasetReport {
  name: string;
  n: number;
  leafAccuracy: number | null;
  classes: ClassScores;
  majority: { answer: AutomationClass; accuracy: number; macroF1: number };
  keyword: { accuracy: number; macroF1: number };
  /**
   * Calibrated leaf probability vs leaf correct (where leaves exist), else class probability vs
   * class correct.
   */
  ece: number;
  reliability: ReliabilityBin[];
  meanConfidence: number;
  /** Share of rows that landed in a non-request leaf (greeting, small talk). */
  otherRate: number;
}

const isOther = isNonRequest;

function evaluate(name: string, items: Item[], clf: LinearClassifier): DatasetReport {
  const results: ScoredClassification[] = items.map((it) => clf.score(it.text));
  const gold = items.map((it) => it.cls);
  const pred = results.map((r) => r.automationClass);
  const withLeaf = items.every((it) => it.leaf !== null);
  const leafCorrect = results.map(
    (r, i) => r.taxonomyId === items[i]!.leaf || (isOther(r.taxonomyId) && isOther(items[i]!.leaf)),
  );
  // a set whose rows name a leaf only where one fits: leaf accuracy over those rows
  const leafRows = items.flatMap((it, i) => (it.leaf !== null ? [i] : []));
  const { ece, curve } = withLeaf
    ? calibrationError(
        results.map((r) => r.probability),
        leafCorrect,
      )
    : calibrationError(
        results.map((r) => r.classProbabilities[r.automationClass]),
        results.map((r, i) => r.automationClass === gold[i]),
      );
  const majority = majorityBaseline(gold);
  const keyword = scoreClasses(
    gold,
    items.map((it) => keywordClass(it.text)),
  );
  return {
    name,
    n: items.length,
    leafAccuracy:
      leafRows.length > 0 ? round(leafRows.filter((i) => leafCorrect[i]).length / leafRows.length) : null,
    classes: scoreClasses(gold, pred),
    majority: {
      answer: majority.answer,
      accuracy: majority.scores.accuracy,
      macroF1: majority.scores.macroF1,
    },
    keyword: { accuracy: keyword.accuracy, macroF1: keyword.macroF1 },
    ece,
    reliability: curve,
    meanConfidence: round(results.reduce((s, r) => s + r.confidence, 0) / Math.max(1, results.length)),
    otherRate: round(results.filter((r) => isOther(r.taxonomyId)).length / Math.max(1, results.length)),
  };
}

const fromExamples = (examples: readonly TrainingExample[]): Item[] =>
  examples.map((e) => ({ text: e.text, leaf: e.taxonomyId, cls: classOf(e.taxonomyId) }));

function bitextItems(dir: string): Item[] | null {
  const csv = path.join(dir, 'bitext_cs_4514.csv');
  const classes = path.join(dir, 'classes.json');
  if (!existsSync(csv) || !existsSync(classes)) return null;
  const classMap = JSON.parse(readFileSync(classes, 'utf8')) as Record<string, string | null>;
  const out: Item[] = [];
  for (const row of csvObjects(parseCsvText(readFileSync(csv, 'utf8')))) {
    const cls = classMap[row.intent ?? ''];
    if (!cls || !(AUTOMATION_CLASSES as readonly string[]).includes(cls) || !row.instruction) continue;
    out.push({ text: row.instruction, leaf: null, cls: cls as AutomationClass });
  }
  return out;
}

/**
 * Help-desk e-mails (quoted history, HTML, signatures, long openings), each read as the pipeline
 * reads a conversation (`readRequest`): the item's text is what the model was given. A line holds
 * a conversation's `messages` or one customer message as `text`.
 */
const EMAIL_SETS = [
  { file: 'dev-email.jsonl', name: 'Development set, help-desk e-mails, read as conversations (data/eval)' },
  { file: 'heldout-email.jsonl', name: 'Held-out set, help-desk e-mails, read as conversations (data/eval)' },
] as const;

function emailItems(file: string, clf: LinearClassifier): Item[] {
  const lines = readFileSync(path.join(REPO_ROOT, 'data/eval', file), 'utf8')
    .split('\n')
    .filter(Boolean);
  return lines.map((line) => {
    const row = JSON.parse(line) as {
      text?: string;
      messages?: { role: 'customer' | 'ai' | 'agent'; text: string }[];
      taxonomyId: string;
      automationClass: AutomationClass;
    };
    const messages = row.messages ?? [{ role: 'customer' as const, text: row.text ?? '' }];
    return { text: readRequest(messages, clf).text, leaf: row.taxonomyId, cls: row.automationClass };
  });
}

/** Up to 40 conversations of every demo account, with the leaf the generator drew them from. */
function demoItems(): Item[] {
  const world = demoWorld({});
  const out: Item[] = [];
  for (const acc of world.accounts) {
    let n = 0;
    for (const { conv, leafId } of accountConversations(world, acc)) {
      out.push({ text: conversationText(conv.messages), leaf: leafId, cls: classOf(leafId) });
      if (++n >= 40) break;
    }
  }
  return out;
}

export function runEvaluation(clf: LinearClassifier, bitextDir: string) {
  const data = loadClassifierData();
  const clincSupport = data.clincTest.filter((e) => !isOther(e.taxonomyId));
  const clincOos = data.clincTest.filter((e) => isOther(e.taxonomyId));
  const reports: DatasetReport[] = [
    evaluate('CLINC150 test, support intents', fromExamples(clincSupport), clf),
    evaluate('CLINC150 test, out-of-scope and small talk', fromExamples(clincOos), clf),
  ];
  const bitext = bitextItems(bitextDir);
  if (bitext) reports.push(evaluate('Bitext (public, never trained on)', bitext, clf));
  for (const set of EVAL_SETS) {
    const examples = data.evalSets[set.key];
    if (examples.length === 0) continue;
    reports.push(evaluate(set.name, fromExamples(examples), clf));
    // the held-out messages as a hurried typist sends them (about one word in five with a slip)
    if (set.key === 'heldout')
      reports.push(
        evaluate('Independent held-out set with typing slips', fromExamples(examples.map(misspelled)), clf),
      );
  }
  for (const set of EMAIL_SETS) reports.push(evaluate(set.name, emailItems(set.file, clf), clf));
  for (const set of DOMAIN_SETS) {
    const rows = readLabelledSet(set.file);
    if (rows.length === 0) continue;
    const items = rows.map((r) => ({ text: r.text, leaf: r.taxonomyId, cls: r.automationClass }));
    reports.push(evaluate(set.name, items, clf));
  }
  reports.push(evaluate('Taxonomy phrases, seeded held-out tenth', fromExamples(data.poolHeldout), clf));
  reports.push(evaluate('Demo conversations vs planted leaf', demoItems(), clf));
  return { reports, bitextFound: bitext !== null, model: clf.model.info };
}

function printReport(r: DatasetReport): void {
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log(`\n## ${r.name} (n = ${r.n})`);
  console.log(
    `class accuracy ${r.classes.accuracy}  macro-F1 ${r.classes.macroF1}` +
      (r.leafAccuracy !== null ? `  leaf accuracy ${r.leafAccuracy}` : '') +
      `  ECE ${r.ece}  mean confidence ${r.meanConfidence}  landed in other ${r.otherRate}`,
  );
  console.log(
    `baselines: majority (${r.majority.answer}) accuracy ${r.majority.accuracy} macro-F1 ${r.majority.macroF1}; ` +
      `keyword accuracy ${r.keyword.accuracy} macro-F1 ${r.keyword.macroF1}`,
  );
  console.log('class            precision  recall     F1  support');
  for (const c of AUTOMATION_CLASSES) {
    const m = r.classes.perClass[c];
    if (m.support === 0 && m.precision === 0) continue;
    console.log(
      `${c.padEnd(15)} ${pad(m.precision.toFixed(3), 10)} ${pad(m.recall.toFixed(3), 7)} ${pad(m.f1.toFixed(3), 6)} ${pad(m.support, 8)}`,
    );
  }
  console.log(`confusion (rows gold, columns predicted: ${AUTOMATION_CLASSES.join(', ')})`);
  AUTOMATION_CLASSES.forEach((c, i) => {
    console.log(`  ${c.padEnd(14)} ${r.classes.confusion[i]!.map((v) => pad(v, 6)).join('')}`);
  });
  console.log(
    `reliability: ${r.reliability.map((b) => `[${b.from.toFixed(1)}–${b.to.toFixed(1)}) n=${b.n} conf ${b.meanConfidence} acc ${b.accuracy}`).join('; ')}`,
  );
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const parsed = parseCli('usage: npm run eval:classifier -- [--json] [--model FILE] [--bitext DIR]', {
    json: { type: 'boolean' },
    model: { type: 'string' },
    bitext: { type: 'string' },
  });
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const { values } = parsed;
  const clf = new LinearClassifier(values.model ? loadModel(fromCaller(values.model)) : loadModel());
  const bitextDir =
    values.bitext !== undefined
      ? fromCaller(values.bitext)
      : path.resolve(path.join(REPO_ROOT, '..', 'shared', 'datasets', 'bitext'));
  const result = runEvaluation(clf, bitextDir);
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    if (!result.bitextFound) console.log(`Bitext: skipped (not found at ${bitextDir})`);
    for (const r of result.reports) printReport(r);
  }
}
