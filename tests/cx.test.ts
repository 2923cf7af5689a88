import { describe, expect, it } from 'vitest';
import { combineCx, cxSignals, explainCx, sentimentOf } from '../server/domain/cx.ts';
import { computeFlags, type MonthPoint } from '../server/domain/flags.ts';
import type { Message } from '../server/domain/types.ts';

const msg = (role: Message['role'], text: string, at?: string): Message =>
  at ? { role, text, at } : { role, text };

describe('CX sub-signals', () => {
  it('resolution follows the outcome and loses on a reopen', () => {
    const base = { aiInvolved: true, messages: [msg('customer', 'hi')] };
    expect(cxSignals({ ...base, aiResolutionState: 'confirmed_resolution' }).resolution).toBe(5);
    expect(cxSignals({ ...base, aiResolutionState: 'confirmed_resolution', reopened: true }).resolution).toBe(
      3.5,
    );
    expect(cxSignals({ ...base, aiResolutionState: 'negative_feedback' }).resolution).toBe(1.3);
  });

  it('sentiment reads the customer’s words, with negation', () => {
    expect(sentimentOf(['thanks, that was really helpful']).score).toBeGreaterThan(4);
    expect(sentimentOf(['this is useless and ridiculous']).score).toBeLessThan(1.5);
    expect(sentimentOf(['not helpful at all']).score).toBeLessThan(3);
    expect(sentimentOf(['what time do you open']).score).toBe(3);
  });

  it('effort counts turns, repeats, waiting and a human joining', () => {
    const easy = cxSignals({
      aiInvolved: true,
      aiResolutionState: 'assumed_resolution',
      messages: [
        msg('customer', 'where is my order', '2026-01-01T10:00:00Z'),
        msg('ai', 'It ships today.', '2026-01-01T10:00:05Z'),
      ],
    });
    expect(easy.effort).toBe(5);
    const hard = cxSignals({
      aiInvolved: true,
      aiResolutionState: 'escalated',
      messages: [
        msg('customer', 'where is my order', '2026-01-01T10:00:00Z'),
        msg('ai', 'Could you share the order number?', '2026-01-01T10:00:05Z'),
        msg('customer', 'where is my order??', '2026-01-01T10:01:00Z'),
        msg('agent', 'Sorry for the wait, checking now.', '2026-01-01T12:30:00Z'),
        msg('customer', 'still nothing', '2026-01-01T12:35:00Z'),
        msg('customer', 'hello', '2026-01-01T12:40:00Z'),
      ],
    });
    expect(hard.facts.repeats).toBe(1);
    expect(hard.facts.customerTurns).toBe(4);
    expect(hard.facts.maxWaitMinutes).toBeCloseTo(149, 5);
    // 5 − 0.8 (turns) − 0.7 (repeat) − 1 (waited > 1 h) − 0.7 (human joined)
    expect(hard.effort).toBeCloseTo(1.8, 10);
    const score = combineCx(hard.resolution, hard.sentiment, hard.effort);
    expect(
      explainCx({ aiInvolved: true, aiResolutionState: 'escalated', messages: [] }, hard, score),
    ).toMatch(
      /^CX \d\.\d\/5: Escalated to a human; .*4 customer turns; customer repeated themselves 1×; waited 2 h for a reply\.$/,
    );
  });

  it('combines within 1–5 with the given weights', () => {
    expect(combineCx(5, 1, 3, [1, 0, 0])).toBe(5);
    expect(combineCx(5, 1, 3, [1, 1, 1])).toBe(3);
    expect(combineCx(5, 5, 5)).toBe(5);
  });
});

describe('triage flags', () => {
  const months = (resolved: number[], rates: number[], cx: number[] = resolved.map(() => 4)): MonthPoint[] =>
    resolved.map((r, i) => ({
      month: `2026-0${i + 1}`,
      conversations: 7000,
      resolved: r,
      automationRate: rates[i]!,
      cxScore: cx[i]!,
    }));

  it('plateau: flat resolved volume and rate for 3 months with a large gap', () => {
    const flat = months([2790, 2810, 2805], [0.4, 0.401, 0.402]);
    const flags = computeFlags(flat, 0.2, 4);
    expect(flags.map((f) => f.kind)).toEqual(['plateau']);
    expect(flags[0]!.reason).toBe(
      'Flat for 3 months (2026-01 to 2026-03): 2,790–2,810 resolved/month, automation 40.0%–40.2%, while 20.0 pts below potential.',
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

  it('plateau whatever the volume does: a seasonal account with a flat rate is flat', () => {
    // volume swings ±30% (a seasonal shop) while automation stays within 1.5 points
    const seasonal = months([2000, 2900, 2300], [0.41, 0.415, 0.4]);
    expect(computeFlags(seasonal, 0.15, 4).map((f) => f.kind)).toEqual(['plateau']);
  });

  it('climbing: a sustained rise over 6 months, not a jump with a fall in it', () => {
    const climb = months([1800, 1900, 2000, 2100, 2200, 2300], [0.6, 0.63, 0.66, 0.7, 0.73, 0.76]);
    const flags = computeFlags(climb, 0.05, 4);
    expect(flags.map((f) => f.kind)).toEqual(['climbing']);
    expect(flags[0]!.reason).toBe(
      'Automation rose from 60.0% to 76.0% over 6 months (2026-01 to 2026-06), 10.0 pts between the first and last 3-month averages, never dipping more than 0.0 pts in a month.',
    );
    // the same rise with a 4-point fall in the middle is not a sustained climb
    const bumpy = months([2000, 2000, 2000, 2000, 2000, 2000], [0.6, 0.66, 0.62, 0.7, 0.73, 0.76]);
    expect(computeFlags(bumpy, 0.05, 4).map((f) => f.kind)).toEqual([]);
    // a climb that has flattened for the last 3 months with a gap left is a plateau now
    const flattened = months([2000, 2000, 2000, 2000, 2000, 2000], [0.55, 0.6, 0.65, 0.7, 0.705, 0.71]);
    expect(computeFlags(flattened, 0.15, 4).map((f) => f.kind)).toEqual(['plateau']);
    // nor is a rise too small to matter
    const drift = months([2000, 2000, 2000, 2000, 2000, 2000], [0.6, 0.61, 0.62, 0.63, 0.64, 0.65]);
    expect(computeFlags(drift, 0.05, 4).map((f) => f.kind)).toEqual([]);
  });

  it('low CX below the threshold', () => {
    expect(computeFlags([], null, 3.1).map((f) => f.kind)).toEqual(['low_cx']);
    expect(computeFlags([], null, null)).toEqual([]);
  });
});
