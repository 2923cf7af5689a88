import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'wouter';
import { ApiError } from '../../api/client.ts';
import { patternsQuery } from '../../api/queries.ts';
import type { InterventionLiftRow, LeafPatternRow, PatternsResponse } from '../../api/server-types.ts';
import { boxPoints, boxScatterOption } from '../../charts/boxScatter.ts';
import { Chart } from '../../components/Chart.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { Drawer } from '../../components/Drawer.tsx';
import { InfoTip } from '../../components/InfoTip.tsx';
import { EmptyState, ErrorState, QueryState } from '../../components/QueryState.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, humanize, monthLabel, monthSpanLabel, pct, points, verticalLabel } from '../../lib/format.ts';
import { scrollBehavior } from '../../lib/motion.ts';
import { withSortParams } from '../../lib/tableSort.ts';
import { NARROW, useMediaQuery } from '../../lib/useMediaQuery.ts';
import { usePageTitle } from '../../lib/usePageTitle.ts';
import {
  GeneralizesBadge,
  LEAF_UI,
  LIFT_UI,
  LiftToggleContext,
  leafColumns,
  liftColumns,
  PatternSettingsContext,
  PickLeafContext,
} from './columns.tsx';
import {
  controlChange,
  DEFAULT_PERIOD,
  DEFAULT_VERTICAL,
  generalizeSummary,
  generalizesHelp,
  KIND_LABELS,
  leafBoxItems,
  liftBoxItems,
  liftChartRows,
  liftKey,
  liftSentence,
  type PatternsState,
  parsePatternsState,
  patternsHeadline,
  placeboOffZero,
  SPREAD_CHART_LEAVES,
  serializePatternsState,
  spreadChartLeaves,
  strongestFindings,
  topicFixes,
} from './patternsState.ts';

/** An account's page, opened at the topic the click came from (its drawer of examples and figures). */
const accountHref = (id: string, leaf?: string) =>
  `/accounts/${encodeURIComponent(id)}${leaf ? `?leaf=${encodeURIComponent(leaf)}` : ''}`;

function usePatternsState() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parsePatternsState(params), [params]);
  const set = useCallback(
    (next: PatternsState, { push = false } = {}) =>
      setParams((prev) => withSortParams(serializePatternsState(next), prev, ['sort', 'liftSort']), {
        replace: !push,
      }),
    [setParams],
  );
  return [state, set] as const;
}

export default function PatternsView() {
  const [state, setState] = usePatternsState();
  const query = useQuery({
    ...patternsQuery(state.vertical, state.period),
    placeholderData: keepPreviousData,
  });

  usePageTitle('Patterns');

  // filters are history entries, as on the Accounts page: Back returns to the previous filter
  const reset = () =>
    setState({ vertical: DEFAULT_VERTICAL, period: DEFAULT_PERIOD, leaf: null }, { push: true });

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Patterns</h1>
          <p className="page-sub">
            What holds across accounts: which topics are common, proven and worth building in, and which fixes
            worked everywhere they were tried. <a href="#lifts-h">What fixes worked ↓</a>
          </p>
        </div>
      </header>
      <QueryState
        query={query}
        loadingLabel="Loading patterns"
        errorTitle="Could not load patterns"
        minHeight={420}
        renderError={(error) =>
          error instanceof ApiError && error.status === 400 ? (
            <div className="card">
              <ErrorState error={error} title="These filters are not available" />
              <p className="center">
                <button type="button" className="btn btn-primary" onClick={reset}>
                  Reset filters
                </button>
              </p>
            </div>
          ) : null
        }
      >
        {(data) => (
          <Patterns
            data={data}
            state={state}
            setState={setState}
            updating={query.isPlaceholderData && query.isFetching}
          />
        )}
      </QueryState>
    </div>
  );
}

function Patterns({
  data,
  state,
  setState,
  updating,
}: {
  data: PatternsResponse;
  state: PatternsState;
  setState: (s: PatternsState, o?: { push?: boolean }) => void;
  updating: boolean;
}) {
  const head = useMemo(() => patternsHeadline(data.leaves), [data.leaves]);
  const openLeaf = useCallback(
    (taxonomyId: string) => setState({ ...state, leaf: taxonomyId }, { push: true }),
    [state, setState],
  );
  const closeLeaf = useCallback(() => setState({ ...state, leaf: null }), [state, setState]);
  const leaf = state.leaf ? data.leaves.find((l) => l.taxonomyId === state.leaf) : undefined;

  return (
    <PickLeafContext.Provider value={openLeaf}>
      <PatternSettingsContext.Provider value={data.settings}>
        <section className="card filters-card" aria-label="Filters">
          {/* biome-ignore lint/a11y/useSemanticElements: <search> is no landmark before Firefox 118 and Safari 17 (tests/browser-support.test.ts) */}
          <div className="toolbar toolbar-flat" role="search">
            <Select
              id="p-vertical"
              label="Vertical"
              value={state.vertical}
              defaultValue={DEFAULT_VERTICAL}
              onChange={(v) => setState({ ...state, vertical: v, leaf: null }, { push: true })}
              options={(data.verticals.length ? data.verticals : [DEFAULT_VERTICAL]).map((v) => [
                v,
                v === 'all' ? 'All verticals' : verticalLabel(v),
              ])}
            />
            <Select
              id="p-period"
              label="Period"
              value={String(state.period)}
              defaultValue={String(DEFAULT_PERIOD)}
              onChange={(v) => setState({ ...state, period: Number(v), leaf: null }, { push: true })}
              options={(data.periods.length ? data.periods : [DEFAULT_PERIOD]).map((p) => [
                String(p),
                `${p} months`,
              ])}
            />
            <div className="toolbar-end">
              <span className="result-count" aria-live="polite" data-testid="patterns-scope">
                {updating
                  ? 'Updating…'
                  : data.from
                    ? `${monthSpanLabel(data.from, data.to)} · ${count(data.accountsInScope)} accounts`
                    : 'No data in this period'}
              </span>
            </div>
          </div>
        </section>

        {data.leaves.length === 0 ? (
          <div className="card">
            <EmptyState title="No topics in this period" minHeight={240}>
              No customer account has classified conversations for these filters. Try another vertical or a
              longer period.
            </EmptyState>
          </div>
        ) : (
          <>
            <section className="kpis kpis-headline" aria-label="Headline">
              <div className="kpi">
                <div className="kpi-label">
                  Topics that generalize{' '}
                  <InfoTip label="Generalizes" text={generalizesHelp(data.settings)} align="start" />
                </div>
                <div className="kpi-value" data-testid="headline-generalizing">
                  {count(head.generalizing)}
                  <span className="kpi-of"> / {count(head.leaves)}</span>
                </div>
                <div className="kpi-foot">topics, {count(head.conversations)} conversations</div>
              </div>
              <div className="kpi">
                <div className="kpi-label">
                  Unrealized conversations / month{' '}
                  <InfoTip
                    label="Unrealized conversations"
                    text={`Σ over topics and accounts of the gap in conversations per month, over the ${state.period} months chosen above: each account's achievable automation on a topic minus its rate there in those months. The Accounts page measures the gap over the last 3 months, so the two agree when 3 months are chosen (an account whose AI agent went live inside them is read from its first full month live on both).`}
                  />
                </div>
                <div className="kpi-value" data-testid="headline-unrealized">
                  {count(head.unrealizedConversations)}
                </div>
                <div className="kpi-foot">
                  {state.period === 3
                    ? 'over the last 3 months, automatable if every account reached its achievable level'
                    : // a longer period averages gaps some accounts have since closed: not what is left now
                      `a month on average over ${data.from ? monthSpanLabel(data.from, data.to) : `the ${state.period} months`} (gaps since closed included); what is left now: the 3-month period, as on the Accounts page`}
                </div>
              </div>
              <div className="kpi">
                <div className="kpi-label">Largest unrealized topic</div>
                <div className="kpi-value kpi-value-text" data-testid="headline-top">
                  {head.top ? (
                    <button
                      type="button"
                      className="linkish"
                      onClick={() => head.top && openLeaf(head.top.taxonomyId)}
                    >
                      {head.top.label}
                    </button>
                  ) : (
                    '—'
                  )}
                </div>
                <div className="kpi-foot">
                  {head.top
                    ? // the unrealized conversations are those of every account in view with the topic; the count is of those with
                      // a steady volume on it (the Accounts column): said apart, so one does not read as the other's
                      `${count(head.top.unrealizedConversations)} conv/month over every account with it · ${count(head.top.accounts)} with 20+ a quarter`
                    : ''}
                </div>
              </div>
            </section>

            <TopicsSection data={data} onPickLeaf={openLeaf} />
            <LiftsSection
              lifts={data.lifts}
              method={data.liftMethod}
              period={state.period}
              allVerticals={state.vertical === DEFAULT_VERTICAL}
            />
          </>
        )}

        <Drawer
          open={leaf != null}
          onClose={closeLeaf}
          title={leaf?.label ?? ''}
          subtitle={
            leaf && (
              <>
                {leaf.group} · {humanize(leaf.automationClass)} · {count(leaf.accounts)} accounts (
                {pct(leaf.accountShare)}) · {pct(leaf.share)} of volume
              </>
            )
          }
        >
          {leaf && <LeafAccounts leaf={leaf} lifts={data.lifts} />}
        </Drawer>
      </PatternSettingsContext.Provider>
    </PickLeafContext.Provider>
  );
}

function TopicsSection({ data, onPickLeaf }: { data: PatternsResponse; onPickLeaf: (id: string) => void }) {
  const [, navigate] = useLocation();
  const narrow = useMediaQuery(NARROW);
  const chartLeaves = useMemo(() => spreadChartLeaves(data.leaves), [data.leaves]);
  const items = useMemo(() => leafBoxItems(chartLeaves), [chartLeaves]);
  const dots = useMemo(() => boxPoints(items), [items]);
  const option = useMemo(
    () => boxScatterOption(items, { kind: 'rate', axisName: 'Resolution rate per account (%)', narrow }),
    [items, narrow],
  );
  return (
    <section className="card" aria-labelledby="topics-h">
      <div className="card-head">
        <h2 id="topics-h">Topics across accounts</h2>
        <span className="muted small">
          {count(data.leaves.length)} topics · click a topic for its accounts
        </span>
      </div>
      <h3 className="h3">Resolution spread across accounts</h3>
      {items.length > 0 && (
        <p className="muted small chart-note">
          The {Math.min(SPREAD_CHART_LEAVES, chartLeaves.length)} topics with the most unrealized
          conversations. Box: middle half of accounts, line: median, whiskers: lowest and highest; each dot is
          an account (hover for its name, click to open it).
        </p>
      )}
      {items.length ? (
        <Chart
          option={option}
          height={Math.max(200, items.length * (narrow ? 30 : 34) + 60)}
          testId="spread-chart"
          onClick={(e) => {
            if (e.seriesIndex === 1) {
              const d = dots[e.dataIndex];
              if (d) navigate(accountHref(d.key, chartLeaves[d.item]?.taxonomyId));
            } else {
              const l = chartLeaves[e.dataIndex];
              if (l) onPickLeaf(l.taxonomyId);
            }
          }}
        />
      ) : (
        <EmptyState title="No spread to show">
          No topic has enough AI-involved conversations in 1+ accounts.
        </EmptyState>
      )}
      <h3 className="h3 section-gap">Every topic</h3>
      <DataTable
        testId="patterns-leaf-table"
        sortParam="sort"
        caption="Topics across accounts: class, accounts, share of volume, resolution median and IQR, unrealized conversations per month, generalizes"
        columns={leafColumns}
        data={data.leaves}
        ui={LEAF_UI}
        initialSort={[{ id: 'unrealizedConversations', desc: true }]}
        getRowId={(r) => r.taxonomyId}
        onRowActivate={(r) => onPickLeaf(r.taxonomyId)}
      />
    </section>
  );
}

function LeafAccounts({ leaf, lifts }: { leaf: LeafPatternRow; lifts: readonly InterventionLiftRow[] }) {
  const rows = useMemo(() => [...leaf.points].sort((a, b) => b.conversations - a.conversations), [leaf]);
  const fixes = useMemo(() => topicFixes(lifts, leaf.taxonomyId), [lifts, leaf.taxonomyId]);
  const s = leaf.resolutionSpread;
  return (
    <div className="leaf-accounts" data-testid="leaf-accounts">
      {fixes.length > 0 && (
        // what was tried on this very topic: the evidence a PM weighs before building it in
        <div data-testid="leaf-fixes">
          <h3 className="h3">Fixes measured on this topic</h3>
          <ul className="small">
            {fixes.map((f) => (
              <li key={`${f.kind}:${f.accountId}:${f.date}`}>
                <strong>{KIND_LABELS[f.kind]}</strong> at{' '}
                <Link href={accountHref(f.accountId, leaf.taxonomyId)}>{f.name}</Link> ({monthLabel(f.month)}
                ): automation {pct(f.before)} → {pct(f.after)} on {count(f.conversationsBefore)} →{' '}
                {count(f.conversationsAfter)} conversations, {points(f.lift)} against matched accounts
              </li>
            ))}
          </ul>
        </div>
      )}
      <dl className="stat-row">
        <div>
          <dt>Resolution median</dt>
          <dd>{pct(s?.median)}</dd>
        </div>
        <div>
          <dt>Middle half</dt>
          <dd>{s ? `${pct(s.p25)} – ${pct(s.p75)}` : '—'}</dd>
        </div>
        <div>
          <dt>Unrealized</dt>
          <dd>{count(leaf.unrealizedConversations)} conv/mo</dd>
        </div>
        <div>
          <dt>Generalizes</dt>
          <dd>
            <GeneralizesBadge leaf={leaf} />
          </dd>
        </div>
      </dl>
      <p className="muted small">{generalizeSummary(leaf)}.</p>
      {rows.length === 0 ? (
        <EmptyState title="No account with enough volume">
          No account has 20 or more AI-involved conversations on this topic per 3 months of the period.
        </EmptyState>
      ) : (
        <>
          <p className="muted small">
            {count(rows.length)} accounts with ≥ 20 AI-involved conversations on this topic per 3 months, most
            conversations first{s ? `; ↓ below the median (${pct(s.median)})` : ''}.
          </p>
          <div className="table-scroll table-scroll-auto">
            <table className="data-table">
              <caption className="sr-only">Accounts behind {leaf.label}</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col" className="num" title={DEFINITIONS.resolutionRate}>
                    Resolution
                  </th>
                  {/* the period's total, beside "Unrealized … conv/mo" above: said in the header, not only on hover */}
                  <th scope="col" className="num" title="Conversations on this topic in the period">
                    Conversations in the period
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.accountId}>
                    <th scope="row">
                      <Link href={accountHref(p.accountId, leaf.taxonomyId)} className="row-link">
                        {p.name}
                      </Link>
                    </th>
                    <td className="num">
                      <span className="vs">
                        <span className={s && p.resolutionRate < s.median ? 'vs-cur vs-below' : 'vs-cur'}>
                          {pct(p.resolutionRate)}
                          {s && p.resolutionRate < s.median && (
                            <>
                              <span aria-hidden="true"> ↓</span>
                              <span className="sr-only"> (below the median)</span>
                            </>
                          )}
                        </span>
                      </span>
                    </td>
                    <td className="num">{count(p.conversations)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

function LiftsSection({
  lifts,
  method,
  period,
  allVerticals,
}: {
  lifts: InterventionLiftRow[];
  method: string;
  /** the months and vertical chosen above: the advice for an empty table depends on them */
  period: number;
  allVerticals: boolean;
}) {
  const [, navigate] = useLocation();
  const narrow = useMediaQuery(NARROW);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const tableRef = useRef<HTMLDivElement>(null);
  const toggle = useCallback(
    (key: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      }),
    [],
  );
  const ctx = useMemo(() => ({ expanded, toggle }), [expanded, toggle]);
  const chartRows = useMemo(() => liftChartRows(lifts), [lifts]);
  const items = useMemo(() => liftBoxItems(chartRows), [chartRows]);
  const dots = useMemo(() => boxPoints(items), [items]);
  const option = useMemo(
    () =>
      boxScatterOption(items, {
        kind: 'lift',
        // a phone's chart is ~200 px wide: the long name was cut at both ends (".ift in the topic’s…")
        axisName: narrow
          ? 'Lift vs controls (pts)'
          : 'Lift in the topic’s automation rate vs matched controls (pts)',
        narrow,
        medianLabels: true,
        labelWidth: 160,
      }),
    [items, narrow],
  );
  const findings = useMemo(() => strongestFindings(lifts), [lifts]);
  const measured = lifts.some((r) => r.n > 0);

  const openFromChart = (key: string) => {
    setExpanded((prev) => new Set(prev).add(key));
    requestAnimationFrame(() => {
      const el = tableRef.current?.querySelector<HTMLElement>(`[data-lift="${CSS.escape(key)}"]`);
      el?.scrollIntoView({ block: 'center', behavior: scrollBehavior() });
      el?.focus({ preventScroll: true });
    });
  };

  return (
    <section className="card" aria-labelledby="lifts-h">
      <div className="card-head">
        <h2 id="lifts-h">What fixes worked</h2>
        <span className="muted small">
          lift = change on the fixed topic − change in matched accounts without that fix, same topic, same
          months
        </span>
      </div>
      <details className="small method" data-testid="lift-method">
        <summary>How lifts are measured</summary>
        <p>{method}</p>
      </details>
      {lifts.length === 0 ? (
        <EmptyState title="No measured fixes">No intervention on a topic in this period.</EmptyState>
      ) : (
        <LiftToggleContext.Provider value={ctx}>
          {findings.length > 0 && (
            <ul className="findings" aria-label="Strongest findings">
              {findings.map((r) => (
                <li key={liftKey(r)}>
                  <button type="button" className="linkish" onClick={() => openFromChart(liftKey(r))}>
                    {liftSentence(r)}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {!measured && (
            <p className="small" role="note" data-testid="lifts-none-measured">
              No fix in this period could be measured: a lift needs complete months before and after each fix
              and matched accounts without it.{' '}
              {period < 12
                ? `Choose a longer period (${period < 6 ? '6 or 12' : '12'} months) to see them.`
                : allVerticals
                  ? ''
                  : 'Over 12 months no fix in this vertical had enough of both: all verticals together may.'}
            </p>
          )}
          {measured && (
            <>
              <h3 className="h3">Lift per fix, by kind</h3>
              <p className="muted small chart-note">
                Box: middle half of the measured fixes, line: their median; each dot is a fix (click to open
                its account). The figure at the right is the kind’s pooled lift (its fixes’ mean, each
                weighted by how precisely it was measured), as in the findings and the table below, with its
                interval there; “?” marks a lift the table calls unclear.
              </p>
              <Chart
                option={option}
                height={Math.max(200, items.length * (narrow ? 30 : 34) + 60)}
                testId="lift-chart"
                onClick={(e) => {
                  if (e.seriesIndex === 1) {
                    const d = dots[e.dataIndex];
                    if (d) navigate(accountHref(d.key, d.taxonomyId));
                  } else {
                    const r = chartRows[e.dataIndex];
                    if (r) openFromChart(liftKey(r));
                  }
                }}
              />
            </>
          )}
          <h3 className="h3 section-gap">Every kind of fix</h3>
          <div ref={tableRef}>
            <DataTable
              testId="lift-table"
              sortParam="liftSort"
              caption="Measured lift per kind of fix: n, mean lift, interval, placebo, fixes not measured"
              columns={liftColumns}
              data={lifts}
              ui={LIFT_UI}
              initialSort={[{ id: 'n', desc: true }]}
              getRowId={liftKey}
              onRowActivate={(r) => toggle(liftKey(r))}
              expanded={expanded}
              renderDetail={(r) => <LiftAccounts row={r} />}
            />
          </div>
        </LiftToggleContext.Provider>
      )}
    </section>
  );
}

function LiftAccounts({ row }: { row: InterventionLiftRow }) {
  return (
    <div className="lift-detail" data-testid="lift-accounts" data-lift-detail={liftKey(row)}>
      <p className="small">
        <strong>{liftSentence(row)}.</strong>{' '}
        {row.placeboShifted
          ? `Placebo ${row.placeboShifted.n === 1 ? 'at a fake date' : 'at fake dates'} before the real ones: ${points(row.placeboShifted.lift)} [${points(row.placeboShifted.low)} … ${points(row.placeboShifted.high)}] (n = ${count(row.placeboShifted.n)})${placeboOffZero(row.placeboShifted) ? ': its interval leaves 0 out, so this lift may be off by about as much' : ''}.`
          : ''}
      </p>
      <table className="data-table lift-accounts">
        <caption className="sr-only">Fixes behind this lift</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Topic</th>
            <th scope="col">Fix month</th>
            <th
              scope="col"
              className="num"
              title="The topic’s automation rate, months before → months after, and the conversations on the topic each is measured over"
            >
              Automation before → after (conversations)
            </th>
            <th
              scope="col"
              className="num"
              title="The same topic’s automation rate in the matched controls (their mean), same months, and its change; controls are the accounts of the vertical nearest in starting rate"
            >
              Controls (change)
            </th>
            <th scope="col" className="num" title="(after − before) − control change">
              Lift
            </th>
            <th scope="col" title="Treated vs controls across the months before the fix">
              Pre-trend
            </th>
          </tr>
        </thead>
        <tbody>
          {row.events.map((l) => (
            <tr
              key={`${l.accountId}-${l.taxonomyId}-${l.month}`}
              className={l.included ? undefined : 'muted'}
            >
              <th scope="row">
                <Link href={accountHref(l.accountId, l.taxonomyId)} className="row-link">
                  {l.name}
                </Link>
              </th>
              <td>{l.label}</td>
              <td>{monthLabel(l.month, true)}</td>
              <td className="num">
                {pct(l.before)} → {pct(l.after)}{' '}
                <span className="muted small">
                  ({count(l.conversationsBefore)} → {count(l.conversationsAfter)})
                </span>
              </td>
              <td className="num" title={`${l.controls.length} matched controls`}>
                {/* their level too: a control far from the treated account's start is a weaker match */}
                {pct(l.controlBefore)} → {pct(l.controlAfter)}{' '}
                <span className="muted small">({points(controlChange(l))})</span>
              </td>
              <td className="num">
                <span className={l.lift > 0 ? 'lift lift-up' : 'lift lift-down'}>{points(l.lift)}</span>
              </td>
              <td title={l.preTrend === null ? undefined : `allowed ±${points(l.preTrendLimit)}`}>
                {l.preTrend === null
                  ? 'not checkable (under two before-months with conversations)'
                  : l.included
                    ? `ok (${points(l.preTrend)})`
                    : `diverged (${points(l.preTrend)}), not counted`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Select({
  id,
  label,
  value,
  onChange,
  options,
  defaultValue,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
  defaultValue: string;
}) {
  const known = options.some(([v]) => v === value);
  return (
    <div className={`field field-select${value !== defaultValue ? ' is-set' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {!known && <option value={value}>{value}</option>}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
