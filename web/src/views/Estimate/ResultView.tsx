/** The estimate of one prospect: potential with its range, import report, breakdown, roadmap. */
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { Link } from 'wouter';
import type { EstimateAction, EstimateLeaf, EstimateResult } from '../../api/server-types.ts';
import { CLASS_COLORS } from '../../charts/theme.ts';
import { ActionCard } from '../../components/ActionCard.tsx';
import {
  type BreakdownLevel,
  BreakdownLevelToggle,
  breakdownChartHeight,
} from '../../components/Breakdown.tsx';
import { Chart } from '../../components/Chart.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { InfoTip } from '../../components/InfoTip.tsx';
import { EmptyState } from '../../components/QueryState.tsx';
import { count, dateLabel, dateTimeLabel, humanize, pct } from '../../lib/format.ts';
import { NARROW, useMediaQuery } from '../../lib/useMediaQuery.ts';
import { type ContributionBar, contributionOption } from './charts/contribution.ts';
import { roadmapOption, roadmapSteps } from './charts/roadmap.ts';
import { CLASS_UI, classColumns, ExpandContext, LEAF_UI, leafColumns } from './columns.tsx';
import {
  bytesLabel,
  fieldLabel,
  formatLabel,
  howLine,
  SOURCE_LABELS,
  skippedList,
  sourcesLine,
} from './estimateState.ts';
import { SampleList } from './Samples.tsx';

const MAX_LEAVES_IN_CHART = 12;
const FIRST_REJECTS = 5;

export function ResultView({
  result: r,
  saveSlot,
}: {
  result: EstimateResult;
  /** "Save as prospect" action when the result is not saved yet (only for a fresh upload) */
  saveSlot?: ReactNode;
}) {
  return (
    <div className="est-result" data-testid="estimate-result">
      <div className="est-result-top">
        <Summary r={r} saveSlot={saveSlot} />
        <ImportReportCard r={r} />
      </div>
      <section className="card" aria-labelledby="est-breakdown-h">
        <div className="card-head">
          <h2 id="est-breakdown-h">What the potential is made of</h2>
        </div>
        <Breakdown r={r} />
      </section>
      <section className="card" aria-labelledby="est-roadmap-h">
        <div className="card-head">
          <h2 id="est-roadmap-h">Roadmap: first actions</h2>
          <span className="muted small">
            ≈ {count(r.monthlyConversations)} conversations / month in the export
          </span>
        </div>
        <RoadmapSection r={r} />
      </section>
    </div>
  );
}

// ---------- summary ----------
function Summary({ r, saveSlot }: { r: EstimateResult; saveSlot?: ReactNode }) {
  const at = (x: number) => `${Math.max(0, Math.min(100, x * 100))}%`;
  const { potential: pot, potentialLow: lo, potentialHigh: hi } = r;
  return (
    <section className="card est-summary" aria-labelledby="est-result-h">
      <div className="est-summary-head">
        <div>
          <div className="eyebrow">Estimate</div>
          <h2 id="est-result-h" tabIndex={-1} className="est-result-title">
            {r.name}
          </h2>
        </div>
        <div className="est-badges">
          <span className="badge badge-info">{humanize(r.vertical)}</span>
          <span className="badge badge-muted">{formatLabel(r.report.format)}</span>
          {r.saved ? (
            <span className="badge badge-good">Saved</span>
          ) : (
            <span className="badge badge-muted">Not saved</span>
          )}
        </div>
      </div>
      <dl className="meta est-meta">
        {r.fileName && (
          <div>
            <dt>File</dt>
            <dd className="est-filename">
              {r.fileName} ({bytesLabel(r.bytes)})
            </dd>
          </div>
        )}
        <div>
          <dt>Conversations</dt>
          <dd>{count(r.conversations)}</dd>
        </div>
        <div>
          <dt>Period</dt>
          <dd>
            {dateLabel(r.from)} – {dateLabel(r.to)}
          </dd>
        </div>
        <div>
          <dt>Per month</dt>
          <dd>≈ {count(r.monthlyConversations)}</dd>
        </div>
      </dl>

      <div className="est-potential">
        <div>
          <div className="eyebrow">
            Predicted automation potential{' '}
            <InfoTip
              label="Predicted automation potential"
              text="Share of the prospect’s conversations an AI agent is expected to resolve, from how comparable customers perform on the same topics."
              align="start"
            />
          </div>
          <div className="big-num big-num-potential" data-testid="estimate-potential">
            {pct(pot)}
          </div>
          <div className="est-range" data-testid="estimate-range">
            range <strong>{pct(lo)}</strong> – <strong>{pct(hi)}</strong>
          </div>
        </div>
        <div className="est-potential-side">
          <div>
            <div className="eyebrow">Automated / month</div>
            <div className="est-mid-num">≈ {count(r.expectedConversations)}</div>
            <div className="muted small">of ≈ {count(r.monthlyConversations)} conversations</div>
          </div>
          <div>
            <div className="eyebrow">
              Classification confidence{' '}
              <InfoTip
                label="Classification confidence"
                text="Mean confidence with which the export’s conversations were assigned a topic; lower confidence widens the range."
                align="end"
              />
            </div>
            <div className="est-mid-num">{pct(r.confidence)}</div>
          </div>
        </div>
      </div>
      {pot != null && (
        <div
          className="range-track est-track"
          role="img"
          aria-label={`Potential ${pct(pot)}, range ${pct(lo)} to ${pct(hi)}, on a 0 to 100% scale`}
        >
          {lo != null && hi != null && (
            <div className="range-band" style={{ left: at(lo), width: `calc(${at(hi)} - ${at(lo)})` }} />
          )}
          <div className="range-mark range-mark-pot" style={{ left: at(pot) }} />
          <div className="range-scale" aria-hidden="true">
            <span>0%</span>
            <span>50%</span>
            <span>100%</span>
          </div>
        </div>
      )}
      <p className="est-how" data-testid="estimate-how">
        <strong>How: </strong>
        {howLine(r)}
      </p>
      <details className="how">
        <summary>How is this calculated?</summary>
        <div className="how-body">
          <p>{r.method}</p>
          {sourcesLine(r.benchmark.sources) && <p>{sourcesLine(r.benchmark.sources)}</p>}
          <p className="muted">
            Computed {dateTimeLabel(r.createdAt)} in {count(r.elapsedMs)} ms.
          </p>
        </div>
      </details>
      {r.saved ? (
        <div className="est-saved" data-testid="estimate-saved" role="status">
          <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
            <circle cx="10" cy="10" r="9" fill="var(--good)" />
            <path
              d="M6 10.5l2.5 2.5L14 7.5"
              stroke="#fff"
              strokeWidth="2"
              fill="none"
              strokeLinecap="round"
            />
          </svg>
          <div>
            <strong>Saved as prospect</strong>
            <div className="est-saved-links">
              <Link href="/?status=prospect">Prospects in the triage</Link>
              <Link href={`/accounts/${encodeURIComponent(r.id)}`}>Prospect’s account page</Link>
            </div>
          </div>
        </div>
      ) : (
        saveSlot
      )}
    </section>
  );
}

// ---------- import report ----------
function ImportReportCard({ r }: { r: EstimateResult }) {
  const rep = r.report;
  const skipped = skippedList(rep);
  const mapping = rep.mapping ? Object.entries(rep.mapping) : [];
  const [allRejects, setAllRejects] = useState(false);
  const rejects = allRejects ? rep.rejects : rep.rejects.slice(0, FIRST_REJECTS);
  return (
    <section className="card est-report" aria-labelledby="est-report-h" data-testid="estimate-report">
      <div className="card-head">
        <h2 id="est-report-h">Import report</h2>
        <span className="badge badge-muted">
          {formatLabel(rep.format)}
          {rep.gzip ? ' · gzip' : ''}
          {rep.encoding !== 'utf-8' ? ` · ${rep.encoding.toUpperCase()}` : ''}
        </span>
      </div>
      <dl className="est-counts">
        <div>
          <dt>Records</dt>
          <dd data-testid="report-records">{count(rep.records)}</dd>
        </div>
        <div className="est-count-good">
          <dt>Imported</dt>
          <dd data-testid="report-imported">{count(rep.imported)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-testid="report-skipped">{count(rep.skipped)}</dd>
        </div>
        <div className={rep.rejected > 0 ? 'est-count-bad' : undefined}>
          <dt>Rejected</dt>
          <dd data-testid="report-rejected">{count(rep.rejected)}</dd>
        </div>
      </dl>
      {skipped.length > 0 && (
        <div className="est-report-block">
          <h3 className="h3">Skipped on purpose</h3>
          <ul className="est-list">
            {skipped.map((s) => (
              <li key={s.reason}>
                <span className="num-strong">{count(s.n)}</span> {s.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {rep.rejects.length > 0 && (
        <div className="est-report-block">
          <h3 className="h3">
            Rejected records{rep.rejected > rep.rejects.length ? ` (first ${rep.rejects.length})` : ''}
          </h3>
          <ul className="est-list est-rejects" data-testid="report-rejects">
            {rejects.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the importer's order is fixed
              <li key={i}>
                <span className="badge badge-bad">{x.line > 0 ? `line ${x.line}` : 'line ?'}</span> {x.reason}
              </li>
            ))}
          </ul>
          {rep.rejects.length > FIRST_REJECTS && (
            <button type="button" className="btn btn-link btn-sm" onClick={() => setAllRejects((v) => !v)}>
              {allRejects ? 'Show fewer' : `Show all ${rep.rejects.length}`}
            </button>
          )}
        </div>
      )}
      {mapping.length > 0 && (
        <div className="est-report-block">
          <h3 className="h3">CSV columns used</h3>
          <MappingTable mapping={mapping} />
        </div>
      )}
      {rep.notes.length > 0 && (
        <div className="est-report-block">
          <h3 className="h3">Notes</h3>
          <ul className="est-list est-notes">
            {rep.notes.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

export function MappingTable({ mapping, ignored = [] }: { mapping: [string, string][]; ignored?: string[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table est-mapping" data-testid="csv-mapping">
        <caption className="sr-only">CSV column mapping: header of the file → field</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="th-plain">Column in the file</span>
            </th>
            <th scope="col">
              <span className="th-plain">Used as</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {mapping.map(([header, field]) => (
            <tr key={header}>
              <th scope="row" className="mono">
                {header}
              </th>
              <td>{fieldLabel(field)}</td>
            </tr>
          ))}
          {ignored.map((h) => (
            <tr key={`ignored-${h}`} className="est-ignored">
              <th scope="row" className="mono">
                {h}
              </th>
              <td className="muted">ignored</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------- breakdown ----------
function Breakdown({ r }: { r: EstimateResult }) {
  const [mode, setMode] = useState<BreakdownLevel>('leaf');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback(
    (id: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const expandCtx = useMemo(() => ({ expanded, toggle }), [expanded, toggle]);
  const narrow = useMediaQuery(NARROW);
  const topLeaves = useMemo(
    () => [...r.leaves].sort((a, b) => b.points - a.points).slice(0, MAX_LEAVES_IN_CHART),
    [r],
  );
  const bars: ContributionBar[] = useMemo(
    () =>
      mode === 'leaf'
        ? topLeaves.map((l) => ({
            key: l.taxonomyId,
            label: l.label,
            color: CLASS_COLORS[l.automationClass],
            share: l.share,
            rate: l.achievableAutomation,
            points: l.points,
            pointsLow: l.pointsLow,
            pointsHigh: l.pointsHigh,
            expectedConversations: l.expectedConversations,
          }))
        : r.classes
            .filter((c) => c.conversations > 0)
            .map((c) => ({
              key: c.automationClass,
              label: `${humanize(c.automationClass)} · ${pct(c.share)}`,
              color: CLASS_COLORS[c.automationClass],
              share: c.share,
              rate: c.achievableAutomation,
              points: c.points,
              pointsLow: c.pointsLow,
              pointsHigh: c.pointsHigh,
              expectedConversations: c.expectedConversations,
            })),
    [mode, topLeaves, r],
  );
  const option = useMemo(() => contributionOption(bars, { narrow }), [bars, narrow]);
  const open = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      next.add(id);
      return next;
    });

  if (!r.leaves.length)
    return <EmptyState title="No topics">No conversation of the export could be classified.</EmptyState>;

  return (
    <div className="breakdown">
      <BreakdownLevelToggle level={mode} onChange={setMode} topics={r.leaves.length} />
      <p className="muted small chart-note">
        Points each {mode === 'leaf' ? 'topic' : 'class'} adds to the predicted rate: solid to the low end,
        then expected, then the high end.
        {mode === 'leaf' &&
          ` The ${topLeaves.length} largest topics; click a bar or open a row for its example conversations.`}
      </p>
      <Chart
        option={option}
        height={breakdownChartHeight(bars.length)}
        testId="estimate-breakdown-chart"
        onClick={
          mode === 'leaf'
            ? (e) => {
                const id = topLeaves[e.dataIndex]?.taxonomyId;
                if (!id) return;
                open(id);
                requestAnimationFrame(() =>
                  document.getElementById(`est-leaf-${id}`)?.scrollIntoView({ block: 'nearest' }),
                );
              }
            : undefined
        }
      />
      {mode === 'leaf' ? (
        <ExpandContext.Provider value={expandCtx}>
          <DataTable
            key="leaf"
            testId="estimate-leaf-table"
            caption="Estimate by topic: volume, share, confidence, achievable rates, expected automation"
            columns={leafColumns}
            data={r.leaves}
            ui={LEAF_UI}
            initialSort={[{ id: 'points', desc: true }]}
            getRowId={(l) => l.taxonomyId}
            onRowActivate={(l) => toggle(l.taxonomyId)}
            expanded={expanded}
            renderDetail={(l) => <LeafDetail leaf={l} />}
          />
        </ExpandContext.Provider>
      ) : (
        <DataTable
          key="class"
          testId="estimate-class-table"
          caption="Estimate by automation class"
          columns={classColumns}
          data={r.classes}
          ui={CLASS_UI}
          initialSort={[{ id: 'points', desc: true }]}
          getRowId={(c) => c.automationClass}
        />
      )}
    </div>
  );
}

function LeafDetail({ leaf: l }: { leaf: EstimateLeaf }) {
  const b = l.benchmark;
  return (
    <div className="est-leaf-detail" id={`est-leaf-${l.taxonomyId}`}>
      <dl className="evidence">
        <div>
          <dt>Levels from</dt>
          <dd>
            {SOURCE_LABELS[b.source]}
            {b.peers > 0 && ` (${count(b.peers)})`}
          </dd>
        </div>
        <div>
          <dt>Involvement P50 / P75 / P90</dt>
          <dd>
            {pct(b.involvement.p50)} / {pct(b.involvement.p75)} / {pct(b.involvement.p90)}
          </dd>
        </div>
        <div>
          <dt>Resolution P50 / P75 / P90</dt>
          <dd>
            {pct(b.resolution.p50)} / {pct(b.resolution.p75)} / {pct(b.resolution.p90)}
          </dd>
        </div>
        <div>
          <dt>Low-confidence share</dt>
          <dd>{pct(l.lowConfidenceShare)}</dd>
        </div>
      </dl>
      <SampleList samples={l.samples} label={l.label} />
    </div>
  );
}

// ---------- roadmap ----------
function RoadmapSection({ r }: { r: EstimateResult }) {
  const narrow = useMediaQuery(NARROW);
  const steps = useMemo(
    () => roadmapSteps(r.actions, r.potential, r.expectedConversations),
    [r.actions, r.potential, r.expectedConversations],
  );
  const option = useMemo(() => roadmapOption(steps, { narrow }), [steps, narrow]);
  const leaves = useMemo(() => new Map(r.leaves.map((l) => [l.taxonomyId, l])), [r.leaves]);
  if (!r.actions.length)
    return (
      <EmptyState title="No roadmap actions">No topic adds at least 0.05 points to the potential.</EmptyState>
    );
  return (
    <div className="est-roadmap">
      <Chart option={option} height={Math.max(200, steps.length * 34 + 60)} testId="estimate-roadmap-chart" />
      <ol className="actions" data-testid="estimate-actions">
        {r.actions.map((a) => (
          <ActionItem key={a.taxonomyId} a={a} leaf={leaves.get(a.taxonomyId)} />
        ))}
      </ol>
    </div>
  );
}

function ActionItem({ a, leaf }: { a: EstimateAction; leaf: EstimateLeaf | undefined }) {
  const samples = (leaf?.samples ?? []).filter((s) => a.sampleIds.includes(s.id));
  return (
    <ActionCard
      action={a}
      testId="estimate-action"
      evidence={
        <>
          <div>
            <dt>Volume</dt>
            <dd>
              {count(a.monthlyConversations)}/mo · {pct(a.share)}
            </dd>
          </div>
          <div>
            <dt>Involvement</dt>
            <dd>{pct(a.achievableInvolvement)}</dd>
          </div>
          <div>
            <dt>Resolution</dt>
            <dd>{pct(a.achievableResolution)}</dd>
          </div>
        </>
      }
    >
      {samples.length > 0 && (
        <details className="est-examples">
          <summary>Example conversations ({samples.length})</summary>
          <SampleList samples={samples} label={a.label} />
        </details>
      )}
    </ActionCard>
  );
}
