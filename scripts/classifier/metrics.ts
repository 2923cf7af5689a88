/** Scores of a classifier against gold labels: accuracy, per-class F1, confusion, calibration. */
import { AUTOMATION_CLASSES, type AutomationClass } from '../../server/domain/types.ts';

export interface ClassScores {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<AutomationClass, { precision: number; recall: number; f1: number; support: number }>;
  /** rows = gold, columns = predicted, in AUTOMATION_CLASSES order */
  confusion: number[][];
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Macro-F1 averages the classes present in the gold labels (absent ones are not scored). */
export function scoreClasses(
  gold: readonly AutomationClass[],
  pred: readonly AutomationClass[],
): ClassScores {
  const k = AUTOMATION_CLASSES.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = AUTOMATION_CLASSES.indexOf(gold[i]!);
    const p = AUTOMATION_CLASSES.indexOf(pred[i]!);
    confusion[g]![p]!++;
    if (g === p) correct++;
  }
  const perClass = {} as ClassScores['perClass'];
  let f1Sum = 0;
  let present = 0;
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
      present++;
    }
  });
  return {
    n: gold.length,
    accuracy: round(gold.length ? correct / gold.length : 0),
    macroF1: round(present ? f1Sum / present : 0),
    perClass,
    confusion,
  };
}

export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

/**
 * Expected calibration error over equal-width confidence bins: Σ (n_b / N) · |accuracy_b −
 * confidence_b|, with the reliability curve behind it.
 */
export function calibrationError(
  confidence: readonly number[],
  correct: readonly boolean[],
  bins = 10,
): { ece: number; curve: ReliabilityBin[] } {
  const n = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hit = new Array<number>(bins).fill(0);
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i]!;
    const b = Math.min(bins - 1, Math.floor(c * bins));
    n[b]!++;
    conf[b]! += c;
    if (correct[i]) hit[b]!++;
  }
  let ece = 0;
  const curve: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (n[b] === 0) continue;
    const mc = conf[b]! / n[b]!;
    const acc = hit[b]! / n[b]!;
    ece += (n[b]! / Math.max(1, confidence.length)) * Math.abs(acc - mc);
    curve.push({
      from: b / bins,
      to: (b + 1) / bins,
      n: n[b]!,
      meanConfidence: round(mc),
      accuracy: round(acc),
    });
  }
  return { ece: round(ece), curve };
}

/** The majority-class baseline: always answer the most frequent gold class. */
export function majorityBaseline(gold: readonly AutomationClass[]): {
  answer: AutomationClass;
  scores: ClassScores;
} {
  const counts = new Map<AutomationClass, number>();
  for (const g of gold) counts.set(g, (counts.get(g) ?? 0) + 1);
  let answer: AutomationClass = 'informational';
  for (const c of AUTOMATION_CLASSES) if ((counts.get(c) ?? 0) > (counts.get(answer) ?? 0)) answer = c;
  return {
    answer,
    scores: scoreClasses(
      gold,
      gold.map(() => answer),
    ),
  };
}

/**
 * The keyword baseline: fifteen words and a default, the rule a person would write in a minute.
 * Checked in this order: human words, action words, personalized words, else informational.
 */
const KEYWORD_RULES: [RegExp, AutomationClass][] = [
  [/\b(human|agent|person|complain\w*|fraud|dispute)\b/i, 'human'],
  [/\b(cancel\w*|refund|change|delete|block)\b/i, 'action'],
  [/\b(where|status|track\w*|my)\b/i, 'personalized'],
];

export function keywordClass(text: string): AutomationClass {
  for (const [re, cls] of KEYWORD_RULES) if (re.test(text)) return cls;
  return 'informational';
}
