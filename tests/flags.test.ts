import { describe, expect, it } from 'vitest';
import {
  computeFlags,
  excessMove,
  goLivePhase,
  type MonthPoint,
  rateChange,
} from '../server/domain/flags.ts';

describe('triage flags', () => {
  const months = (
    resolved: number[],
    rates: number[],
    cx: number[] = resolved.map(() => 4),
    conversations = 7000,
  ): MonthPoint[] =>
    resolved.map((r, i) => ({
      month: `2026-0${i + 1}`,
      conversations,
      resolved: r,
      automationRate: rates[i]!,
      cxScore: cx[i]!,
    }));

  it('plateau: flat resolved volume and rate for 3 months with a large gap', () => {
    const flat = months([2790, 2810, 2805], [0.4, 0.401, 0.402]);
    const flags = computeFlags(flat, 0.2, 4);
    expect(flags.map((f) => f.kind)).toEqual(['plateau']);
    expect(flags[0]!.reason).toBe(
      'Flat for 3 months (Jan–Mar 2026): 2,790–2,810 resolved/month, automation 40.0%–40.2%, while 20.0 pts below potential.',
    );
    expect(computeFlags(flat, 0.02, 4)).toEqual([]);
    expect(computeFlags(months([2000, 2400, 2800], [0.3, 0.35, 0.4]), 0.2, 4)).toEqual([]);
  });

  it('declining: automation or CX down between the last two quarters', () => {
    const down = months(
      [3000, 3000, 3000, 2500, 2500, 2500],
      [0.5, 0.5, 0.5, 0.44, 0.44, 0.44],
      [4, 4, 4, 3.7, 3.7, 3.7],
    );
    const flags = computeFlags(down, 0.05, 3.7);
    expect(flags.map((f) => f.kind)).toEqual(['declining']);
    expect(flags[0]!.reason).toContain('Automation fell from 50.0% to 44.0%');
    expect(flags[0]!.reason).toContain('CX score fell from 4.00 to 3.70');
  });

  it('a step down that then stays flat is both declining and a plateau, and the plateau says so', () => {
    const step = months([3000, 3000, 3000, 2500, 2500, 2500], [0.5, 0.5, 0.5, 0.42, 0.421, 0.42]);
    const flags = computeFlags(step, 0.2, 4);
    expect(flags.map((f) => f.kind)).toEqual(['plateau', 'declining']);
    expect(flags[0]!.reason).toBe(
      'Flat for 3 months (Apr–Jun 2026) at the lower level automation fell to: 2,500–2,500 resolved/month, automation 42.0%–42.1%, while 20.0 pts below potential.',
    );
    expect(flags[1]!.reason).toContain('Automation fell from 50.0% to 42.0%');
  });

  it('low CX names the months it read', () => {
    const flags = computeFlags(months([2000, 2100, 2050, 2000], [0.5, 0.55, 0.6, 0.65]), 0.02, 3.2);
    expect(flags.map((f) => f.reason)).toEqual([
      'CX score 3.20 over Feb–Apr 2026, below the 3.40 threshold.',
    ]);
  });

  it('plateau whatever the volume does: a seasonal account with a flat rate is flat', () => {
    // volume swings ±30% (a seasonal shop) while automation stays within 1.5 points
    const seasonal = months([2000, 2900, 2300], [0.41, 0.415, 0.4]);
    expect(computeFlags(seasonal, 0.15, 4).map((f) => f.kind)).toEqual(['plateau']);
  });

  it('climbing: a sustained rise over 6 months, not one that has flattened or is too small', () => {
    const climb = months([1800, 1900, 2000, 2100, 2200, 2300], [0.6, 0.63, 0.66, 0.7, 0.73, 0.76]);
    const flags = computeFlags(climb, 0.05, 4);
    expect(flags.map((f) => f.kind)).toEqual(['climbing']);
    expect(flags[0]!.reason).toBe(
      'Automation rose from 60.0% to 76.0% over 6 months (Jan–Jun 2026), 10.0 pts between the first and last 3-month averages, and 6.0 pts over the last 3 months.',
    );
    // a climb that has flattened for the last 3 months with a gap left is a plateau now
    const flattened = months([2000, 2000, 2000, 2000, 2000, 2000], [0.55, 0.6, 0.65, 0.7, 0.705, 0.71]);
    expect(computeFlags(flattened, 0.15, 4).map((f) => f.kind)).toEqual(['plateau']);
    // nor is a rise too small to matter
    const drift = months([2000, 2000, 2000, 2000, 2000, 2000], [0.6, 0.61, 0.62, 0.63, 0.64, 0.65]);
    expect(computeFlags(drift, 0.05, 4).map((f) => f.kind)).toEqual([]);
  });

  it('low CX below the threshold, on 30+ conversations over the last 3 months', () => {
    const quarter = (conversations: number) => months([1, 1, 1], [0.5, 0.5, 0.5], [3, 3, 3], conversations);
    expect(computeFlags(quarter(10), null, 3.1).map((f) => f.kind)).toEqual(['low_cx']);
    expect(computeFlags(quarter(10), null, 3.1)[0]!.reason).toBe(
      'CX score 3.10 over Jan–Mar 2026, below the 3.40 threshold.',
    );
    expect(computeFlags(quarter(10), null, null)).toEqual([]);
    // one escalation in a quarter is no reading of an account's experience
    expect(computeFlags([{ ...quarter(1)[2]!, conversations: 1 }], null, 3.09)).toEqual([]);
    expect(computeFlags([], null, 3.1)).toEqual([]);
  });

  // Sampling noise (issue 10 item 6, measured against the demo world's truth): a month's rate over
  // n conversations moves by √(p(1−p)/n) by chance alone, so a move must clear its threshold by one
  // standard error of the comparison, and a plateau's months may differ by 2 points plus 2.
  it('plateau: a small account flat within its noise is flat; a large one is not', () => {
    // 150 a month at ~41.7%: the widest pair (4 pts) is 2 over the 2-point spread, and a pair's
    // noise is √(0.2431 × 2/150) = 5.69 pts: 0.35 standard errors, within the 2 allowed
    const small = months([60, 66, 62], [0.4, 0.44, 0.41], [4, 4, 4], 150);
    const flags = computeFlags(small, 0.2, 4);
    expect(flags.map((f) => f.kind)).toEqual(['plateau']);
    expect(flags[0]!.reason).toBe(
      'No move beyond sampling noise for 3 months (Jan–Mar 2026): 60–66 resolved/month, automation 40.0%–44.0% (two months of ~150 conversations can differ by 11.4 pts by chance), while 20.0 pts below potential.',
    );
    // at 7,000 a month a pair's noise is 0.83 pts: 2 points over the spread is 2.4 standard errors, a move
    const large = months([2800, 3080, 2870], [0.4, 0.44, 0.41]);
    expect(computeFlags(large, 0.2, 4).map((f) => f.kind)).toEqual([]);
  });

  it("plateau: the gap must clear 8 points by the noise of the window's rate", () => {
    // 150 a month at ~41.7%: the 3-month rate's standard error is √(0.2431/450) = 2.32 pts, so a
    // 10-point gap (2 over the bar) could be noise; an 11-point one (3 over) is not
    const small = months([60, 66, 62], [0.4, 0.44, 0.41], [4, 4, 4], 150);
    expect(computeFlags(small, 0.1, 4)).toEqual([]);
    expect(computeFlags(small, 0.11, 4).map((f) => f.kind)).toEqual(['plateau']);
    // at 7,000 a month the standard error is 0.34 pts: 8.5 points is a large gap
    expect(
      computeFlags(months([2800, 2810, 2805], [0.4, 0.401, 0.402]), 0.085, 4).map((f) => f.kind),
    ).toEqual(['plateau']);
  });

  it('climbing: a rise that clears 4 points by the noise of two 3-month averages, still rising at the end', () => {
    const rates = [0.4, 0.4, 0.4, 0.44, 0.46, 0.49];
    // 500 a month: early 40.0%, late 46.3%, rise 6.3 pts; pooled p = 43.2%, so the two averages'
    // noise is √(0.2453 × 2/1500) = 1.81 pts and 6.3 − 4 = 2.3 ≥ 1.81; the last 3 months rose
    // 5 pts, 3.5 over the 1.5-point bar ≥ 0.5 × √(0.2453 × 2/500) = 1.57
    const mid = months([200, 200, 200, 220, 230, 245], rates, [4, 4, 4, 4, 4, 4], 500);
    expect(computeFlags(mid, 0.05, 4).map((f) => f.kind)).toEqual(['climbing']);
    // at 150 a month the noise is 3.30 pts: 2.3 does not clear it (and with a small gap, no plateau)
    const small = months([60, 60, 60, 66, 69, 74], rates, [4, 4, 4, 4, 4, 4], 150);
    expect(computeFlags(small, 0.05, 4).map((f) => f.kind)).toEqual([]);
    // a climb whose last 3 months rose 0.5 pts has stopped
    const stopped = months(
      [200, 210, 220, 235, 240, 238],
      [0.4, 0.42, 0.44, 0.47, 0.48, 0.475],
      [4, 4, 4, 4, 4, 4],
      500,
    );
    expect(computeFlags(stopped, 0.05, 4).map((f) => f.kind)).toEqual([]);
  });

  it('the noise of a change and of a spread', () => {
    const m = (rate: number, conversations: number): MonthPoint => ({
      month: '2026-01',
      conversations,
      resolved: rate * conversations,
      automationRate: rate,
      cxScore: null,
    });
    // 50% → 60% over 100 each: pooled 55%, √(0.2475/100 + 0.2475/100) = 7.04 pts
    const c = rateChange([m(0.5, 100)], [m(0.6, 100)]);
    expect(c.change).toBeCloseTo(0.1, 10);
    expect(c.se).toBeCloseTo(0.07036, 4);
    // 40%, 43%, 41% over 1,000 each: the widest pair (3 pts) is 1 pt over a 2-point spread, and
    // a pair's noise is √(0.2425 × 2/1000) = 2.20 pts: 0.45 standard errors
    expect(excessMove([m(0.4, 1000), m(0.43, 1000), m(0.41, 1000)], 0.02)).toBeCloseTo(0.454, 3);
    expect(excessMove([m(0.4, 1000), m(0.401, 1000)], 0.02)).toBeLessThan(0);
  });

  it('go-live: months before it carry no trend, and a ramping account is not flat', () => {
    expect(goLivePhase('2026-02', '2026-03-15T00:00:00Z')).toEqual({ preLive: true, ramping: true });
    expect(goLivePhase('2026-03', '2026-03-15T00:00:00Z')).toEqual({ preLive: false, ramping: true });
    // the ramp ends 150 days after go-live (2026-08-12)
    expect(goLivePhase('2026-08', '2026-03-15T00:00:00Z')).toEqual({ preLive: false, ramping: true });
    expect(goLivePhase('2026-09', '2026-03-15T00:00:00Z')).toEqual({ preLive: false, ramping: false });
    expect(goLivePhase('2026-09', null)).toEqual({ preLive: false, ramping: false });
    // a go-live from 0 is not a climb
    const goLive = months([0, 0, 0, 1400, 1750, 2100], [0, 0, 0, 0.2, 0.25, 0.3]).map((p, i) => ({
      ...p,
      preLive: i < 3,
      ramping: true,
    }));
    expect(computeFlags(goLive, 0.3, 4).map((f) => f.kind)).toEqual([]);
    // nor is a flat-looking ramp a plateau
    const ramp = months([1400, 1410, 1400], [0.2, 0.201, 0.2]).map((p) => ({ ...p, ramping: true }));
    expect(computeFlags(ramp, 0.3, 4).map((f) => f.kind)).toEqual([]);
  });

  it('declining on CX: a fall of the mean score past 0.07 by its noise, live or not', () => {
    // 1,000 a month: 3.80 → 3.70 is 0.10, 0.03 over the bar ≥ √(2 × 3/1000)/3 = 0.026
    const cx = [3.8, 3.8, 3.8, 3.7, 3.7, 3.7];
    const large = months([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], cx, 1000).map((p) => ({
      ...p,
      preLive: true,
    }));
    const flags = computeFlags(large, null, 3.7);
    expect(flags.map((f) => f.kind)).toEqual(['declining']);
    expect(flags[0]!.reason).toBe('CX score fell from 3.80 to 3.70, Jan–Mar 2026 vs Apr–Jun 2026.');
    // at 300 a month the noise is 0.047: not a fall
    expect(computeFlags(months([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], cx, 300), null, 3.7)).toEqual([]);
  });

  it('declining: a drop within the noise of two 3-month averages is not a decline', () => {
    const rates = [0.5, 0.5, 0.5, 0.46, 0.46, 0.46];
    // 100 a month: the 4-point drop is 1.5 over the 2.5-point bar, and the two 3-month averages'
    // noise is √(0.2496 × 2/300) = 4.08 pts
    const small = months([50, 50, 50, 46, 46, 46], rates, [4, 4, 4, 4, 4, 4], 100);
    expect(computeFlags(small, 0.02, 4).map((f) => f.kind)).toEqual([]);
    const large = months([3500, 3500, 3500, 3220, 3220, 3220], rates);
    expect(computeFlags(large, 0.02, 4).map((f) => f.kind)).toEqual(['declining']);
  });
});

describe('months in flag reasons', () => {
  it('reads as the page writes months', async () => {
    const { monthSpan } = await import('../server/domain/flags.ts');
    expect(monthSpan('2026-08', '2026-10')).toBe('Aug–Oct 2026');
    expect(monthSpan('2025-11', '2026-01')).toBe('Nov 2025–Jan 2026');
    expect(monthSpan('2026-05', '2026-05')).toBe('May 2026');
  });
});
