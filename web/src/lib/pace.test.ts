import { describe, expect, it } from 'vitest';
import { exportBeganWithin, monthElapsed, paceOf, youngMonthNote } from './pace.ts';

describe('month pace', () => {
  it('scales a month-to-date count to the whole month', () => {
    // 2026-11 has 30 days; data to the end of the 15th is half of it
    expect(monthElapsed('2026-11', '2026-11-15T23:59:59Z')).toBeCloseTo(0.5, 6);
    expect(paceOf(600, '2026-11', '2026-11-15T23:59:59Z')).toBeCloseTo(1200, 3);
  });
  it('has no pace outside the month or without a date', () => {
    expect(monthElapsed('2026-11', '2026-12-01T00:00:00Z')).toBeNull();
    expect(monthElapsed('2026-11', '2026-10-31T23:59:59Z')).toBeNull();
    expect(paceOf(10, '2026-11', null)).toBeNull();
    expect(monthElapsed('bad', '2026-11-02T00:00:00Z')).toBeNull();
  });
  it('gives no pace in the first tenth of a month (a few hours would be multiplied by hundreds)', () => {
    expect(monthElapsed('2026-11', '2026-11-01T00:00:00Z')).toBeGreaterThan(0);
    expect(paceOf(3, '2026-11', '2026-11-01T02:00:00Z')).toBeNull();
    expect(paceOf(300, '2026-11', '2026-11-03T23:59:59Z')).toBeCloseTo(3000, 3);
  });
});

describe('exportBeganWithin', () => {
  it('is a month an export began in after its first day', () => {
    expect(exportBeganWithin('2025-03-03T00:00:00.000Z', '2025-03')).toBe(true);
    expect(exportBeganWithin('2025-03-01T08:00:00.000Z', '2025-03')).toBe(false);
    expect(exportBeganWithin('2025-02-20T00:00:00.000Z', '2025-03')).toBe(false);
    expect(exportBeganWithin(null, '2025-03')).toBe(false);
  });
});

describe('youngMonthNote', () => {
  it('warns while a month has run for under a tenth of it, saying how long', () => {
    expect(youngMonthNote('2026-12', '2026-12-01T00:20:00Z', 'Dec 2026')).toBe(
      'Dec 2026 has run for 20 minutes: this month’s figures rest on its first conversations and move a lot; the trend holds the complete months.',
    );
    expect(youngMonthNote('2026-12', '2026-12-02T10:00:00Z', 'Dec 2026')).toMatch(
      /^Dec 2026 has run for 34 hours:/,
    );
    // three days and more, or a month that is over: no note
    expect(youngMonthNote('2026-12', '2026-12-04T12:00:00Z', 'Dec 2026')).toBeNull();
    expect(youngMonthNote('2026-11', '2026-12-01T00:20:00Z', 'Nov 2026')).toBeNull();
    expect(youngMonthNote(null, '2026-12-01T00:20:00Z', '')).toBeNull();
  });
});
