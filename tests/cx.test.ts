import { describe, expect, it } from 'vitest';
import { combineCx, cxSignals, explainCx, lowestCxTopics, sentimentOf } from '../server/domain/cx.ts';
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

  it('does not read what a product offers, or the request itself, as a feeling', () => {
    for (const text of [
      'how do I join the family plan',
      'please contact support about my winnings',
      'do you accept paypal',
      'what interest rate do I get on savings',
      'remove my saved card',
      'is the gift card secure',
    ])
      expect(sentimentOf([text]).score, text).toBe(3);
    // the feeling beside them still counts
    expect(sentimentOf(['support was great']).score).toBeGreaterThan(3);
  });

  it('reads a time without a zone as UTC, whatever the machine’s zone', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const s = cxSignals({
        aiInvolved: true,
        aiResolutionState: 'escalated',
        messages: [
          msg('customer', 'where is my order', '2026-01-01 10:00:00'),
          msg('agent', 'Checking now.', '2026-01-01T12:30:00Z'),
        ],
      });
      // 10:00 UTC to 12:30 UTC; read in New York time the customer would have written at 15:00 UTC
      expect(s.facts.maxWaitMinutes).toBe(150);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("reads an e-mail thread's own words: a reply quoting the last message is no repeat, the quoted thanks no warmth", () => {
    const first = 'My invoice for March shows the wrong company name, can you correct it to Lumen Ltd?';
    const thread = cxSignals({
      aiInvolved: true,
      aiResolutionState: 'assumed_resolution',
      messages: [
        msg('customer', first),
        msg('ai', 'Thanks so much for reaching out, we are delighted to help!'),
        msg(
          'customer',
          `The new invoice still says the old name.\n\nOn Mon, 2 Mar 2026, Billing <billing@shop.example> wrote:\n> Thanks so much for reaching out, we are delighted to help!\n> ${first}`,
        ),
      ],
    });
    expect(thread.facts.repeats).toBe(0);
    expect(thread.sentiment).toBeLessThanOrEqual(3);
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
    // − 1.5 (3 nudges after the opener: "??", "still", "hello", 0.6 each, at most 1.5) = 0.3 → 1
    expect(hard.effort).toBe(1);
    // without the nudges: 1.8, as before they counted
    const patient = cxSignals({
      aiInvolved: true,
      aiResolutionState: 'escalated',
      messages: [
        msg('customer', 'where is my order', '2026-01-01T10:00:00Z'),
        msg('ai', 'Could you share the order number?', '2026-01-01T10:00:05Z'),
        msg('customer', 'where is my order', '2026-01-01T10:01:00Z'),
        msg('agent', 'Sorry for the wait, checking now.', '2026-01-01T12:30:00Z'),
        msg('customer', 'nothing arrived', '2026-01-01T12:35:00Z'),
        msg('customer', 'ok', '2026-01-01T12:40:00Z'),
      ],
    });
    expect(patient.effort).toBeCloseTo(1.8, 10);
    const score = combineCx(hard.resolution, hard.sentiment, hard.effort);
    expect(
      explainCx({ aiInvolved: true, aiResolutionState: 'escalated', messages: [] }, hard, score),
    ).toMatch(
      /^CX \d\.\d\/5: Escalated to a human; .*4 customer turns; customer repeated themselves 1×; customer chased the service 3×; waited 2 h for a reply\.$/,
    );
  });

  it('combines within 1–5 with the given weights', () => {
    expect(combineCx(5, 1, 3, [1, 0, 0])).toBe(5);
    expect(combineCx(5, 1, 3, [1, 1, 1])).toBe(3);
    expect(combineCx(5, 5, 5)).toBe(5);
  });
});

describe('an account’s lowest-scoring topics', () => {
  const topic = (taxonomyId: string, cxScored: number, mean: number) => ({
    taxonomyId,
    label: taxonomyId,
    conversations: cxScored,
    cxScored,
    cxSum: cxScored * mean,
  });

  it('ranks a large topic that is truly low ahead of a small one with one bad week, and shows each own mean', () => {
    const leaves = [
      topic('orders.where_is_my_order', 600, 3.9),
      topic('refunds.refund_status', 400, 3.0),
      topic('billing.invoice_copy', 11, 2.6),
      topic('account.password_reset', 9, 1.5), // under 10 scored: not listed
    ];
    const lowest = lowestCxTopics(leaves);
    expect(lowest.map((t) => [t.taxonomyId, t.cxScore])).toEqual([
      ['refunds.refund_status', 3.0],
      ['billing.invoice_copy', expect.closeTo(2.6, 12)],
    ]);
    // above the account's mean (3.5 here) a topic is not among its lowest, however well scored
    expect(lowest.map((t) => t.taxonomyId)).not.toContain('orders.where_is_my_order');
  });
});
