/** Triage table columns, defined once at module level (stable identity for react-table). */
import { useQueryClient } from '@tanstack/react-query';
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  type SortFn,
  tableFeatures,
} from '@tanstack/react-table';
import { Link } from 'wouter';
import { accountQuery } from '../../api/queries.ts';
import type { TriageAccount } from '../../api/server-types.ts';
import { Flags } from '../../components/Flags.tsx';
import { Sparkline } from '../../components/Sparkline.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, DASH, humanize, money, pct, points, score } from '../../lib/format.ts';
import { numericColumn, orUndefined } from '../../lib/tableSort.ts';

export const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
});
type F = typeof features;

const helper = createColumnHelper<F, TriageAccount>();

/** Ascending comparators only; the table reverses them for descending. Nulls are undefined → last. */
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const byText: SortFn<F, TriageAccount> = (a, b, id) =>
  collator.compare(String(a.getValue(id) ?? ''), String(b.getValue(id) ?? ''));

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

export const columns = helper.columns([
  helper.accessor('name', {
    header: 'Account',
    sortFn: byText,
    cell: (info) => <AccountLink account={info.row.original} />,
  }),
  helper.accessor('vertical', {
    header: 'Vertical',
    sortFn: byText,
    cell: (info) => humanize(info.getValue()),
  }),
  helper.accessor((r) => r.csm ?? undefined, {
    id: 'csm',
    header: 'CSM',
    sortFn: byText,
    sortUndefined: 'last',
    cell: (info) => info.getValue() ?? <span className="muted">{DASH}</span>,
  }),
  helper.accessor((r) => orUndefined(r.arr), {
    id: 'arr',
    header: 'ARR',
    ...numericColumn,
    cell: (info) => money(info.getValue()),
  }),
  helper.accessor('conversations', {
    header: 'Conv. this month',
    ...numericColumn,
    cell: (info) => count(info.getValue()),
  }),
  helper.accessor((r) => orUndefined(r.involvementRate), {
    id: 'involvementRate',
    header: 'Involvement',
    ...numericColumn,
    cell: (info) => pct(info.getValue()),
  }),
  helper.accessor((r) => orUndefined(r.resolutionRate), {
    id: 'resolutionRate',
    header: 'Resolution',
    ...numericColumn,
    cell: (info) => pct(info.getValue()),
  }),
  helper.accessor((r) => orUndefined(r.automationRate), {
    id: 'automationRate',
    header: 'Automation',
    ...numericColumn,
    cell: (info) => <strong className="num-strong">{pct(info.getValue())}</strong>,
  }),
  helper.accessor((r) => orUndefined(r.automationPotential), {
    id: 'automationPotential',
    header: 'Potential',
    ...numericColumn,
    cell: (info) => pct(info.getValue()),
  }),
  helper.accessor((r) => orUndefined(r.gapPoints), {
    id: 'gapPoints',
    header: 'Gap (pts)',
    ...numericColumn,
    cell: (info) => <GapPoints value={info.getValue()} />,
  }),
  helper.accessor((r) => orUndefined(r.gapConversations), {
    id: 'gapConversations',
    header: 'Gap conv/mo',
    ...numericColumn,
    cell: (info) => count(info.getValue()),
  }),
  helper.accessor((r) => orUndefined(r.cxScore), {
    id: 'cxScore',
    header: 'CX score',
    ...numericColumn,
    sortDescFirst: false,
    cell: (info) => score(info.getValue()),
  }),
  helper.accessor('trend', {
    header: 'Trend',
    enableSorting: false,
    cell: (info) => <Sparkline values={info.getValue()} />,
  }),
  helper.accessor((r) => r.flags.length || undefined, {
    id: 'flags',
    header: 'Flags',
    ...numericColumn,
    cell: (info) => <Flags flags={info.row.original.flags} />,
  }),
]);

function GapPoints({ value }: { value: number | undefined }) {
  if (value == null) return <span className="muted">{DASH}</span>;
  // a bar scaled to 30 points gives a quick visual ranking inside the column
  const w = Math.max(0, Math.min(1, value / 0.3));
  return (
    <span className="gap-cell">
      <span className="gap-bar" style={{ width: `${Math.round(w * 100)}%` }} aria-hidden="true" />
      <span>{points(value, { signed: false }).replace(' pts', '')}</span>
    </span>
  );
}

export interface ColumnUi {
  width: number;
  align: 'left' | 'right';
  title: string;
}

/** Layout and hover definitions per column id. */
export const COLUMN_UI: Record<string, ColumnUi> = {
  name: { width: 180, align: 'left', title: 'Account name' },
  vertical: { width: 90, align: 'left', title: 'Industry vertical' },
  csm: { width: 118, align: 'left', title: 'Customer success manager who owns the account' },
  arr: { width: 68, align: 'right', title: DEFINITIONS.arr },
  conversations: { width: 100, align: 'right', title: `This month. ${DEFINITIONS.conversations}` },
  involvementRate: { width: 100, align: 'right', title: DEFINITIONS.involvementRate },
  resolutionRate: { width: 92, align: 'right', title: DEFINITIONS.resolutionRate },
  automationRate: { width: 94, align: 'right', title: DEFINITIONS.automationRate },
  automationPotential: { width: 82, align: 'right', title: DEFINITIONS.automationPotential },
  gapPoints: { width: 90, align: 'right', title: DEFINITIONS.gap },
  gapConversations: { width: 80, align: 'right', title: DEFINITIONS.gap },
  cxScore: { width: 62, align: 'right', title: DEFINITIONS.cxScore },
  trend: { width: 86, align: 'left', title: DEFINITIONS.trend },
  flags: { width: 142, align: 'left', title: DEFINITIONS.flags },
};

export const SORTABLE_IDS: ReadonlySet<string> = new Set(
  Object.keys(COLUMN_UI).filter((id) => id !== 'trend'),
);
