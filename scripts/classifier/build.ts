/** Builds the shipped model from the repository's data: what `npm run train:classifier` writes. */
import type { TrainOptions } from '../../server/domain/classifier/train.ts';
import { trainModel } from '../../server/domain/classifier/train.ts';
import { loadClassifierData } from './data.ts';
import { loadWordVectors, synonymsFor } from './synonyms.ts';

/**
 * Weights below this are dropped from the shipped model (the trainer's default, 0.25, suits small
 * models). Chosen on the development sets: 0.25 to 0.8 all scored the same there, and 0.8 keeps 234k
 * of 1.55M weights, so the file is 3.4 MB instead of 8.7 and scoring visits fewer weights.
 */
const SHIPPED_PRUNE_BELOW = 0.8;
/**
 * An unknown word one slip away from a word in at least this many training texts is read as that
 * word (server/domain/classifier/spelling.ts). Chosen on the development sets: the same clean,
 * better misspelled; 3 and 5 scored the same.
 */
const SHIPPED_SPELLING_MIN_TEXTS = 3;

export interface BuildOptions {
  options?: Partial<TrainOptions>;
  synonyms?: boolean;
  vectors?: boolean;
  /** Each training phrase also inside a neutral frame ("hi team, … thanks"). */
  frames?: boolean;
  /** CLINC150's train split among the training data. */
  clincTraining?: boolean;
  /** Each training phrase also with typing slips (data.ts `misspelled`). */
  typos?: boolean;
}

export function buildModel({
  options = {},
  synonyms = true,
  vectors = true,
  frames = true,
  clincTraining = true,
  typos = true,
}: BuildOptions = {}) {
  const data = loadClassifierData({ frames, clincTraining, typos });
  const synonymMap = synonyms ? synonymsFor(data.train.map((e) => e.text)) : {};
  const result = trainModel(
    data.train,
    data.calibration,
    { pruneBelow: SHIPPED_PRUNE_BELOW, spellingMinTexts: SHIPPED_SPELLING_MIN_TEXTS, ...options },
    synonymMap,
    vectors ? loadWordVectors() : undefined,
  );
  return { ...result, data };
}
