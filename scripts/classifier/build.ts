/** Builds the shipped model from the repository's data: what `npm run train:classifier` writes. */
import type { TrainOptions } from '../../server/domain/classifier/train.ts';
import { trainModel } from '../../server/domain/classifier/train.ts';
import { loadClassifierData } from './data.ts';
import { loadWordVectors, synonymsFor } from './synonyms.ts';

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
    options,
    synonymMap,
    vectors ? loadWordVectors() : undefined,
  );
  return { ...result, data };
}
