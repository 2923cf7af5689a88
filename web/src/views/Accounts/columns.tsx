/**
 * The triage table's columns, defined once at module level: header, width, alignment, the
 * definition shown on hover, and how a cell renders an account. How each column sorts is in
 * triageRows.ts (TRIAGE_SORTS).
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { Link } from 'wouter';
import { accountQuery } from '../../api/queries.ts';
import type { TriageAccount } from '../../api/server-types.ts';
import { Flags } from '../../components/Flags.tsx';
import { Sparkline } from '../../components/Sparkline.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, DASH, money, pct, points, score, verticalLabel } from '../../lib/format.ts';
import { indicativeLabel } from '../../lib/topicFit.ts';

export interface TriageColumn {
  id: string;
  header: string;
  /**
   * The header as shown, where it differs from `header` (the column's name for screen readers and
   * tests): soft hyphens (U+00AD) let a one-word header break into two lines, so the column is as
   * narrow as its figures rather than its name.
   */
  label?: string;
  /**
   * The column's least width in px. The table fills its box, the spare width shared in
   * proportion; together these stay within the table's box on a 1280 px screen with classic
   * scrollbars (TRIAGE_BOX_AT_1280), so nothing is cut or scrolled there. Each fits its header and its
   * figures (the wide DejaVu Sans of a Linux box included); a name or CSM longer than its column
   * ends in "…" and shows whole on hover.
   */
  width: number;
  align: 'left' | 'right';
  /** the definition shown on hover */
  title: string;
  cell: (a: TriageAccount) => ReactNode;
}

/** Whether the table's month is still running: each row's trend then ends in a month in progress. */
export const MonthInProgress = createContext(false);

function TrendCell({ values }: { values: readonly (number | null)[] }) {
  return <Sparkline values={values} lastInProgress={useContext(MonthInProgress)} />;
}

let preloadedAccountChunk = false;
function AccountLink({ account }: { account: TriageAccount }) {
  const qc = useQueryClient();
  const prefetch = () => {
    void qc.prefetchQuery(accountQuery(account.id));
    if (!preloadedAccountChunk) {
      preloadedAccountChunk = true;
      void import('../Account/AccountView.tsx');
    }
  };
  return (
    <span className="cell-name">
      <Link
        href={`/accounts/${encodeURIComponent(account.id)}`}
        className="row-link"
        // a name longer than the column ends in "…": the whole of it on hover
        title={account.name}
        onMouseEnter={prefetch}
        onFocus={prefetch}
      >
        {account.name}
      </Link>
    </span>
  );
}

const missing = <span className="muted">{DASH}</span>;

export const COLUMNS: readonly TriageColumn[] = [
  {
    id: 'name',
    header: 'Account',
    width: 144,
    align: 'left',
    title: 'Account name',
    cell: (a) => <AccountLink account={a} />,
  },
  // the triage's signal, next to the name. A prospect has no flags (no AI agent to trend): its
  // badge goes here, where it no longer takes the width of the name beside it
  {
    id: 'flags',
    header: 'Flags',
    // two chips side by side ("Climbing" "Low CX", "Plateau" "Declining"); a third wraps below
    width: 148,
    align: 'left',
    title: `${DEFINITIONS.flags} A prospect (no AI agent yet) is marked Prospect here.`,
    cell: (a) =>
      a.status === 'prospect' ? (
        <span className="badge badge-muted" title="A prospect: its export’s estimate, no AI agent yet">
          Prospect
        </span>
      ) : (
        <Flags flags={a.flags} />
      ),
  },
  {
    id: 'conversations',
    header: 'Conv. this month',
    width: 76,
    align: 'right',
    title: `This month (for a prospect, its export’s conversations in this month, if it reaches it). ${DEFINITIONS.conversations}`,
    // the server gives a prospect this month's count only where its export reaches this month (a
    // browser audit read 49 for one that ended in October, in a November table)
    cell: (a) =>
      a.status === 'prospect' && !a.conversations ? (
        <span
          className="muted"
          title="The prospect’s export holds no conversations this month: its volume is on its page"
        >
          {DASH}
        </span>
      ) : (
        count(a.conversations)
      ),
  },
  {
    id: 'involvementRate',
    header: 'Involvement',
    label: 'Involve\u00adment',
    width: 70,
    align: 'right',
    title: `${DEFINITIONS.currentMonth} ${DEFINITIONS.involvementRate}`,
    cell: (a) => pct(a.involvementRate),
  },
  {
    id: 'resolutionRate',
    header: 'Resolution',
    label: 'Resolu\u00adtion',
    width: 72,
    align: 'right',
    title: `${DEFINITIONS.currentMonth} ${DEFINITIONS.resolutionRate}`,
    cell: (a) => pct(a.resolutionRate),
  },
  {
    id: 'automationRate',
    header: 'Automation',
    label: 'Automa\u00adtion',
    width: 74,
    align: 'right',
    title: `${DEFINITIONS.currentMonth} ${DEFINITIONS.automationRate}`,
    cell: (a) => <strong className="num-strong">{pct(a.automationRate)}</strong>,
  },
  {
    id: 'automationPotential',
    header: 'Potential',
    label: 'Poten\u00adtial',
    width: 70,
    align: 'right',
    title: `${DEFINITIONS.automationPotential} A prospect’s reads “~” when its export fits Cockpit’s topics poorly (a fifth or more of its requests matched no topic well): indicative.`,
    // the potential is over the last 3 months; this month can already be above it (a climbing
    // account): marked, so the two figures side by side do not read as a contradiction
    cell: (a) =>
      a.poorTopicFit !== undefined ? (
        // a prospect whose export fits the topics poorly (web/src/lib/topicFit.ts)
        <span className="potential-indicative-cell" title={indicativeLabel(a.poorTopicFit) ?? undefined}>
          <span aria-hidden="true">~</span>
          {pct(a.automationPotential)}
          <span className="sr-only"> (indicative)</span>
        </span>
      ) : a.automationPotential !== null &&
        a.automationRate !== null &&
        a.automationRate > a.automationPotential ? (
        <span
          className="potential-passed"
          title={`This month’s ${pct(a.automationRate)} is already above the potential, which is measured over the last 3 months: the account is moving past its peers’ level`}
        >
          {pct(a.automationPotential)}
          <span aria-hidden="true"> ↑</span>
          <span className="sr-only"> (passed this month)</span>
        </span>
      ) : (
        pct(a.automationPotential)
      ),
  },
  {
    id: 'gapPoints',
    // the gap is to the last 3 months' rate, not to this month's beside it: said where it is read
    header: '3-mo gap (pts)',
    width: 80,
    align: 'right',
    title: DEFINITIONS.gap,
    cell: (a) => (
      <GapPoints
        value={a.gapPoints}
        potential={a.automationPotential}
        window={a.windowAutomationRate}
        thisMonth={a.automationRate}
        prospect={a.status === 'prospect'}
        awaitingLive={a.awaitingLive === true}
      />
    ),
  },
  {
    id: 'gapConversations',
    header: 'Gap conv/mo',
    width: 76,
    align: 'right',
    title: DEFINITIONS.gap,
    cell: (a) => count(a.gapConversations),
  },
  {
    id: 'cxScore',
    header: 'CX score',
    width: 58,
    align: 'right',
    title: `${DEFINITIONS.currentMonth} ${DEFINITIONS.cxScore}`,
    cell: (a) => score(a.cxScore),
  },
  {
    id: 'trend',
    header: 'Trend',
    width: 72,
    align: 'left',
    title: DEFINITIONS.trend,
    cell: (a) => <TrendCell values={a.trend} />,
  },
  // who and what the account is: filterable above, and on the account page; last, so on a screen
  // narrower than 1280 px, where the table scrolls in its box, the columns a CSM triages on come first
  {
    id: 'vertical',
    header: 'Vertical',
    // "E-commerce" whole (90 px with 8 px padding cut it to "E-comme…")
    width: 91,
    align: 'left',
    title: 'Industry vertical',
    cell: (a) => verticalLabel(a.vertical),
  },
  {
    id: 'csm',
    header: 'CSM',
    width: 98,
    align: 'left',
    title: 'Customer success manager who owns the account',
    // a longer name ends in "…": the whole of it on hover
    cell: (a) => (a.csm ? <span title={a.csm}>{a.csm}</span> : missing),
  },
  // "$293.5K" whole
  { id: 'arr', header: 'ARR', width: 66, align: 'right', title: DEFINITIONS.arr, cell: (a) => money(a.arr) },
];

/**
 * The table's box on a 1280 px screen: the page's padding and the card's border taken off, and the
 * page's and the table's own scrollbars where they take room (17 px each on Windows, and in Firefox
 * on Linux: a cross-browser review found ARR cut off and the table scrolling sideways there at 1,219
 * px of columns; headless Chromium hides scrollbars, so the tests had not seen it).
 */
export const TRIAGE_BOX_AT_1280 = 1230 - 2 * 17;
/** The columns' least widths together: the table scrolls in its box only below this (a phone). */
export const TRIAGE_MIN_WIDTH = COLUMNS.reduce((s, c) => s + c.width, 0);

const GAP_BAR_PX = 26;

/**
 * The row's own arithmetic: potential − the last 3 months' automation = gap, beside this month's.
 * Each figure is the one the account page shows, rounded on its own (the window's rate derived from
 * two rounded figures read 41.8% beside the page's 41.7%), so the sum may be a tenth off.
 */
export function gapTitle(
  gap: number,
  potential: number | null,
  window: number | null,
  thisMonth: number | null,
  prospect = false,
): string | undefined {
  if (potential == null) return undefined;
  if (prospect) return `${pct(potential)} potential − no AI agent yet = ${points(gap, { signed: false })}`;
  return `${pct(potential)} potential − ${pct(window ?? potential - gap)} automation over the last 3 months (since go-live for an account live for less) = ${points(gap, { signed: false })}, each figure rounded on its own (this month: ${pct(thisMonth)})`;
}

function GapPoints({
  value,
  potential,
  window,
  thisMonth,
  prospect,
  awaitingLive,
}: {
  value: number | null;
  potential: number | null;
  window: number | null;
  thisMonth: number | null;
  prospect: boolean;
  awaitingLive: boolean;
}) {
  if (awaitingLive)
    return (
      <span
        className="muted"
        title="The AI agent has had no full month live yet: no gap until it has (its page says when)"
      >
        not live
      </span>
    );
  if (value == null) return <span className="muted">{DASH}</span>;
  // a bar of up to 26 px for 50 points (the widest gaps) gives a quick visual ranking in the column
  const w = Math.max(0, Math.min(1, value / 0.5));
  return (
    <span className="gap-cell" title={gapTitle(value, potential, window, thisMonth, prospect)}>
      <span className="gap-bar" style={{ width: `${Math.round(w * GAP_BAR_PX)}px` }} aria-hidden="true" />
      <span>{points(value, { signed: false }).replace(' pts', '')}</span>
    </span>
  );
}
