/** Model view tables: error by group (vertical, acted) and the largest misses, at module level. */
import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'wouter';
import type { CeilingSummary, ErrorSummary, ModelResponse } from '../../api/server-types.ts';
import type { ColUi, SmallF } from '../../components/DataTable.tsx';
import { count, monthLabel, pct, points, verticalLabel } from '../../lib/format.ts';
import { byNaturalText, numericColumn, orUndefined } from '../../lib/tableSort.ts';
import { type ErrorRow, headlinePass } from './modelState.ts';

export type MissRow = ModelResponse['largestMisses'][number];

/** MAE in points with a bar on a 0–40 pts scale (longer = worse), and its interval over accounts. */
function Mae({ s }: { s: ErrorSummary }) {
  if (s.mae === null) return <span className="muted">—</span>;
  const w = Math.min(1, s.mae / 0.4);
  return (
    <span className="mae-cell">
      <span className="meter meter-mae" aria-hidden="true">
        <span className="meter-fill" style={{ width: `${w * 100}%` }} />
      </span>
      <span>
        {points(s.mae, { signed: false })}
        {s.maeLow !== null && s.maeHigh !== null && (
          <span className="muted small">
            {' '}
            ({points(s.maeLow, { signed: false, unit: false })}–
            {points(s.maeHigh, { signed: false, unit: false })})
          </span>
        )}
      </span>
    </span>
  );
}

/**
 * The share that passed the ceiling over 3 months in a row (the potential's own window) with its
 * interval over accounts, and below it the single-month reading.
 */
function Passed({ c }: { c: CeilingSummary }) {
  const s = headlinePass(c);
  if (s.exceeded === null) return <span className="muted">—</span>;
  return (
    <span>
      {pct(s.exceeded)}
      {s.exceededLow !== null && s.exceededHigh !== null && (
        <span className="muted small">
          {' '}
          ({pct(s.exceededLow)}–{pct(s.exceededHigh)})
        </span>
      )}
      {s !== c && c.exceeded !== null && (
        <span className="muted small cell-sub">single month: {pct(c.exceeded)}</span>
      )}
    </span>
  );
}

// ---------- error by group ----------
const errHelper = createColumnHelper<SmallF, ErrorRow>();
export const errorColumns = errHelper.columns([
  errHelper.accessor('label', {
    header: 'Group',
    sortFn: byNaturalText,
    cell: (i) => <span className="cell-strong">{i.getValue()}</span>,
  }),
  errHelper.accessor((r) => orUndefined(headlinePass(r.ceiling).exceeded), {
    id: 'passed',
    header: 'Passed ceiling (3 months)',
    ...numericColumn,
    cell: (i) => <Passed c={i.row.original.ceiling} />,
  }),
  errHelper.accessor((r) => orUndefined(r.h3.mae), {
    id: 'mae3',
    header: 'MAE M+3',
    ...numericColumn,
    cell: (i) => <Mae s={i.row.original.h3} />,
  }),
  errHelper.accessor((r) => orUndefined(r.h6.mae), {
    id: 'mae6',
    header: 'MAE M+6',
    ...numericColumn,
    cell: (i) => <Mae s={i.row.original.h6} />,
  }),
  errHelper.accessor((r) => orUndefined(r.h3.bias), {
    id: 'bias3',
    header: 'Bias M+3',
    ...numericColumn,
    cell: (i) => points(i.getValue()),
  }),
  errHelper.accessor((r) => orUndefined(r.h6.bias), {
    id: 'bias6',
    header: 'Bias M+6',
    ...numericColumn,
    cell: (i) => points(i.getValue()),
  }),
  errHelper.accessor((r) => orUndefined(r.h3.coverage), {
    id: 'coverage3',
    header: 'In range M+3',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  errHelper.accessor((r) => orUndefined(r.h6.coverage), {
    id: 'coverage6',
    header: 'In range M+6',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  errHelper.accessor((r) => r.h3.n, {
    id: 'n',
    header: 'n (M+3 / M+6) · accounts',
    ...numericColumn,
    cell: (i) =>
      `${count(i.row.original.h3.n)} / ${count(i.row.original.h6.n)} · ${count(i.row.original.ceiling.accounts)}`,
  }),
]);

const MAE_TITLE =
  'Mean absolute error: mean of |reached − predicted| in points of automation rate, with its 90% interval resampling whole accounts';
const BIAS_TITLE =
  'Mean of (reached − predicted): negative = accounts reached less than the predicted potential';
const COV_TITLE =
  'Share of predictions whose range (peers’ 50th–90th percentile) contained the rate reached; most of the rest sit below it, gaps not yet closed';
export const ERROR_UI: Record<string, ColUi> = {
  label: { title: 'Accounts grouped by vertical, or by whether they acted on their gaps' },
  passed: {
    align: 'right',
    title:
      'Share of account-months whose rate in any month from M+1 to M+6 (months observed so far, 50+ conversations) went above the potential predicted at M (a good ceiling: 10% or less), with its 90% interval resampling whole accounts',
  },
  mae3: { align: 'right', title: `${MAE_TITLE}, 3 months after M` },
  mae6: { align: 'right', title: `${MAE_TITLE}, 6 months after M` },
  bias3: { align: 'right', title: `${BIAS_TITLE} (M+3)` },
  bias6: { align: 'right', title: `${BIAS_TITLE} (M+6)` },
  coverage3: { align: 'right', title: `${COV_TITLE} (M+3)` },
  coverage6: { align: 'right', title: `${COV_TITLE} (M+6)` },
  n: {
    align: 'right',
    title:
      'Account-months with an actual rate at M+3 and at M+6, and the accounts they belong to: the intervals resample accounts, not account-months',
  },
};

// ---------- largest misses ----------
const missHelper = createColumnHelper<SmallF, MissRow>();
export const missColumns = missHelper.columns([
  missHelper.accessor('name', {
    header: 'Account',
    sortFn: byNaturalText,
    cell: (i) => (
      <Link href={`/accounts/${encodeURIComponent(i.row.original.accountId)}`} className="row-link">
        {i.getValue()}
      </Link>
    ),
  }),
  missHelper.accessor('vertical', {
    header: 'Vertical',
    sortFn: byNaturalText,
    cell: (i) => verticalLabel(i.getValue()),
  }),
  missHelper.accessor('month', {
    header: 'Predicted in',
    sortFn: byNaturalText,
    cell: (i) => monthLabel(i.getValue(), true),
  }),
  missHelper.accessor('horizon', { header: 'Horizon', ...numericColumn, cell: (i) => `M+${i.getValue()}` }),
  missHelper.accessor('predicted', {
    header: 'Predicted (range)',
    ...numericColumn,
    cell: (i) => (
      <span>
        {pct(i.getValue())}{' '}
        <span className="muted">
          ({pct(i.row.original.predictedLow)} – {pct(i.row.original.predictedHigh)})
        </span>
      </span>
    ),
  }),
  missHelper.accessor((r) => (r.horizon === 3 ? r.actual3 : r.actual6) ?? undefined, {
    id: 'actual',
    header: 'Reached',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  // signed: passes of the ceiling (above it) sort first, the deepest shortfalls last
  missHelper.accessor((r) => r.error, {
    id: 'error',
    header: 'Miss',
    ...numericColumn,
    cell: (i) => <span className="num-strong">{points(i.row.original.error)}</span>,
  }),
  missHelper.accessor((r) => (r.acted ? 1 : 0), {
    id: 'acted',
    header: 'Acted',
    ...numericColumn,
    cell: (i) =>
      i.row.original.acted ? (
        <span className="badge badge-acted">Acted</span>
      ) : (
        <span className="badge badge-notacted">Did not act</span>
      ),
  }),
]);

export const MISS_UI: Record<string, ColUi> = {
  name: { title: 'The account (opens its page)' },
  vertical: { title: 'The account’s vertical' },
  month: { title: 'Month M: the potential was predicted with data up to this month only' },
  horizon: { align: 'right', title: 'How many months after M the rate was reached' },
  predicted: { align: 'right', title: 'Predicted potential at M and its range (50th–90th percentile)' },
  actual: { align: 'right', title: 'Automation rate the account actually reached at the horizon' },
  error: { align: 'right', title: 'Reached − predicted, in points (sorted by size)' },
  acted: { align: 'right', title: 'Made interventions in the 6 months after M' },
};
