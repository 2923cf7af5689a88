import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../scripts/classifier/build.ts';
import { serializeModel } from '../server/domain/classifier/model.ts';
import { MODEL_PATH } from '../server/domain/classifier.ts';

describe('the shipped classifier model', () => {
  it('is exactly what `npm run train:classifier` builds from the repository (rerun it after changing the data)', () => {
    const { model } = buildModel();
    expect(serializeModel(model).equals(readFileSync(MODEL_PATH))).toBe(true);
  }, 120_000);
});
