/** Patterns tables: topic (leaf) columns and fix (lift) columns, defined once at module level. */
import { createColumnHelper } from '@tanstack/react-table';
import {
  type CSSProperties,
  createContext,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import type { InterventionLiftRow, LeafPatternRow, PatternSettings } from '../../api/server-types.ts';
import type { ColUi, SmallF } from '../../components/DataTable.tsx';
import { placeBubble } from '../../components/tipPlacement.ts';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, humanize, pct, points } from '../../lib/format.ts';
import { byNaturalText, numericColumn, orUndefined } from '../../lib/tableSort.ts';
import {
  generalizeReasons,
  KIND_LABELS,
  liftKey,
  liftSentence,
  liftTone,
  mainLever,
  placeboOffZero,
} from './patternsState.ts';

/** Opens the side panel of a leaf (the first column's button). */
export const PickLeafContext = createContext<(taxonomyId: string) => void>(() => {});
/** The thresholds behind the "generalizes" signal, as the server reported them. */
export const PatternSettingsContext = createContext<PatternSettings | null>(null);
/** Expands / collapses a fix's accounts (the first column's button). */
export const LiftToggleContext = createContext<{
  expanded: ReadonlySet<string>;
  toggle: (key: string) => void;
}>({ expanded: new Set(), toggle: () => {} });

// ---------- topics (leaves) ----------
const leafHelper = createColumnHelper<SmallF, LeafPatternRow>();
function LeafButton({ leaf: l }: { leaf: LeafPatternRow }) {
  const pick = useContext(PickLeafContext);
  return (
    <button
      type="button"
      className="linkish leaf-btn"
      onClick={() => pick(l.taxonomyId)}
      aria-haspopup="dialog"
      data-testid="pattern-leaf"
    >
      <span className="leaf-label">{l.label}</span>
      <span className="leaf-group">{l.group}</span>
    </button>
  );
}

const BUBBLE_WIDTH = 280;

/**
 * The "generalizes" badge; the three reasons (met or not) show on hover and keyboard focus. The
 * bubble is fixed-positioned from the badge's rect, so table cells (overflow: hidden) and scroll
 * containers do not clip it.
 */
export function GeneralizesBadge({ leaf }: { leaf: LeafPatternRow }) {
  const id = useId();
  const [anchor, setAnchor] = useState<DOMRect | null>(null);
  const [pos, setPos] = useState<CSSProperties | null>(null);
  const bubble = useRef<HTMLSpanElement>(null);
  const reasons = generalizeReasons(leaf, useContext(PatternSettingsContext));
  const met = reasons.filter((r) => r.met).length;
  const show = (el: HTMLElement) => setAnchor(el.getBoundingClientRect());
  const hide = () => {
    setAnchor(null);
    setPos(null);
  };
  const open = anchor !== null;
  // placed once its height is known, inside the window (centred on the badge, the bubble ran past the
  // window's bottom or top edge and could not be scrolled into view: scrolling closes it)
  useLayoutEffect(() => {
    const b = bubble.current;
    if (!anchor || !b) return;
    const { left, top } = placeBubble(
      anchor,
      BUBBLE_WIDTH,
      b.offsetHeight,
      { width: window.innerWidth, height: window.innerHeight },
      'end',
    );
    setPos({ left, top });
  }, [anchor]);
  useEffect(() => {
    if (!open) return;
    // the bubble is fixed-positioned: close it when anything scrolls under it
    const close = () => {
      setAnchor(null);
      setPos(null);
    };
    window.addEventListener('scroll', close, { capture: true, passive: true });
    return () => window.removeEventListener('scroll', close, { capture: true });
  }, [open]);
  return (
    <span className="reasons-tip">
      <button
        type="button"
        className={`badge ${leaf.generalizes ? 'badge-good' : met === 2 ? 'badge-info' : 'badge-muted'} badge-btn`}
        aria-describedby={id}
        data-testid="generalizes-badge"
        onMouseEnter={(e) => show(e.currentTarget)}
        onMouseLeave={hide}
        onFocus={(e) => show(e.currentTarget)}
        onBlur={hide}
        onKeyDown={(e) => {
          // only the tooltip: inside the topic panel (<dialog>) Escape would also close the panel
          if (e.key === 'Escape' && open) {
            hide();
            e.stopPropagation();
            e.preventDefault();
          }
        }}
      >
        {leaf.generalizes ? 'Generalizes' : `${met} of 3`}
      </button>
      <span
        ref={bubble}
        role="tooltip"
        id={id}
        className="reasons-bubble"
        style={pos ?? { visibility: 'hidden' }}
        hidden={!open}
      >
        <strong>{leaf.generalizes ? 'Generalizes' : 'Does not generalize yet'}</strong>
        {reasons.map((r) => (
          <span key={r.key} className={r.met ? 'reason reason-met' : 'reason'}>
            <span aria-hidden="true">{r.met ? '✓' : '✗'}</span> {r.rule}
          </span>
        ))}
      </span>
    </span>
  );
}

/** fewer accounts than this behind a topic's spread: its inter-quartile range is not shown (one account's rate made "33% – 33%") */
const MIN_RANGE_ACCOUNTS = 3;
const SPREAD_ACCOUNTS_TITLE =
  'the median and range are over the accounts whose AI agent took part in 20 or more of the topic’s conversations per 3 months of the period';

export const leafColumns = leafHelper.columns([
  leafHelper.accessor('label', {
    header: 'Topic',
    sortFn: byNaturalText,
    cell: (i) => <LeafButton leaf={i.row.original} />,
  }),
  leafHelper.accessor('automationClass', {
    header: 'Class',
    sortFn: byNaturalText,
    cell: (i) => (
      <span className="class-name">
        <i className={`dot class-${i.getValue()}`} aria-hidden="true" /> {humanize(i.getValue())}
      </span>
    ),
  }),
  leafHelper.accessor('accounts', {
    header: 'Accounts',
    ...numericColumn,
    // accounts with 20+ conversations on the topic per 3 months: a topic can be unrealized in smaller accounts only
    cell: (i) =>
      i.getValue() === 0 ? (
        <span
          className="muted"
          title="No account has 20 or more conversations on this topic per 3 months of the period"
        >
          none with 20+
        </span>
      ) : (
        <span>
          {count(i.getValue())} <span className="muted">({pct(i.row.original.accountShare)})</span>
        </span>
      ),
  }),
  leafHelper.accessor('share', {
    header: 'Share of volume',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  leafHelper.accessor((r) => orUndefined(r.resolutionSpread?.median), {
    id: 'resolutionMedian',
    header: 'Resolution median',
    ...numericColumn,
    // the spread is over the accounts whose AI agent took part in enough of the topic's
    // conversations, often fewer than the Accounts column counts: say how many stand behind it
    cell: (i) => {
      const n = i.row.original.points.length;
      if (n === 0) return pct(i.getValue());
      return (
        <span title={SPREAD_ACCOUNTS_TITLE} data-testid="median-accounts">
          {pct(i.getValue())}{' '}
          <span className="muted small second-line">· {n === 1 ? '1 account' : `${count(n)} accounts`}</span>
        </span>
      );
    },
  }),
  leafHelper.accessor(
    (r) =>
      r.resolutionSpread && r.points.length >= MIN_RANGE_ACCOUNTS
        ? r.resolutionSpread.p75 - r.resolutionSpread.p25
        : undefined,
    {
      id: 'resolutionIqr',
      header: 'IQR (p25–p75)',
      ...numericColumn,
      sortDescFirst: false,
      cell: (i) => {
        const s = i.row.original.resolutionSpread;
        if (s && i.row.original.points.length < MIN_RANGE_ACCOUNTS)
          return (
            <span
              className="muted"
              title={`A range needs ${MIN_RANGE_ACCOUNTS} or more accounts: ${SPREAD_ACCOUNTS_TITLE}`}
            >
              —
            </span>
          );
        return s ? (
          <span className="iqr">
            {pct(s.p25)} – {pct(s.p75)}
          </span>
        ) : (
          '—'
        );
      },
    },
  ),
  leafHelper.accessor('unrealizedConversations', {
    header: 'Unrealized conv/mo',
    ...numericColumn,
    cell: (i) => <span className="num-strong">{count(i.getValue())}</span>,
  }),
  leafHelper.accessor(
    // the audience's share of the gap where the cell names a lever; a "—" row sorts last
    (r) =>
      mainLever(r)
        ? r.unrealizedByLever.audience / (r.unrealizedByLever.audience + r.unrealizedByLever.resolution)
        : undefined,
    {
      id: 'lever',
      header: 'Needs mostly',
      ...numericColumn,
      cell: (i) => {
        const main = mainLever(i.row.original);
        if (!main) return <span className="muted">—</span>;
        return (
          <span data-testid="leaf-lever">
            {main.lever === 'audience' ? 'Audience' : 'Resolution'}{' '}
            {/* a share of the gap, not a rate: "Resolution 88%" beside a resolution median read as one;
                on a line of its own, as on one the table was wider than a 1280 px screen */}
            <span className="muted small second-line">({pct(main.share)} of the gap)</span>
          </span>
        );
      },
    },
  ),
  leafHelper.accessor(
    (r) => (r.generalizes ? 4 : 0) + Number(r.common) + Number(r.proven) + Number(r.largeGap),
    {
      id: 'generalizes',
      header: 'Generalizes',
      ...numericColumn,
      cell: (i) => <GeneralizesBadge leaf={i.row.original} />,
    },
  ),
]);

export const LEAF_UI: Record<string, ColUi> = {
  label: { title: 'Taxonomy topic (leaf) and its group' },
  automationClass: {
    title: 'What resolving the topic needs: content, a data lookup, an operation, or a human',
  },
  accounts: {
    align: 'right',
    title:
      'Accounts with at least 20 conversations on the topic per 3 months of the period — 40 over 6 months, 80 over 12 — and their share of all accounts',
  },
  share: { align: 'right', title: 'The topic’s share of all conversations in the period' },
  resolutionMedian: {
    align: 'right',
    title: `Median over accounts (≥ 20 AI-involved conversations on the topic per 3 months of the period) of the topic’s resolution rate. ${DEFINITIONS.resolutionRate}`,
  },
  resolutionIqr: {
    align: 'right',
    title: 'Middle half of accounts: 25th to 75th percentile of the topic’s resolution rate across accounts',
  },
  unrealizedConversations: {
    align: 'right',
    title:
      'Σ over accounts of the topic’s gap in conversations per month: what would be automated if every account reached the achievable level on it',
  },
  lever: {
    align: 'right',
    title:
      'What limits the accounts on this topic, weighted by their unrealized conversations: Audience — the AI agent takes part in too few of the topic’s conversations (widen its audience or channels); Resolution — it resolves too few of those it handles (content, a data connector or a procedure, by the topic’s class). Sorted by the audience share.',
  },
  generalizes: {
    align: 'right',
    title:
      'Common, proven (several accounts already resolve it well) and with a large total gap: worth building into the product',
  },
};

// ---------- fixes (intervention lifts, one row per kind) ----------
const liftHelper = createColumnHelper<SmallF, InterventionLiftRow>();
function LiftToggle({ row }: { row: InterventionLiftRow }) {
  const { expanded, toggle } = useContext(LiftToggleContext);
  const key = liftKey(row);
  const open = expanded.has(key);
  return (
    <button
      type="button"
      className="linkish leaf-btn lift-btn"
      aria-expanded={open}
      onClick={() => toggle(key)}
      title={liftSentence(row)}
      data-lift={key}
      data-testid="lift-toggle"
    >
      <span className="lift-title">
        <svg className="chevron" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
          <path d="M3 1.5L6.5 5 3 8.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        </svg>
        <span className={`badge badge-kind kind-${row.kind}`}>{KIND_LABELS[row.kind]}</span>
      </span>
    </button>
  );
}

const LIFT_CLASS = { up: 'lift lift-up', down: 'lift lift-down', unclear: 'lift', none: 'lift' } as const;
const skippedCount = (r: InterventionLiftRow) => Object.values(r.skipped).reduce((a, b) => a + (b ?? 0), 0);

export const liftColumns = liftHelper.columns([
  liftHelper.accessor((r) => KIND_LABELS[r.kind], {
    id: 'fix',
    header: 'Kind of fix',
    sortFn: byNaturalText,
    cell: (i) => <LiftToggle row={i.row.original} />,
  }),
  liftHelper.accessor('n', {
    header: 'n',
    ...numericColumn,
    cell: (i) => (
      <span data-testid="lift-n">
        {count(i.getValue())} <span className="muted small">({count(i.row.original.accounts)} acc.)</span>
      </span>
    ),
  }),
  liftHelper.accessor((r) => orUndefined(r.lift), {
    id: 'lift',
    header: 'Lift on the topic',
    ...numericColumn,
    cell: (i) =>
      i.row.original.n === 0 ? (
        <span className="muted">—</span>
      ) : (
        <span
          className={LIFT_CLASS[liftTone(i.row.original)]}
          data-testid="lift-value"
          title={
            liftTone(i.row.original) === 'unclear'
              ? i.row.original.accounts < 2
                ? 'Measured on one account only: how the fix does elsewhere is not known yet'
                : 'Its interval includes 0: not told apart from no effect yet'
              : undefined
          }
        >
          {points(i.getValue())}
          {liftTone(i.row.original) === 'unclear' && <span className="muted small"> (unclear)</span>}
        </span>
      ),
  }),
  liftHelper.accessor((r) => (r.high === null || r.low === null ? undefined : r.high - r.low), {
    id: 'interval',
    header: 'Interval',
    ...numericColumn,
    sortDescFirst: false,
    cell: (i) => {
      const r = i.row.original;
      if (r.n === 0) return <span className="muted">—</span>;
      return (
        <span className="iqr" data-testid="lift-interval">
          {points(r.low)} … {points(r.high)}
        </span>
      );
    },
  }),
  liftHelper.accessor((r) => orUndefined(r.placebo?.lift), {
    id: 'placebo',
    header: 'Placebo',
    ...numericColumn,
    cell: (i) => {
      const p = i.row.original.placebo;
      if (!p) return <span className="muted">—</span>;
      return (
        <span data-testid="lift-placebo" title={`n = ${p.n}`}>
          {points(p.lift)}{' '}
          <span className="muted small">
            [{points(p.low)} … {points(p.high)}]
          </span>
          {placeboOffZero(p) && (
            <span
              className="badge badge-warn"
              title="The placebo’s interval leaves 0 out: the estimator found a change where no fix was made, so this kind’s lift may be off by about as much"
            >
              off 0
            </span>
          )}
        </span>
      );
    },
  }),
  liftHelper.accessor(skippedCount, {
    id: 'skipped',
    header: 'Not measured',
    ...numericColumn,
    cell: (i) => {
      const r = i.row.original;
      const reasons = Object.entries(r.skipped)
        .map(([why, n]) => `${SKIP_LABELS[why as keyof typeof SKIP_LABELS] ?? why}: ${n}`)
        .join(', ');
      return <span title={reasons || 'every fix of this kind was measured'}>{count(i.getValue())}</span>;
    },
  }),
]);

const SKIP_LABELS = {
  window: 'not enough complete months after it yet',
  data_start: 'too few months of data before it',
  go_live: 'AI not live long enough before it',
  overlap: 'another fix on the topic too close',
  volume: 'too few conversations on the topic',
  controls: 'too few matched controls',
  pre_trend: 'pre-trend diverged from its controls',
  repeat: 'a repeat on a topic where its first fix of the kind is the one measured',
  account_wide: 'logged for the whole account, with no topic to measure it on',
} as const;

export const LIFT_UI: Record<string, ColUi> = {
  fix: { title: 'The kind of fix; open a row for the fixes behind its lift' },
  n: { align: 'right', title: 'Fixes counted (and the distinct accounts that made them)' },
  lift: {
    align: 'right',
    title:
      'Mean lift in the automation rate of the topic the fix was made on, against matched controls (points; large topics weigh more)',
  },
  interval: { align: 'right', title: 'Bootstrap interval over the treated accounts' },
  placebo: {
    align: 'right',
    title: 'The same estimator on untreated accounts at the same dates: should sit near 0',
  },
  skipped: { align: 'right', title: 'Fixes of this kind that could not be measured (hover for why)' },
};
