import { createColumnHelper } from '@tanstack/react-table';
import { useContext, useMemo } from 'react';
import { useSearchParams } from 'wouter';
import type { BreakdownResponse, ClassBreakdown, LeafBreakdown } from '../../api/server-types.ts';
import { type BreakdownBar, breakdownOption } from '../../charts/breakdown.ts';
import { CLASS_COLORS } from '../../charts/theme.ts';
import {
  type BreakdownLevel,
  BreakdownLevelToggle,
  breakdownChartHeight,
  ClassName,
} from '../../components/Breakdown.tsx';
import { Chart } from '../../components/Chart.tsx';
import { type ColUi, DataTable, type SmallF } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/QueryState.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, humanize, pct, perMonth, points, score } from '../../lib/format.ts';
import { byString, numericColumn, orUndefined } from '../../lib/tableSort.ts';
import { NARROW, TABLE_NARROW, useMediaQuery } from '../../lib/useMediaQuery.ts';
import { LeafPickerContext } from './leafPicker.ts';

const MAX_LEAVES_IN_CHART = 12;

// ---------- leaf table (module-level columns) ----------
const leafHelper = createColumnHelper<SmallF, LeafBreakdown>();

function LeafButton({ leaf: l }: { leaf: LeafBreakdown }) {
  const pickLeaf = useContext(LeafPickerContext);
  return (
    <button type="button" className="linkish leaf-btn" onClick={() => pickLeaf(l.taxonomyId)}>
      <span className="leaf-label">{l.label}</span>
      <span className="leaf-group">
        <i className={`dot class-${l.automationClass}`} aria-hidden="true" /> {l.group} ·{' '}
        {humanize(l.automationClass)}
        {/* on the second line: a long topic name's ellipsis would hide it on the first */}
        {l.uncertain && (
          // an out-of-domain review: confident-looking topic names on requests they do not describe
          <span
            className="badge badge-warn leaf-unsure"
            title={`Classified with ${pct(l.uncertain.confidence)} confidence on average: these conversations are more likely misfiled than not — this is the nearest topic Cockpit has. Open the examples.`}
            data-testid="leaf-unsure"
          >
            unsure fit
          </span>
        )}
      </span>
    </button>
  );
}

function Vs({ cur, ach }: { cur: number | null; ach: number }) {
  const below = cur != null && cur < ach - 0.0005;
  return (
    <span className="vs">
      <span className={below ? 'vs-cur vs-below' : 'vs-cur'}>{pct(cur)}</span>
      <span className="vs-ach"> / {pct(ach)}</span>
    </span>
  );
}

const leafColumns = leafHelper.columns([
  leafHelper.accessor('label', {
    header: 'Topic',
    sortFn: byString,
    cell: (info) => <LeafButton leaf={info.row.original} />,
  }),
  leafHelper.accessor('monthlyConversations', {
    header: 'Conv/mo',
    ...numericColumn,
    cell: (i) => perMonth(i.getValue()),
  }),
  leafHelper.accessor('share', { header: 'Share', ...numericColumn, cell: (i) => pct(i.getValue()) }),
  leafHelper.accessor((r) => orUndefined(r.involvementRate), {
    id: 'involvementRate',
    header: 'Involvement / achievable',
    ...numericColumn,
    cell: (i) => <Vs cur={i.row.original.involvementRate} ach={i.row.original.achievableInvolvement} />,
  }),
  leafHelper.accessor((r) => orUndefined(r.resolutionRate), {
    id: 'resolutionRate',
    header: 'Resolution / achievable',
    ...numericColumn,
    cell: (i) => <Vs cur={i.row.original.resolutionRate} ach={i.row.original.achievableResolution} />,
  }),
  leafHelper.accessor((r) => orUndefined(r.automationRate), {
    id: 'automationRate',
    header: 'Automation / achievable',
    ...numericColumn,
    cell: (i) => <Vs cur={i.row.original.automationRate} ach={i.row.original.achievableAutomation} />,
  }),
  leafHelper.accessor('gapPoints', {
    header: 'Gap (pts)',
    ...numericColumn,
    cell: (i) => points(i.getValue(), { signed: false }),
  }),
  leafHelper.accessor('gapConversations', {
    header: 'Gap conv/mo',
    ...numericColumn,
    cell: (i) => count(i.getValue()),
  }),
  leafHelper.accessor((r) => orUndefined(r.cxScore), {
    id: 'cxScore',
    header: 'CX',
    ...numericColumn,
    sortDescFirst: false,
    cell: (i) => score(i.getValue()),
  }),
  leafHelper.accessor('peerAccounts', {
    header: 'Peers',
    ...numericColumn,
    cell: (i) =>
      i.getValue() > 0 ? (
        count(i.getValue())
      ) : (
        <span title="Too few peer accounts on this topic: its achievable level is its automation class’s, over all peers">
          by class
        </span>
      ),
  }),
]);

const LEAF_UI: Record<string, ColUi> = {
  label: { title: 'Taxonomy topic (leaf), its group and automation class' },
  monthlyConversations: {
    align: 'right',
    title:
      'Average conversations per month in the model window (a customer’s last 3 months, a prospect’s whole export; the current month counted for the part of it that has passed)',
  },
  share: { align: 'right', title: 'Share of the account’s volume' },
  involvementRate: { align: 'right', title: `${DEFINITIONS.involvementRate} ${DEFINITIONS.achievable}` },
  resolutionRate: {
    align: 'right',
    title: `${DEFINITIONS.resolutionRate} ${DEFINITIONS.achievable} ${DEFINITIONS.achievableResolution}`,
  },
  automationRate: {
    align: 'right',
    title: `${DEFINITIONS.automationRate} ${DEFINITIONS.achievable} ${DEFINITIONS.achievableAutomation}`,
  },
  gapPoints: {
    align: 'right',
    title: 'Points of the account’s automation rate this topic adds at its achievable level',
  },
  gapConversations: {
    align: 'right',
    title: 'Conversations per month this topic adds at its achievable level',
  },
  cxScore: { align: 'right', title: DEFINITIONS.cxScore },
  peerAccounts: {
    align: 'right',
    title:
      'Peer accounts behind the achievable level; “by class” = too few on this topic, so its automation class’s level',
  },
};

// ---------- class table ----------
/** A class row with its volume per month, as the topic table shows volume. */
type ClassRow = ClassBreakdown & { monthlyConversations: number };
const classHelper = createColumnHelper<SmallF, ClassRow>();
const classColumns = classHelper.columns([
  classHelper.accessor('automationClass', {
    header: 'Automation class',
    sortFn: byString,
    cell: (i) => <ClassName value={i.getValue()} />,
  }),
  classHelper.accessor('monthlyConversations', {
    header: 'Conv/mo',
    ...numericColumn,
    cell: (i) => perMonth(i.getValue()),
  }),
  classHelper.accessor('share', { header: 'Share', ...numericColumn, cell: (i) => pct(i.getValue()) }),
  classHelper.accessor((r) => orUndefined(r.involvementRate), {
    id: 'involvementRate',
    header: 'Involvement',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  classHelper.accessor((r) => orUndefined(r.resolutionRate), {
    id: 'resolutionRate',
    header: 'Resolution',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  classHelper.accessor((r) => orUndefined(r.automationRate), {
    id: 'automationRate',
    header: 'Automation / achievable',
    ...numericColumn,
    cell: (i) => <Vs cur={i.row.original.automationRate} ach={i.row.original.achievableAutomation} />,
  }),
  classHelper.accessor('gapPoints', {
    header: 'Gap (pts)',
    ...numericColumn,
    cell: (i) => points(i.getValue(), { signed: false }),
  }),
  classHelper.accessor('gapConversations', {
    header: 'Gap conv/mo',
    ...numericColumn,
    cell: (i) => count(i.getValue()),
  }),
  classHelper.accessor((r) => orUndefined(r.cxScore), {
    id: 'cxScore',
    header: 'CX',
    ...numericColumn,
    sortDescFirst: false,
    cell: (i) => score(i.getValue()),
  }),
]);
const CLASS_UI: Record<string, ColUi> = {
  automationClass: {
    title: 'What resolving a topic needs: content, a data lookup, an operation, or a human',
  },
  monthlyConversations: LEAF_UI.monthlyConversations!,
  share: { align: 'right', title: 'Share of the account’s volume' },
  involvementRate: { align: 'right', title: DEFINITIONS.involvementRate },
  resolutionRate: { align: 'right', title: DEFINITIONS.resolutionRate },
  automationRate: { align: 'right', title: `${DEFINITIONS.automationRate} ${DEFINITIONS.achievable}` },
  gapPoints: { align: 'right', title: DEFINITIONS.gap },
  gapConversations: { align: 'right', title: DEFINITIONS.gap },
  cxScore: { align: 'right', title: DEFINITIONS.cxScore },
};

/** The columns without CX: a prospect's topics have no CX of their own (see BreakdownSection). */
const leafColumnsNoCx = leafColumns.filter((c) => c.id !== 'cxScore');
const classColumnsNoCx = classColumns.filter((c) => c.id !== 'cxScore');

/**
 * On a phone the table shows three columns before it scrolls: the topic, then what it is sorted by
 * and read for — its gap and its automation vs achievable — ahead of volume and share (a review
 * found the gap, the default sort, five swipes to the right).
 */
const PHONE_FIRST = ['label', 'gapPoints', 'automationRate'];
const colId = (c: { id?: string | undefined }) =>
  c.id ?? ('accessorKey' in c ? String((c as { accessorKey: unknown }).accessorKey) : '');
function phoneOrder<C extends { id?: string | undefined }>(columns: C[]): C[] {
  const first = PHONE_FIRST.flatMap((id) => columns.filter((c) => colId(c) === id));
  return [...first, ...columns.filter((c) => !first.includes(c))];
}
const leafColumnsPhone = phoneOrder(leafColumns);
const leafColumnsNoCxPhone = phoneOrder(leafColumnsNoCx);

/** A prospect whose potential is withheld has no gaps: its topics by volume alone. */
const GAP_COLUMNS = new Set(['gapPoints', 'gapConversations']);
const leafColumnsNoGap = leafColumnsNoCx.filter((c) => !GAP_COLUMNS.has(colId(c)));
const leafColumnsNoGapPhone = phoneOrder(leafColumnsNoGap);
const classColumnsNoGap = classColumnsNoCx.filter((c) => !GAP_COLUMNS.has(colId(c)));

export function BreakdownSection({
  breakdown,
  onPickLeaf,
  prospect = false,
  withheld = false,
  awaitingLive = false,
}: {
  breakdown: BreakdownResponse;
  onPickLeaf: (taxonomyId: string) => void;
  /** a prospect: its CX is read on the estimate's example conversations, not per topic here */
  prospect?: boolean;
  /**
   * a prospect whose potential is withheld: no gaps, no chart of them (a review saw "Gap 69.4 pts"
   * on the topics of a foreign-language export beside "Potential: —")
   */
  withheld?: boolean;
  /** the gaps are withheld because the account's AI agent has had no full month live yet */
  awaitingLive?: boolean;
}) {
  // by topic or by class, in the URL like the page's other choices (reload and a shared link keep it)
  const [params, setParams] = useSearchParams();
  const mode: BreakdownLevel = params.get('breakdown') === 'class' ? 'class' : 'leaf';
  const setMode = (next: BreakdownLevel) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (next === 'class') p.set('breakdown', 'class');
        else p.delete('breakdown');
        return p;
      },
      { replace: true },
    );
  // A prospect's breakdown carries no CX per topic (no AI outcomes; the estimate keeps a few example
  // conversations per topic, scored in Customer experience). A CX column of dashes here read as "no
  // CX" beside that section's scores: it is left out, and the note says where CX is.
  const noTopicCx =
    prospect &&
    breakdown.leaves.every((l) => l.cxScore == null) &&
    breakdown.classes.every((c) => c.cxScore == null);
  const classRows: ClassRow[] = useMemo(() => {
    // months of data in the window; an older response without it: the window's length
    const months = breakdown.window.monthsCovered ?? breakdown.window.months;
    return breakdown.classes.map((c) => ({
      ...c,
      monthlyConversations: c.conversations / Math.max(months, 1e-9),
    }));
  }, [breakdown]);

  const classBars: BreakdownBar[] = useMemo(
    () =>
      breakdown.classes
        .filter((c) => c.conversations > 0)
        .map((c) => ({
          key: c.automationClass,
          label: `${humanize(c.automationClass)} · ${pct(c.share)}`,
          color: CLASS_COLORS[c.automationClass],
          share: c.share,
          current: c.automationRate,
          achievable: c.achievableAutomation,
          gapPoints: c.gapPoints,
        })),
    [breakdown],
  );
  const topLeaves = useMemo(
    () => [...breakdown.leaves].sort((a, b) => b.gapPoints - a.gapPoints).slice(0, MAX_LEAVES_IN_CHART),
    [breakdown],
  );
  const leafBars: BreakdownBar[] = useMemo(
    () =>
      topLeaves.map((l) => ({
        key: l.taxonomyId,
        label: l.label,
        color: CLASS_COLORS[l.automationClass],
        share: l.share,
        current: l.automationRate,
        achievable: l.achievableAutomation,
        gapPoints: l.gapPoints,
      })),
    [topLeaves],
  );
  const bars = mode === 'class' ? classBars : leafBars;
  const narrow = useMediaQuery(NARROW);
  const narrowTable = useMediaQuery(TABLE_NARROW);
  const option = useMemo(() => breakdownOption(bars, { narrow }), [bars, narrow]);

  if (!breakdown.leaves.length)
    return <EmptyState title="No topics yet">No classified conversations in the model window.</EmptyState>;

  return (
    <div className="breakdown">
      <BreakdownLevelToggle level={mode} onChange={setMode} topics={breakdown.leaves.length} />
      {withheld ? (
        <p className="muted small chart-note" data-testid="breakdown-withheld-note">
          {awaitingLive
            ? 'No gaps yet: the AI agent has had no full month live (above). The topics of the conversations, by volume.'
            : 'No potential is given for this export (why: above), so no gaps: the topics of the conversations read, by volume.'}
        </p>
      ) : (
        <p className="muted small chart-note">
          {mode === 'leaf'
            ? `The ${Math.min(MAX_LEAVES_IN_CHART, breakdown.leaves.length)} topics with the largest gap; click a bar or a row for example conversations.`
            : 'Current automation rate vs the achievable level, per automation class (share of volume in the label).'}{' '}
          Solid bars: current automation, by class: <Legend />
        </p>
      )}
      {noTopicCx && (
        <p className="muted small chart-note" data-testid="breakdown-cx-note">
          No CX column: a prospect’s CX is read on the example conversations the estimate kept, in{' '}
          <a href="#cx-h">Customer experience</a> below (its distribution and lowest-scoring topics).
        </p>
      )}
      {!withheld && (
        <Chart
          option={option}
          height={breakdownChartHeight(bars.length)}
          testId="breakdown-chart"
          onClick={
            mode === 'leaf'
              ? (e) => {
                  const id = topLeaves[e.dataIndex]?.taxonomyId;
                  if (id) onPickLeaf(id);
                }
              : undefined
          }
        />
      )}
      {mode === 'leaf' ? (
        <DataTable
          key="leaf"
          testId="leaf-table"
          sortParam="topicSort"
          // the largest gaps first; all ~60 topics of a large account made a 3,000 px page
          initialRows={15}
          caption={`Breakdown by topic: volume, share, involvement, resolution and automation vs achievable${withheld ? '' : ', gap'}${noTopicCx ? '' : ', CX'}`}
          columns={
            withheld
              ? narrowTable
                ? leafColumnsNoGapPhone
                : leafColumnsNoGap
              : narrowTable
                ? noTopicCx
                  ? leafColumnsNoCxPhone
                  : leafColumnsPhone
                : noTopicCx
                  ? leafColumnsNoCx
                  : leafColumns
          }
          data={breakdown.leaves}
          ui={LEAF_UI}
          initialSort={[{ id: withheld ? 'monthlyConversations' : 'gapPoints', desc: true }]}
          getRowId={(r) => r.taxonomyId}
          onRowActivate={(r) => onPickLeaf(r.taxonomyId)}
        />
      ) : (
        <DataTable
          key="class"
          testId="class-table"
          sortParam="classSort"
          caption="Breakdown by automation class"
          columns={withheld ? classColumnsNoGap : noTopicCx ? classColumnsNoCx : classColumns}
          data={classRows}
          ui={CLASS_UI}
          initialSort={[{ id: withheld ? 'monthlyConversations' : 'gapPoints', desc: true }]}
          getRowId={(r) => r.automationClass}
        />
      )}
    </div>
  );
}

function Legend() {
  return (
    <span className="inline-legend">
      {(Object.keys(CLASS_COLORS) as (keyof typeof CLASS_COLORS)[]).map((k) => (
        <span key={k}>
          <i className={`dot class-${k}`} aria-hidden="true" /> {humanize(k)}
        </span>
      ))}
      <span>
        <i className="dot dot-achievable" aria-hidden="true" /> dashed: achievable
      </span>
    </span>
  );
}
