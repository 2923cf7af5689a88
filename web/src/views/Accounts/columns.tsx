/**
 * The triage table's columns, defined once at module level: header, width, alignment, the
 * definition shown on hover, and how a cell renders an account. How each column sorts is in
 * triageRows.ts (TRIAGE_SORTS).
 */
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { accountQuery } from '../../api/queries.ts';
import type { TriageAccount } from '../../api/server-types.ts';
import { Flags } from '../../components/Flags.tsx';
import { Sparkline } from '../../components/Sparkline.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, DASH, money, pct, points, score, verticalLabel } from '../../lib/format.ts';

export interface TriageColumn {
  id: string;
  header: string;
  width: number;
  align: 'left' | 'right';
  /** the definition shown on hover */
  title: string;
  cell: (a: TriageAccount) => ReactNode;
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
        onMouseEnter={prefetch}
        onFocus={prefetch}
      >
        {account.name}
      </Link>
      {account.status === 'prospect' && <span className="badge badge-muted">Prospect</span>}
    </span>
  );
}

const missing = <span className="muted">{DASH}</span>;

export const COLUMNS: readonly TriageColumn[] = [
  {
    id: 'name',
    header: 'Account',
    width: 180,
    align: 'left',
    title: 'Account name',
    cell: (a) => <AccountLink account={a} />,
  },
  // the triage's signal, next to the name
  {
    id: 'flags',
    header: 'Flags',
    width: 142,
    align: 'left',
    title: DEFINITIONS.flags,
    cell: (a) => <Flags flags={a.flags} />,
  },
  {
    id: 'conversations',
    header: 'Conv. this month',
    width: 100,
    align: 'right',
    title: `This month (a prospect: its export’s last month). ${DEFINITIONS.conversations}`,
    cell: (a) =>
      a.status === 'prospect' ? (
        <span title="A prospect’s figures are its export’s last month, not this month">
          {count(a.conversations)}
        </span>
      ) : (
        count(a.conversations)
      ),
  },
  {
    id: 'involvementRate',
    header: 'Involvement',
    width: 100,
    align: 'right',
    title: `${DEFINITIONS.currentMonth} ${DEFINITIONS.involvementRate}`,
    cell: (a) => pct(a.involvementRate),
  },
  {
    id: 'resolutionRate',
    header: 'Resolution',
    width: 92,
    align: 'right',
    title: `${DEFINITIONS.currentMonth} ${DEFINITIONS.resolutionRate}`,
    cell: (a) => pct(a.resolutionRate),
  },
  {
    id: 'automationRate',
    header: 'Automation',
    width: 94,
    align: 'right',
    title: `${DEFINITIONS.currentMonth} ${DEFINITIONS.automationRate}`,
    cell: (a) => <strong className="num-strong">{pct(a.automationRate)}</strong>,
  },
  {
    id: 'automationPotential',
    header: 'Potential',
    width: 82,
    align: 'right',
    title: DEFINITIONS.automationPotential,
    cell: (a) => pct(a.automationPotential),
  },
  {
    id: 'gapPoints',
    // the gap is to the last 3 months' rate, not to this month's beside it: said where it is read
    header: '3-mo gap (pts)',
    width: 96,
    align: 'right',
    title: DEFINITIONS.gap,
    cell: (a) => (
      <GapPoints
        value={a.gapPoints}
        potential={a.automationPotential}
        thisMonth={a.automationRate}
        prospect={a.status === 'prospect'}
      />
    ),
  },
  {
    id: 'gapConversations',
    header: 'Gap conv/mo',
    width: 80,
    align: 'right',
    title: DEFINITIONS.gap,
    cell: (a) => count(a.gapConversations),
  },
  {
    id: 'cxScore',
    header: 'CX score',
    width: 62,
    align: 'right',
    title: `${DEFINITIONS.currentMonth} ${DEFINITIONS.cxScore}`,
    cell: (a) => score(a.cxScore),
  },
  {
    id: 'trend',
    header: 'Trend',
    width: 86,
    align: 'left',
    title: DEFINITIONS.trend,
    cell: (a) => <Sparkline values={a.trend} />,
  },
  // who and what the account is: filterable above, and on the account page; last, so the columns
  // a CSM triages on fit a 1280 px screen without a scroll
  {
    id: 'vertical',
    header: 'Vertical',
    // "E-commerce" whole (90 px cut it to "E-comme…")
    width: 108,
    align: 'left',
    title: 'Industry vertical',
    cell: (a) => verticalLabel(a.vertical),
  },
  {
    id: 'csm',
    header: 'CSM',
    width: 118,
    align: 'left',
    title: 'Customer success manager who owns the account',
    cell: (a) => a.csm ?? missing,
  },
  { id: 'arr', header: 'ARR', width: 68, align: 'right', title: DEFINITIONS.arr, cell: (a) => money(a.arr) },
];

const GAP_BAR_PX = 30;

/** The row's own arithmetic: potential − the last 3 months' automation (= potential − gap), beside this month's. */
export function gapTitle(
  gap: number,
  potential: number | null,
  thisMonth: number | null,
  prospect = false,
): string | undefined {
  if (potential == null) return undefined;
  if (prospect) return `${pct(potential)} potential − no AI agent yet = ${points(gap, { signed: false })}`;
  return `${pct(potential)} potential − ${pct(potential - gap)} automation over the last 3 months = ${points(gap, { signed: false })} (this month: ${pct(thisMonth)})`;
}

function GapPoints({
  value,
  potential,
  thisMonth,
  prospect,
}: {
  value: number | null;
  potential: number | null;
  thisMonth: number | null;
  prospect: boolean;
}) {
  if (value == null) return <span className="muted">{DASH}</span>;
  // a bar of up to 30 px for 50 points (the widest gaps) gives a quick visual ranking in the column
  const w = Math.max(0, Math.min(1, value / 0.5));
  return (
    <span className="gap-cell" title={gapTitle(value, potential, thisMonth, prospect)}>
      <span className="gap-bar" style={{ width: `${Math.round(w * GAP_BAR_PX)}px` }} aria-hidden="true" />
      <span>{points(value, { signed: false }).replace(' pts', '')}</span>
    </span>
  );
}
