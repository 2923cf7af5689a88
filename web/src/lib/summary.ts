/** The account summary a CSM pastes into an email or a ticket, as Markdown. */

import type { AccountDetail, ActionsResponse, BreakdownResponse, CxResponse } from '../api/server-types.ts';
import { monthAboveNote } from '../views/Account/monthAboveNote.ts';
import { awaitingLiveNote } from './awaitingLive.ts';
import {
  count,
  dateLabel,
  hours,
  hoursSaved,
  money,
  monthLabel,
  pct,
  perMonth,
  points,
  score,
  verticalLabel,
} from './format.ts';
import { youngMonthNote } from './pace.ts';
import { indicativeForCustomer } from './topicFit.ts';

/**
 * Text from the data (names, labels, reasons) as inert Markdown: a line break would start a new
 * block (a heading, a list, a fake table row), so it becomes a space; syntax characters are escaped.
 */
export function mdEscape(s: string): string {
  // "(" ")" and "!" are not escaped: with the brackets escaped they cannot form a link or an image,
  // and "\(2026-08 to 2026-10\)" reads badly where the Markdown is pasted as plain text
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/([\\`*_[\]|<>#~])/g, '\\$1');
}

/** What a prospect's summary says of its export besides the account's figures (from its estimate). */
export interface ExportFacts {
  conversations: number;
  from: string | null;
  to: string | null;
  /** the export's span in months (under one for a short export read at its pace) */
  months: number;
  monthlyConversations: number;
  undated: boolean;
  /** the caveats the estimate's page shows (a language not read, rows rejected, a better vertical) */
  caveats: string[];
  /** the caveat among them that the export's topics fit poorly (the customer's copy words it its own way) */
  unfamiliar?: string | null;
}

export function buildSummaryMarkdown(input: {
  account: AccountDetail;
  /** a prospect's export: its volume a month and caveats (the account's figures are one month's) */
  exportFacts?: ExportFacts | undefined;
  breakdown?: BreakdownResponse | undefined;
  actions?: ActionsResponse | undefined;
  /** minutes per conversation, for the hours saved */
  minutes?: number | undefined;
  cx?: CxResponse | undefined;
  url?: string | undefined;
  /**
   * 'customer': a copy to send to the account itself — without the internal figures (ARR, plan, CSM),
   * the triage flags, the link into Cockpit, and with the first five actions only
   */
  audience?: 'team' | 'customer';
}): string {
  const { account: a, breakdown, actions, cx } = input;
  const forCustomer = input.audience === 'customer';
  const url = forCustomer ? undefined : input.url;
  const minutes = input.minutes ?? 6;
  const lines: string[] = [];
  const period = a.undated
    ? 'The whole export (it has no dates)'
    : `${monthLabel(a.month)}${a.monthToDate ? (a.status === 'prospect' ? ' (partial month: the export ends there)' : ' (month to date)') : ''}`;
  lines.push(`## ${mdEscape(a.name)} — automation summary`);
  lines.push('');
  const meta = [
    forCustomer ? null : verticalLabel(a.vertical),
    forCustomer ? null : a.plan,
    !forCustomer && a.arr != null ? `ARR ${money(a.arr)}` : null,
    !forCustomer && a.csm ? `CSM ${a.csm}` : null,
    a.undated ? 'no dates in the export' : `data as of ${dateLabel(a.dataAsOf)}`,
  ].filter(Boolean);
  lines.push(`_${mdEscape(meta.join(' · '))}_`);
  lines.push('');
  lines.push(`**${period}**`);
  lines.push('');
  // a month's first hours headlined "Automation rate 0.0%" on one conversation, with nothing said
  const young = a.status === 'customer' ? youngMonthNote(a.month, a.dataAsOf, monthLabel(a.month)) : null;
  if (young) {
    lines.push(`> ${mdEscape(young)}`);
    lines.push('');
  }
  lines.push('| Metric | Value |');
  lines.push('|---|--:|');
  if (a.status === 'prospect') {
    // no AI agent yet: a table of dashes said nothing, and looked like missing data
    lines.push(`| Conversations | ${count(a.conversations)} |`);
    lines.push('| AI agent | none yet (a prospect) |');
  } else {
    lines.push(`| Automation rate | ${pct(a.automationRate)} |`);
    lines.push(`| Involvement | ${pct(a.involvementRate)} |`);
    lines.push(
      `| Resolution | ${pct(a.resolutionRate)} (confirmed ${pct(a.confirmedResolutionRate)}, assumed ${pct(a.assumedResolutionRate)}) |`,
    );
    lines.push(`| Handoff rate | ${pct(a.handoffRate)} |`);
    lines.push(`| CX score (1–5) | ${score(a.cxScore)} |`);
    // a rate of 5 ratings read as firm as one of 5,000 (a QBR review's "60.0%" on 5)
    lines.push(
      `| CSAT | ${pct(a.csat)}${a.ratings > 0 ? ` (${count(a.ratings)} rating${a.ratings === 1 ? '' : 's'})` : ''} |`,
    );
    lines.push(`| Conversations | ${count(a.conversations)} |`);
  }
  lines.push('');
  const x = input.exportFacts;
  if (x) {
    // the table above is one month's: a short export's gap a month was read against it
    const span = x.undated ? 'no dates in the file' : `${dateLabel(x.from)} – ${dateLabel(x.to)}`;
    const pace = x.months < 1 ? ` at its pace over ${span}` : ` (${span})`;
    lines.push(
      `**Export:** ${count(x.conversations)} conversations, about ${count(x.monthlyConversations)} a month${pace}.`,
    );
    // the team's caveats tell them what to check "before quoting the figures": a customer gets the
    // fit in its own words instead of that
    const customerFit = forCustomer ? indicativeForCustomer(a.poorTopicFit) : null;
    for (const c of x.caveats) if (!(forCustomer && c === x.unfamiliar)) lines.push(`> ${mdEscape(c)}`);
    if (customerFit) lines.push(`> ${mdEscape(customerFit)}`);
    lines.push('');
  }
  const win = a.undated
    ? 'undated'
    : a.window.from === a.window.to
      ? monthLabel(a.window.from)
      : `${monthLabel(a.window.from)}–${monthLabel(a.window.to)}`;
  // a prospect has no AI agent yet: its gap is its whole potential, from none today
  const today =
    a.status === 'prospect'
      ? `no AI agent today (export ${win})`
      : `${pct(a.windowAutomationRate)} over ${win}`;
  const waiting = awaitingLiveNote(a);
  lines.push(
    waiting && a.automationPotential !== null
      ? `**Potential:** ${pct(a.automationPotential)} (range ${pct(a.potentialLow)}–${pct(a.potentialHigh)}). ${mdEscape(waiting)}`
      : a.automationPotential === null
        ? `**Potential:** not given for this ${a.status === 'prospect' ? 'export' : 'account'}${x?.caveats.length ? ' (why: above)' : ''}.`
        : `**Potential:** ${pct(a.automationPotential)} (range ${pct(a.potentialLow)}–${pct(a.potentialHigh)})${a.poorTopicFit != null ? ' — indicative' : ''} vs ${today} — a gap of ${points(a.gapPoints, { signed: false })}, about ${count(a.gapConversations)} conversations/month.`,
  );
  const above = monthAboveNote(a);
  if (above) lines.push(`> ${mdEscape(above)}`);
  if (a.flags.length && !forCustomer) {
    lines.push('');
    lines.push('**Flags:**');
    for (const f of a.flags) lines.push(`- ${mdEscape(f.reason)}`);
  }
  if (actions?.actions.length) {
    lines.push('');
    lines.push('**Next actions**');
    lines.push('');
    // a customer's list leaves out actions worth under a conversation a month ("~0.0 h saved per
    // month" on a small account): they are summed in the line below
    const shown = forCustomer
      ? actions.actions.filter((x) => x.gainConversations >= 1).slice(0, CUSTOMER_ACTIONS)
      : actions.actions;
    for (const act of shown) {
      lines.push(
        `${act.rank}. **${mdEscape(act.title)}** — ${points(act.gainPoints)}, ~${conversationsAMonth(act.gainConversations)}, ~${hours(hoursSaved(act.gainConversations, minutes))} saved per month at ${minutes} min/conversation`,
      );
    }
    const rest = actions.actions.filter((x) => !shown.includes(x));
    const more = rest.reduce((sum, r) => sum + r.gainPoints, 0);
    if (rest.length) {
      const n = `${rest.length} ${shown.length ? 'more ' : ''}action${rest.length === 1 ? '' : 's'}`;
      // "smaller" was not always true in points, and read oddly with nothing listed above it
      const why = !shown.length
        ? `, each worth under a conversation a month`
        : forCustomer && rest.some((r) => r.gainConversations < 1)
          ? ' (further down the list, or worth under a conversation a month)'
          : '';
      if (shown.length) lines.push('');
      lines.push(`_${shown.length ? '…and ' : ''}${n}${why}, ${points(more)} together._`);
    }
    // the listed gains fell short of the gap with nothing said (a review added 21.6 of a 24.2-point
    // gap): the rest is the waterfall's "Rest of the gap", said as the waterfall says it
    const unlisted = (a.gapPoints ?? 0) - actions.actions.reduce((sum, r) => sum + r.gainPoints, 0);
    if (a.gapPoints != null && unlisted >= 0.0005) {
      if (!rest.length) lines.push('');
      lines.push(
        a.status === 'prospect'
          ? // a prospect has no lifts and no fixes: its roadmap lists the largest topics, and that is all
            `_The rest of the gap, ${points(unlisted)}: the topics the roadmap above does not list (it lists the largest)._`
          : `_The rest of the gap, ${points(unlisted)}: topics too small to act on, the part of each gap measured lifts do not promise, and what fixes still settling are expected to bring._`,
      );
    }
  }
  if (breakdown?.leaves.length && a.automationPotential !== null && !waiting) {
    const top = [...breakdown.leaves].sort((x, y) => y.gapPoints - x.gapPoints).slice(0, 5);
    lines.push('');
    lines.push('**Biggest gaps by topic**');
    lines.push('');
    // the gap is in points of the account's rate (share × the topic's own gap), not the topic's:
    // "Automation 24.4%, Achievable 75.7%, Gap 5.1 pts" read as an error without the header saying so
    lines.push('| Topic | Share | Automation | Achievable | Gap (pts of the account) |');
    lines.push('|---|--:|--:|--:|--:|');
    for (const l of top) {
      lines.push(
        `| ${mdEscape(l.label)} | ${pct(l.share)} | ${pct(l.automationRate)} | ${pct(l.achievableAutomation)} | ${points(l.gapPoints, { signed: false })} |`,
      );
    }
  } else if (breakdown?.leaves.length) {
    // no potential, so no gap: a withheld estimate's topics showed "Gap 69.4 pts" under "Potential: not given"
    const top = [...breakdown.leaves].sort((x, y) => y.share - x.share).slice(0, 5);
    lines.push('');
    lines.push(
      waiting
        ? '**Largest topics** (no gaps yet: the AI agent has had no full month live)'
        : '**Largest topics** (no gaps: no potential is given)',
    );
    lines.push('');
    lines.push('| Topic | Share |');
    lines.push('|---|--:|');
    for (const l of top) lines.push(`| ${mdEscape(l.label)} | ${pct(l.share)} |`);
  }
  if (cx?.lowestTopics.length) {
    lines.push('');
    // chosen as the page chooses them (a topic of few conversations counts for less), listed lowest
    // score first: "2.90, 3.07, 2.84" read as a sorting error
    lines.push(
      `**Lowest CX topics:** ${cx.lowestTopics
        .slice(0, 3)
        .sort((x, y) => x.cxScore - y.cxScore)
        .map((t) => `${mdEscape(t.label)} (${score(t.cxScore)})`)
        .join(', ')}`,
    );
  }
  if (url) {
    lines.push('');
    lines.push(`[Open in Cockpit](${url})`);
  }
  return `${lines.join('\n')}\n`;
}

/** The actions a customer's copy lists: the first steps, not a backlog of thirty. */
const CUSTOMER_ACTIONS = 5;

/** "~5.6 conversations/month" as the cards read it (a decimal under 10), "1 conversation" singular. */
function conversationsAMonth(x: number): string {
  const n = perMonth(x);
  return `${n} conversation${n === '1' || n === '1.0' ? '' : 's'}/month`;
}
