import { describe, expect, it } from 'vitest';
import { buildRefusal } from '../scripts/pipeline/gates.ts';

describe('the build gates’ one-line reason', () => {
  it('never rounds a loss just past the 20% gate onto the gate itself', () => {
    // 5,608 → 4,486 is 20.007% lost: "−20.0%" would read as allowed
    expect(buildRefusal({ accounts: 6, conversations: 5608 }, { accounts: 6, conversations: 4486 })).toBe(
      'the new build would lose more than 20% against the database it replaces: conversations 5,608 → 4,486 (-20.01%)',
    );
    expect(
      buildRefusal({ accounts: 6, conversations: 5608 }, { accounts: 6, conversations: 4487 }),
    ).toBeNull();
    expect(buildRefusal({ accounts: 10, conversations: 1000 }, { accounts: 5, conversations: 700 })).toBe(
      'the new build would lose more than 20% against the database it replaces: accounts 10 → 5 (-50%), conversations 1,000 → 700 (-30%)',
    );
    expect(buildRefusal({ accounts: 3, conversations: 1000 }, { accounts: 3, conversations: 0 })).toBe(
      'the new build would hold 0 conversations (3 accounts)',
    );
  });
});
