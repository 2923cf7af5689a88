import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useLocation, useSearchParams } from 'wouter';
import { modelQuery } from '../../api/queries.ts';
import type { ModelResponse } from '../../api/server-types.ts';
import { calibrationOption, calibrationSeries, type Horizon } from '../../charts/calibration.ts';
import { Chart } from '../../components/Chart.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { InfoTip } from '../../components/InfoTip.tsx';
import { KpiTile } from '../../components/KpiTile.tsx';
import { EmptyState, QueryState } from '../../components/QueryState.tsx';
import { count, monthLabel, pct, points } from '../../lib/format.ts';
import { withSortParams } from '../../lib/tableSort.ts';
import { NARROW, useMediaQuery } from '../../lib/useMediaQuery.ts';
import { usePageTitle } from '../../lib/usePageTitle.ts';
import { ERROR_UI, errorColumns, MISS_UI, type MissRow, missColumns } from './columns.tsx';
import { ForecastSection } from './ForecastSection.tsx';
import {
  actedRows,
  backtestScope,
  biasWords,
  ceilingFoot,
  headlinePass,
  missesNote,
  parseHorizon,
  serializeHorizon,
  verticalRows,
} from './modelState.ts';

export default function ModelView() {
  const query = useQuery(modelQuery());
  usePageTitle('Model');
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Potential model</h1>
          <p className="page-sub">
            How far to trust the automation potential: what the model predicted, against what accounts reached
            3 and 6 months later.
          </p>
        </div>
      </header>
      <QueryState
        query={query}
        loadingLabel="Loading the backtest"
        errorTitle="Could not load the model backtest"
        minHeight={420}
      >
        {(m) => <Model model={m} />}
      </QueryState>
    </div>
  );
}

/** the tables' sorts, kept in the URL beside the horizon */
const MODEL_SORT_PARAMS = ['verticalSort', 'actedSort', 'missSort'];

function useHorizon(): [Horizon, (h: Horizon) => void] {
  const [params, setParams] = useSearchParams();
  const h = useMemo(() => parseHorizon(params), [params]);
  const set = useCallback(
    (next: Horizon) =>
      setParams((prev) => withSortParams(serializeHorizon(next), prev, MODEL_SORT_PARAMS), { replace: true }),
    [setParams],
  );
  return [h, set];
}

function Model({ model: m }: { model: ModelResponse }) {
  const [horizon, setHorizon] = useHorizon();
  const [, navigate] = useLocation();
  const narrow = useMediaQuery(NARROW);
  const scope = useMemo(() => backtestScope(m, horizon), [m, horizon]);
  const series = useMemo(() => calibrationSeries(m.points, horizon), [m.points, horizon]);
  const option = useMemo(() => calibrationOption(m.points, { horizon, narrow }), [m.points, horizon, narrow]);
  const verticals = useMemo(() => verticalRows(m), [m]);
  const acted = useMemo(() => actedRows(m), [m]);

  if (m.points.length === 0)
    return (
      <>
        <div className="card">
          <EmptyState title="No backtest yet" minHeight={200}>
            The history is too short: a prediction needs 3 months of data up to a month M and then the
            automation rate reached 3 or 6 months later. Load a longer export and rerun the pipeline.
          </EmptyState>
        </div>
        <Method text={m.method} />
      </>
    );

  return (
    <>
      <section className="kpis kpis-model" aria-label="Backtest error">
        <KpiTile
          testId="tile-exceeded"
          label="Passed the ceiling within 6 months"
          def="The potential is a ceiling (what peer accounts show is possible), not a forecast. Share of account-months whose automation rate over any 3 months in a row within the next 6 (each with 50+ conversations, observed so far) went above the potential predicted at M: a good ceiling is rarely passed (10% or less). The potential is a 3-month rate, so it is read over 3 months; the foot also gives any single month, whose sampling noise alone can pass a ceiling an account does not truly reach."
          value={pct(headlinePass(m.ceiling).exceeded)}
          foot={ceilingFoot(m.ceiling)}
        />
        <KpiTile
          testId="tile-headroom"
          label="Headroom left at M+6"
          def="Mean of (potential predicted at M − automation rate reached 6 months later), in points: how much of the ceiling accounts had not yet realized. Not an error: reaching the ceiling takes the actions on the Account page."
          value={points(m.ceiling.headroom6, { signed: false })}
          foot={`distance to what was reached (MAE): ${points(m.overall.h6.mae, { signed: false })}`}
        />
        {/* The tiles stay on fixed horizons (the toggle below is the chart's): the bias at M+6 is the
            headroom beside it with its sign, so the bias tile shows M+3, with M+6 in its foot. */}
        <KpiTile
          testId="tile-bias"
          label="Bias at M+3"
          def="Mean of (reached − predicted) in points: negative means accounts reached less than the predicted potential, as they should below a ceiling. At M+6 it is the headroom beside it with its sign."
          value={points(m.overall.h3.bias)}
          foot={`${biasWords(m.overall.h3.bias)} · M+6: ${points(m.overall.h6.bias)}`}
        />
        <KpiTile
          testId="tile-coverage"
          label="Within the range at M+6"
          def="The range is what peers show possible on each of the account’s topics (their 50th to 90th percentile). Share of predictions whose automation rate 6 months later fell inside it. Below it is what a ceiling expects of an account that has not yet closed its gaps; above it, the ceiling was set too low."
          value={pct(m.overall.h6.coverage)}
          foot={`below it ${pct(m.overall.h6.below)} (gaps not yet closed) · above it ${pct(m.overall.h6.above)} · M+3: ${pct(m.overall.h3.coverage)} within`}
        />
      </section>

      {m.fixedLeaves && m.fixedLeaves.n > 0 && (
        <p className="card muted small model-fixes" data-testid="fixed-leaves">
          <strong>Topics that received a fix</strong> ({count(m.fixedLeaves.n)} fixes with 3 months of data
          after): their automation rate over those 3 months was {points(m.fixedLeaves.mae, { signed: false })}{' '}
          from the achievable level predicted the month before the fix on average (
          {points(m.fixedLeaves.bias)} bias), and {pct(m.fixedLeaves.passed)} went above it.
          {/* the account's potential is judged a ceiling; a single topic's level is not one, and says so */}
          {(m.fixedLeaves.passed ?? 0) > 0.1 &&
            ` A topic’s achievable level is a typical good level, not a ceiling: a fixed topic often passes it; the account’s potential (all its topics) was passed in ${pct(headlinePass(m.ceiling).exceeded)} of account-months${m.ceiling.sustained.n > 0 ? ' over 3 months in a row' : ''}.`}
        </p>
      )}

      {m.forecast && <ForecastSection forecast={m.forecast} />}

      <section className="card" aria-labelledby="calib-h">
        <div className="card-head">
          <h2 id="calib-h">Predicted vs achieved</h2>
          <fieldset className="segmented">
            <legend className="sr-only">Horizon</legend>
            {([3, 6] as const).map((h) => (
              <button key={h} type="button" aria-pressed={horizon === h} onClick={() => setHorizon(h)}>
                M+{h}
              </button>
            ))}
          </fieldset>
        </div>
        <p className="muted small chart-note">
          Each point is an account at a month M ({monthLabel(scope.from, true)} – {monthLabel(scope.to, true)}
          , {count(scope.accounts)} accounts): the potential predicted with data up to M (x) against the
          automation rate reached at M+{horizon} (y). On the dashed line the prediction was exact; below it
          the account reached less. {count(series.acted.length)} account-months acted on their gaps
          afterwards, {count(series.notActed.length)} did not. Click a point to open the account; from the
          keyboard, the <a href="#miss-h">largest misses</a> below link to theirs.
        </p>
        <Chart
          option={option}
          height={narrow ? 340 : 440}
          testId="calibration-chart"
          className="chart-square"
          onClick={(e) => {
            const p = (e.seriesIndex === 0 ? series.acted : e.seriesIndex === 1 ? series.notActed : [])[
              e.dataIndex
            ];
            if (p) navigate(`/accounts/${encodeURIComponent(p.accountId)}`);
          }}
        />
      </section>

      <section className="card" aria-labelledby="err-h">
        <div className="card-head">
          {/* the potential's backtest, not the forecast's (a PM read the ~15 pts as the forecast's error) */}
          <h2 id="err-h">Potential: error by vertical</h2>
          <span className="muted small">points of automation rate; bar scale 0–40 pts</span>
        </div>
        <DataTable
          testId="error-by-vertical"
          sortParam="verticalSort"
          caption="Backtest error by vertical: MAE, bias and coverage at M+3 and M+6"
          columns={errorColumns}
          data={verticals}
          ui={ERROR_UI}
          initialSort={[{ id: 'label', desc: false }]}
          getRowId={(r) => r.key}
        />
        <h3 className="h3 section-gap" aria-labelledby="acted-title">
          <span id="acted-title">Accounts that acted vs not</span>{' '}
          <InfoTip
            label="Acted"
            text="Acted: the account made at least one intervention (content, data connector, procedure, guidance, channel rollout) in the 6 months after M. Acting is what closes a gap, so their error is the fairer test of the potential."
            align="start"
          />
        </h3>
        <DataTable
          testId="error-by-acted"
          sortParam="actedSort"
          caption="Backtest error for accounts that acted on their gaps and those that did not"
          columns={errorColumns}
          data={acted}
          ui={ERROR_UI}
          initialSort={[{ id: 'label', desc: false }]}
          getRowId={(r) => r.key}
        />
      </section>

      <section className="card" aria-labelledby="miss-h">
        <div className="card-head">
          <h2 id="miss-h">Largest misses</h2>
          <span className="muted small">{missesNote(m.largestMisses)}</span>
        </div>
        <DataTable<MissRow>
          testId="largest-misses"
          sortParam="missSort"
          caption="Largest misses: account, vertical, month, horizon, predicted, reached, miss"
          columns={missColumns}
          data={m.largestMisses}
          ui={MISS_UI}
          initialSort={[{ id: 'error', desc: true }]}
          getRowId={(r) => `${r.accountId}-${r.month}-${r.horizon}`}
        />
      </section>

      <Method text={m.method} />
    </>
  );
}

function Method({ text }: { text: string }) {
  return (
    <section className="card" aria-labelledby="method-h">
      <div className="card-head">
        <h2 id="method-h">How is this calculated?</h2>
      </div>
      <p className="method" data-testid="model-method">
        {text}
      </p>
      <p className="muted small">
        The same model gives every account its potential and range on its account page (current model, last 3
        months); here it is replayed month by month with only the data known at the time.
      </p>
    </section>
  );
}
