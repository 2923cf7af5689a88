import { describe, expect, it } from 'vitest';
import { StoredJsonError, storedJson } from '../server/db/stored-json.ts';

describe('stored JSON columns', () => {
  it('reads back what was written', () => {
    const ids = ['c1', 'c2'];
    expect(storedJson.sampleIds.decode(storedJson.sampleIds.encode(ids))).toEqual(ids);
    expect(storedJson.fixCheck.decode('null')).toBeNull();
  });

  it('names the column when it holds another shape, instead of serving it', () => {
    expect(() => storedJson.accountSummary.decode('{"id":"a","name":"A"}')).toThrow(
      new StoredJsonError(
        'accounts.summary_json does not hold what this Cockpit writes: rebuild the database',
      ),
    );
    expect(() => storedJson.sampleIds.decode('[1,2]')).toThrow(/actions\.sample_ids_json/);
    expect(() => storedJson.cxDistribution.decode('{"score":1}')).toThrow(/account_cx\.distribution_json/);
  });
});
