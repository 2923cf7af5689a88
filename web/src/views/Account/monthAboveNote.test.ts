import { describe, expect, it } from 'vitest';
import { monthAboveNote } from './monthAboveNote.ts';

const account = {
  automationPotential: 0.755,
  potentialHigh: 0.78,
  conversations: 27,
  status: 'customer' as const,
  monthToDate: true,
};

describe('monthAboveNote', () => {
  it('says when this month is above the potential, and whether still inside its range', () => {
    expect(monthAboveNote({ ...account, automationRate: 0.778 })).toBe(
      'This month’s 77.8% (on 27 conversations so far) is above the potential, still inside the potential’s range; the potential is read over the whole window.',
    );
    expect(monthAboveNote({ ...account, automationRate: 0.81, conversations: 1 })).toBe(
      'This month’s 81.0% (on 1 conversation so far) is above the potential, above the potential’s range: the account may be moving past its peers’ level; the potential is read over the whole window.',
    );
  });
  it('says "so far" only while the month runs', () => {
    expect(monthAboveNote({ ...account, automationRate: 0.778, monthToDate: false })).toBe(
      'This month’s 77.8% (on 27 conversations) is above the potential, still inside the potential’s range; the potential is read over the whole window.',
    );
  });
  it('says nothing at or below the potential, without a rate, or for a prospect', () => {
    expect(monthAboveNote({ ...account, automationRate: 0.755 })).toBeNull();
    expect(monthAboveNote({ ...account, automationRate: null })).toBeNull();
    expect(monthAboveNote({ ...account, automationRate: 0.9, status: 'prospect' })).toBeNull();
  });
});
