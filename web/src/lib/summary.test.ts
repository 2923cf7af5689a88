import { describe, expect, it } from 'vitest';
import { actions, breakdown, cx, detail } from '../test/fixtures.ts';
import { BREAKDOWN_CSV_HEADER, breakdownCsv, breakdownCsvRows } from './breakdownCsv.ts';
import { buildSummaryMarkdown, mdEscape } from './summary.ts';

describe('summary markdown', () => {
  it('includes the headline numbers, actions and gaps', () => {
    const md = buildSummaryMarkdown({
      account: detail(),
      breakdown: breakdown(),
      actions: actions(),
      cx: cx(),
      url: 'http://x/accounts/acme',
    });
    expect(md).toContain('## Acme Retail — automation summary');
    expect(md).toContain('Mar 2026 (month to date)');
    expect(md).toContain('| Automation rate | 40.0% |');
    expect(md).toContain('confirmed 18.8%, assumed 31.3%');
    expect(md).toContain('**Potential:** 55.0% (range 50.0%–60.0%) vs 39.0%');
    expect(md).toContain(
      '1. **Write help content for invoice copies** — +10.0 pts, ~100 conversations/month',
    );
    expect(md).toContain('| Topic | Share | Automation | Achievable | Gap (pts of the account) |');
    expect(md).toContain('| Invoice copy | 20.0% | — | 63.0% | 12.6 pts |');
    expect(md).toContain('Invoice copy (2.40)');
    expect(md).toContain('[Open in Cockpit](http://x/accounts/acme)');
  });
  it('gives an account not live yet its potential without a gap, and says why', () => {
    const md = buildSummaryMarkdown({
      account: detail({
        awaitingLive: true,
        aiLiveSince: '2026-05-01',
        gapPoints: null,
        gapConversations: null,
      }),
      actions: { ...actions(), actions: [] },
      breakdown: breakdown(),
      url: 'http://x/accounts/acme',
    });
    expect(md).toContain('**Largest topics** (no gaps yet: the AI agent has had no full month live)');
    expect(md).not.toContain('Biggest gaps by topic');
    expect(md).toContain(
      '**Potential:** 55.0% (range 50.0%–60.0%). The AI agent goes live on 1 May 2026: the gap to the potential and the next actions are read from its first full month live, after the data ends.',
    );
    expect(md).not.toContain('a gap of');
  });
  it('leaves the breakdown CSV’s gap columns empty where the page shows no gaps', () => {
    const row = breakdownCsvRows(breakdown(), true)[0]!;
    const gap = BREAKDOWN_CSV_HEADER.indexOf('gap_points');
    expect([row[gap], row[gap + 1]]).toEqual([null, null]);
    expect(breakdownCsvRows(breakdown())[0]![gap]).toBe(9.3);
  });
  it('reads a small action’s conversations as the cards do: a decimal under 10, one in the singular', () => {
    const base = actions();
    const first = base.actions[0]!;
    const md = buildSummaryMarkdown({
      account: detail(),
      actions: {
        ...base,
        actions: [
          { ...first, gainConversations: 1.04 },
          { ...first, rank: 2, gainConversations: 5.62 },
        ],
      },
      url: 'http://x/accounts/acme',
    });
    expect(md).toContain('— +10.0 pts, ~1.0 conversation/month,');
    expect(md).toContain('— +10.0 pts, ~5.6 conversations/month,');
  });
  it('leaves the internal figures out of the copy for the customer, and lists its first five actions', () => {
    const base = actions();
    const first = base.actions[0]!;
    const seven = Array.from({ length: 7 }, (_, i) => ({ ...first, rank: i + 1, gainPoints: 0.01 }));
    const input = {
      account: detail({
        flags: [{ kind: 'plateau' as const, reason: 'Flat at 39% for 3 months with a 16-point gap' }],
      }),
      breakdown: breakdown(),
      actions: { ...base, actions: seven },
      cx: cx(),
      url: 'http://127.0.0.1:8787/accounts/acme',
    };
    const team = buildSummaryMarkdown(input);
    expect(team).toContain('ARR $1.3M');
    expect(team).toContain('CSM Dana Smith');
    expect(team).toContain('Flat at 39% for 3 months');
    expect(team).toContain('7. **Write help content for invoice copies**');
    expect(team).toContain('[Open in Cockpit](http://127.0.0.1:8787/accounts/acme)');
    const customer = buildSummaryMarkdown({ ...input, audience: 'customer' });
    for (const internal of ['ARR', 'Dana Smith', 'Flags', 'Flat at 39%', 'Open in Cockpit', '127.0.0.1'])
      expect(customer, internal).not.toContain(internal);
    expect(customer).toContain('5. **Write help content for invoice copies**');
    expect(customer).not.toContain('6. **');
    expect(customer).toContain('_…and 2 more actions, +2.0 pts together._');
    // seven actions of +1.0 pts against a 16-point gap: what they leave is said, not left to sum
    expect(customer).toContain(
      '_The rest of the gap, +9.0 pts: topics too small to act on, the part of each gap measured lifts do not promise, and what fixes still settling are expected to bring._',
    );
    expect(customer).toContain('**Potential:** 55.0%');
  });
  it('gives a customer actions worth a conversation a month or more, CSAT with its ratings, lowest CX first', () => {
    const base = actions();
    const first = base.actions[0]!;
    const md = buildSummaryMarkdown({
      account: detail(),
      actions: {
        ...base,
        actions: [
          { ...first, rank: 1, title: 'Tiny fix', gainConversations: 0.6, gainPoints: 0.011 },
          { ...first, rank: 2, title: 'Real fix', gainConversations: 3.3, gainPoints: 0.01 },
        ],
      },
      cx: {
        ...cx(),
        lowestTopics: [
          { taxonomyId: 'a', label: 'Missing item', cxScore: 2.9, conversations: 40 },
          { taxonomyId: 'b', label: 'Damaged parcel', cxScore: 3.07, conversations: 90 },
          { taxonomyId: 'c', label: 'Change an order', cxScore: 2.84, conversations: 12 },
        ],
      },
      audience: 'customer',
    });
    expect(md).toContain('2. **Real fix**');
    expect(md).not.toContain('Tiny fix');
    expect(md).toContain(
      '_…and 1 more action (further down the list, or worth under a conversation a month), +1.1 pts together._',
    );
    // nothing worth a conversation a month: said, not an empty list under its heading
    const none = buildSummaryMarkdown({
      account: detail(),
      actions: { ...base, actions: [{ ...first, gainConversations: 0.4, gainPoints: 0.002 }] },
      audience: 'customer',
    });
    expect(none).toContain(
      '**Next actions**\n\n_1 action, each worth under a conversation a month, +0.2 pts together._',
    );
    expect(md).toContain('| CSAT | 72.0% (100 ratings) |');
    expect(md).toContain(
      '**Lowest CX topics:** Change an order (2.84), Missing item (2.90), Damaged parcel (3.07)',
    );
  });

  it('says a prospect has no AI agent yet instead of a table of dashes and "vs —"', () => {
    const md = buildSummaryMarkdown({
      account: detail({
        status: 'prospect',
        automationRate: null,
        windowAutomationRate: null,
        gapPoints: 0.55,
        flags: [],
      }),
    });
    expect(md).toContain('| AI agent | none yet (a prospect) |');
    // its export simply ends: a partial month, not one in progress
    expect(md).toContain('**Mar 2026 (partial month: the export ends there)**');
    expect(md).not.toContain('| Automation rate |');
    expect(md).toContain(
      '**Potential:** 55.0% (range 50.0%–60.0%) vs no AI agent today (export Jan 2026–Mar 2026)',
    );
  });
  it("states a prospect's volume a month from its export, and the estimate's caveats", () => {
    const md = buildSummaryMarkdown({
      account: detail({ status: 'prospect', automationRate: null, windowAutomationRate: null, flags: [] }),
      exportFacts: {
        conversations: 400,
        from: '2025-03-03T00:00:00.000Z',
        to: '2025-03-04T23:50:00.000Z',
        months: 2 / 30.4375,
        monthlyConversations: 6087.5,
        undated: false,
        caveats: [
          'Its topics look most like E-commerce customers’ (similarity 0.94, against 0.13 for Other).',
        ],
      },
    });
    expect(md).toContain(
      '**Export:** 400 conversations, about 6,088 a month at its pace over 3 Mar 2025 – 4 Mar 2025.',
    );
    expect(md).toContain(
      '> Its topics look most like E-commerce customers’ (similarity 0.94, against 0.13 for Other).',
    );
  });
  it('marks a poorly fitting export’s potential indicative, and words it for the customer without the team’s caveat', () => {
    const team =
      'Of the support requests, 35% match none of Cockpit’s topics well … before quoting the figures.';
    const input = {
      account: detail({
        status: 'prospect',
        automationRate: null,
        windowAutomationRate: null,
        flags: [],
        poorTopicFit: 0.35,
      }),
      exportFacts: {
        conversations: 210,
        from: '2026-05-20T00:00:00.000Z',
        to: '2026-11-18T00:00:00.000Z',
        months: 6,
        monthlyConversations: 35,
        undated: false,
        caveats: ['200 rows were rejected.', team],
        unfamiliar: team,
      },
    };
    const md = buildSummaryMarkdown(input);
    expect(md).toContain('**Potential:** 55.0% (range 50.0%–60.0%) — indicative vs no AI agent today');
    expect(md).toContain(`> ${mdEscape(team)}`);
    const customer = buildSummaryMarkdown({ ...input, audience: 'customer' });
    expect(customer).not.toContain('before quoting');
    expect(customer).toContain('> 200 rows were rejected.');
    expect(customer).toContain(
      '> A first reading: 35.0% of the support requests could not be matched confidently to the topics our model knows, so the topics below are the nearest matches and the potential is indicative until it is checked on a sample of conversations.',
    );
    expect(customer).toContain('— indicative vs no AI agent today');
  });
  it('says a withheld potential is not given, pointing to the caveat that says why', () => {
    const md = buildSummaryMarkdown({
      account: detail({
        status: 'prospect',
        automationRate: null,
        windowAutomationRate: null,
        automationPotential: null,
        potentialLow: null,
        potentialHigh: null,
        flags: [],
      }),
      breakdown: breakdown(),
      exportFacts: {
        conversations: 300,
        from: '2026-06-01T00:00:00.000Z',
        to: '2026-08-29T00:00:00.000Z',
        months: 2.97,
        monthlyConversations: 101,
        undated: false,
        caveats: ['All of the conversations have no customer words.'],
      },
    });
    expect(md).toContain('**Potential:** not given for this export (why: above).');
    expect(md).not.toContain('range —');
    // no potential, no gap: its topics are listed by share alone
    expect(md).not.toContain('Biggest gaps');
    expect(md).toContain('**Largest topics** (no gaps: no potential is given)');
    expect(md).toContain('| Invoice copy | 20.0% |');
  });
  it('names no month for an undated export', () => {
    const md = buildSummaryMarkdown({
      account: detail({
        status: 'prospect',
        undated: true,
        automationRate: null,
        windowAutomationRate: null,
        flags: [],
      }),
    });
    expect(md).toContain('**The whole export (it has no dates)**');
    expect(md).toContain('no dates in the export');
    expect(md).toContain('vs no AI agent today (export undated)');
    expect(md).not.toContain('data as of');
  });
  it('works with only the account', () => {
    const md = buildSummaryMarkdown({ account: detail({ automationRate: null, flags: [] }) });
    expect(md).toContain('| Automation rate | — |');
    expect(md).not.toContain('Next actions');
  });
  it('escapes markdown', () => {
    expect(mdEscape('a|b*c')).toBe('a\\|b\\*c');
    expect(mdEscape('![x](http://e/x.png) ~~y~~')).toBe('!\\[x\\](http://e/x.png) \\~\\~y\\~\\~');
    expect(mdEscape('Flat for 3 months (2026-08 to 2026-10)!')).toBe(
      'Flat for 3 months (2026-08 to 2026-10)!',
    );
  });
  it('keeps a name with line breaks on its own line, so it cannot inject blocks', () => {
    const md = buildSummaryMarkdown({
      account: detail({ name: 'Acme\n\n## Fake heading\r\n| x | y |', flags: [] }),
    });
    const lines = md.split('\n');
    expect(lines[0]).toBe('## Acme \\#\\# Fake heading \\| x \\| y \\| — automation summary');
    expect(lines.filter((l) => l.startsWith('## '))).toHaveLength(1);
  });
});

describe('breakdown csv', () => {
  it('has a header and one quoted row per leaf; rates as fractions, the gap in points as the page shows it', () => {
    const csv = breakdownCsv(breakdown());
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(BREAKDOWN_CSV_HEADER.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('"Where is my order, ""tracking"""');
    expect(lines[2]).toBe(
      // no peer count where the page says "by class" (the topic took its class's level)
      'billing.invoice,Billing,Invoice copy,informational,600,200,0.2,,,,0.9,0.7,0.63,12.6,126,4.1,0.9,',
    );
  });
});
