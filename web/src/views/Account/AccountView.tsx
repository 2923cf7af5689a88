import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { isNotFound } from '../../api/client.ts';
import {
  accountQuery,
  actionsQuery,
  breakdownQuery,
  cxQuery,
  DEFAULT_MINUTES_PER_CONVERSATION,
  forecastQuery,
} from '../../api/queries.ts';
import type { AccountDetail } from '../../api/server-types.ts';
import { Drawer } from '../../components/Drawer.tsx';
import { Flags } from '../../components/Flags.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { YoungMonthNote } from '../../components/YoungMonthNote.tsx';
import { awaitingLiveNote } from '../../lib/awaitingLive.ts';
import { breakdownCsv } from '../../lib/breakdownCsv.ts';
import { copyText } from '../../lib/clipboard.ts';
import { downloadText } from '../../lib/csv.ts';
import { dateLabel, money, monthLabel, monthSpanLabel, verticalLabel } from '../../lib/format.ts';
import { parseMinutes } from '../../lib/minutes.ts';
import { triageHref } from '../../lib/navMemory.ts';
import { youngMonthNote } from '../../lib/pace.ts';
import { buildSummaryMarkdown } from '../../lib/summary.ts';
import { usePageTitle } from '../../lib/usePageTitle.ts';
import { exportFacts } from '../Estimate/estimateState.ts';
import { prospectQuery } from '../Estimate/queries.ts';
import { NotFound } from '../NotFound.tsx';
import { ActionsList, MinutesInput } from './ActionsSection.tsx';
import { BreakdownSection } from './BreakdownSection.tsx';
import { CxSection } from './CxSection.tsx';
import { automationTrend, ForecastLine } from './ForecastLine.tsx';
import { HistorySection } from './HistorySection.tsx';
import { KpiTiles } from './KpiTiles.tsx';
import { languageNote } from './languageNote.ts';
import { LeafPickerContext } from './leafPicker.ts';
import { HowCalculated, PotentialSummary, Roadmap } from './PotentialSection.tsx';
import { ProspectEstimate } from './ProspectEstimate.tsx';
import { CxSamplesDrawer, SamplesDrawer } from './SamplesDrawer.tsx';
import { type Lever, leverOfKind } from './samplesFor.ts';
import { TrendChart } from './TrendSection.tsx';
import { windowLabels } from './windowWords.ts';

export default function AccountView({ id }: { id: string }) {
  const query = useQuery(accountQuery(id));
  return (
    <div className="page">
      <QueryState
        query={query}
        loadingLabel="Loading account"
        errorTitle="Could not load this account"
        minHeight={420}
        renderError={(error) =>
          isNotFound(error) ? (
            <NotFound
              title="Account not found"
              message={`No account or saved prospect has the id “${id}”. An unsaved estimate is kept for a day.`}
            />
          ) : null
        }
      >
        {(account) => <AccountPage account={account} />}
      </QueryState>
    </div>
  );
}

const MINUTES_KEY = 'cockpit.minutesPerConversation';

/** The CSM's own handling time, kept in this browser for every account (not per page view). */
function storedMinutes(): string {
  try {
    const v = globalThis.localStorage?.getItem(MINUTES_KEY);
    if (v !== null && v !== undefined && parseMinutes(v) !== null) return v;
  } catch {
    // storage blocked (privacy settings): the default
  }
  return String(DEFAULT_MINUTES_PER_CONVERSATION);
}

function useMinutes() {
  const [text, setText] = useState(storedMinutes);
  const [minutes, setMinutes] = useState(() => parseMinutes(text) ?? DEFAULT_MINUTES_PER_CONVERSATION);
  useEffect(() => {
    const n = parseMinutes(text);
    if (n === null) return;
    const t = setTimeout(() => {
      setMinutes(n);
      try {
        globalThis.localStorage?.setItem(MINUTES_KEY, text.trim());
      } catch {
        // not kept: the value still applies on this page
      }
    }, 300);
    return () => clearTimeout(t);
  }, [text]);
  return { text, setText, minutes };
}

/** A drawer kept in the URL (`?leaf=…`, `?cx=…`): its value, open it (a history entry), close it (replacing). */
function useDrawerParam(name: string): [string | null, (value: string) => void, () => void] {
  const [params, setParams] = useSearchParams();
  const open = useCallback(
    (value: string) =>
      setParams((p) => {
        const next = new URLSearchParams(p);
        next.set(name, value);
        return next;
      }),
    [name, setParams],
  );
  const close = useCallback(
    () =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          next.delete(name);
          return next;
        },
        { replace: true },
      ),
    [name, setParams],
  );
  return [params.get(name), open, close];
}

function AccountPage({ account: a }: { account: AccountDetail }) {
  const [leafId] = useDrawerParam('leaf');
  // opened from a next action, the drawer puts that action's evidence first (`?for=`)
  const [params, setParams] = useSearchParams();
  const forParam = params.get('for');
  const lever: Lever | null = forParam === 'audience' || forParam === 'resolution' ? forParam : null;
  const openLeafFor = useCallback(
    (id: string, kind?: string) =>
      setParams((p) => {
        const next = new URLSearchParams(p);
        next.set('leaf', id);
        const l = kind === undefined ? null : leverOfKind(kind);
        if (l) next.set('for', l);
        else next.delete('for');
        return next;
      }),
    [setParams],
  );
  const closeLeaf = useCallback(
    () =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          next.delete('leaf');
          next.delete('for');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  // the CX distribution's drill-down: ?cx=1..5 opens the examples scored in that bucket
  const [cxParam, openCx, closeCxScore] = useDrawerParam('cx');
  const cxScore = /^[1-5]$/.test(cxParam ?? '') ? Number(cxParam) : null;
  const openCxScore = useCallback((score: number) => openCx(String(score)), [openCx]);

  const { text: minutesText, setText: setMinutesText, minutes } = useMinutes();
  const breakdown = useQuery(breakdownQuery(a.id));
  const actions = useQuery(actionsQuery(a.id));
  const cx = useQuery(cxQuery(a.id));
  const forecast = useQuery(forecastQuery(a.id));
  // the months named, not "last 3 months", which misdescribed a one-month-old account's CX
  const windows = windowLabels(a);
  // a prospect's roadmap marks the topics its breakdown reads as unsure fits (an out-of-domain review)
  const unsureTopics = useMemo(
    () =>
      new Map(
        (breakdown.data?.leaves ?? []).flatMap((l) =>
          l.uncertain ? [[l.taxonomyId, l.uncertain.confidence] as const] : [],
        ),
      ),
    [breakdown.data],
  );
  const leaf = useMemo(
    () => breakdown.data?.leaves.find((l) => l.taxonomyId === leafId),
    [breakdown.data, leafId],
  );

  usePageTitle(a.name);

  return (
    <LeafPickerContext.Provider value={openLeafFor}>
      <nav aria-label="Breadcrumb" className="crumbs">
        {a.status === 'prospect' ? (
          // the customers' triage does not list prospects: back to the prospects, or to a new estimate
          <>
            <Link href="/?status=prospect">← Prospects</Link>
            <span aria-hidden="true"> · </span>
            <Link href="/estimate">New estimate</Link>
          </>
        ) : (
          <Link href={triageHref()}>← Accounts</Link>
        )}
      </nav>
      <header className="account-head">
        <div className="account-title">
          <h1>{a.name}</h1>
          <div className="account-badges">
            {a.status === 'prospect' && <span className="badge badge-muted">Prospect</span>}
            {/* a prospect's export simply stops: its last month is partial, not in progress */}
            {a.monthToDate &&
              (a.status === 'prospect' ? (
                <span
                  className="badge badge-warn"
                  title={`The export ends on ${dateLabel(a.dataAsOf)}, before ${monthLabel(a.month)} was over`}
                >
                  Partial last month
                </span>
              ) : (
                <span className="badge badge-warn" title={`${monthLabel(a.month)} is not over yet`}>
                  Month to date
                </span>
              ))}
            <Flags flags={a.flags} />
          </div>
          <dl className="meta">
            <Meta label="Vertical" value={verticalLabel(a.vertical)} />
            <Meta label="Plan" value={a.plan ?? '—'} />
            <Meta label="ARR" value={money(a.arr)} />
            <Meta label="CSM" value={a.csm ?? '—'} />
            <Meta label="AI live since" value={dateLabel(a.aiLiveSince)} />
            {/* a prospect's date is its export's own, not the customers' data in the page header */}
            <Meta
              label={a.status === 'prospect' ? 'Export ends' : 'Data as of'}
              value={dateLabel(a.dataAsOf)}
            />
          </dl>
        </div>
        <ExportButtons account={a} minutes={minutes} />
      </header>

      {a.flags.length > 0 && (
        <ul className="flag-reasons" aria-label="Why this account is flagged">
          {a.flags.map((f) => (
            <li key={f.kind} className={`flag-reason flag-${f.kind}`}>
              {f.reason}
            </li>
          ))}
        </ul>
      )}

      {a.status !== 'prospect' && languageNote(a) && (
        <p className="flag-reason flag-language" role="note" data-testid="account-language-note">
          {languageNote(a)}
        </p>
      )}

      {a.status === 'prospect' && <ProspectEstimate id={a.id} />}

      <h2 className="sr-only">Key figures</h2>
      <p className="section-caption">
        {a.undated ? (
          // the file's one month is a stand-in date: no month to name or compare with
          'The whole export (it has no dates)'
        ) : (
          <>
            {monthLabel(a.month)}
            {a.monthToDate
              ? a.status === 'prospect'
                ? ' (partial: the export ends there)'
                : ' (month to date)'
              : ''}
            , change vs {a.previous ? monthLabel(a.previous.month) : 'previous month'}
          </>
        )}
      </p>
      {a.status === 'customer' && <YoungMonthNote month={a.month} asOf={a.dataAsOf} />}
      <KpiTiles account={a} />

      <section className="card" aria-labelledby="trend-h">
        <div className="card-head">
          <h2 id="trend-h">Monthly trend</h2>
          <span className="muted small">rates in %, volume in conversations</span>
        </div>
        <TrendChart account={a} />
        <QueryState query={forecast} loadingLabel="Loading forecast" errorTitle="Could not load the forecast">
          {(d) => (
            <ForecastLine
              data={d}
              conversationsAt={(month) => a.months.find((m) => m.month === month)?.conversations ?? null}
              // a month's first days' rate is no figure to quote (the chart leaves it out too)
              inProgress={
                a.monthToDate && !youngMonthNote(a.month, a.dataAsOf, '')
                  ? { month: a.month, rate: a.automationRate }
                  : null
              }
              moving={automationTrend(a.flags)}
            />
          )}
        </QueryState>
      </section>

      {a.status === 'customer' && <HistorySection account={a} />}

      <section className="card" aria-labelledby="potential-h">
        <div className="card-head">
          <h2 id="potential-h">Current vs potential</h2>
          <span className="muted small">
            {a.undated
              ? 'the whole export (no dates)'
              : `model window ${monthSpanLabel(a.window.from, a.window.to)}`}
          </span>
        </div>
        <div className="potential-grid">
          <div>
            <PotentialSummary account={a} />
            {/* a prospect's method is the estimate's, explained in its card */}
            {a.status !== 'prospect' && <HowCalculated />}
          </div>
          <div>
            <h3 className="h3">Automation roadmap</h3>
            <QueryState
              query={actions}
              loadingLabel="Loading roadmap"
              errorTitle="Could not load the roadmap"
            >
              {(d) => (
                <Roadmap
                  actions={d}
                  onPickLeaf={openLeafFor}
                  prospect={a.status === 'prospect'}
                  waiting={awaitingLiveNote(a)}
                />
              )}
            </QueryState>
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby="actions-h">
        <div className="card-head">
          <h2 id="actions-h">Next actions</h2>
          <MinutesInput value={minutesText} onChange={setMinutesText} />
        </div>
        <QueryState
          query={actions}
          loadingLabel="Loading next actions"
          errorTitle="Could not load next actions"
        >
          {(d) => (
            <ActionsList
              actions={d}
              minutes={minutes}
              onPickLeaf={openLeafFor}
              waiting={awaitingLiveNote(a)}
              unsureTopics={unsureTopics}
            />
          )}
        </QueryState>
      </section>

      <section className="card" aria-labelledby="breakdown-h">
        <div className="card-head">
          <h2 id="breakdown-h">Taxonomy breakdown</h2>
          {/* the model window: a customer's last 3 months, a prospect's whole export */}
          <span className="muted small">{windows.breakdown} · current vs achievable</span>
        </div>
        <QueryState
          query={breakdown}
          loadingLabel="Loading breakdown"
          errorTitle="Could not load the breakdown"
        >
          {(d) => (
            <BreakdownSection
              breakdown={d}
              onPickLeaf={openLeafFor}
              prospect={a.status === 'prospect'}
              withheld={gapsWithheld(a)}
              awaitingLive={a.awaitingLive === true}
            />
          )}
        </QueryState>
      </section>

      <section className="card" aria-labelledby="cx-h">
        <div className="card-head">
          <h2 id="cx-h">Customer experience</h2>
          <span className="muted small">
            {a.status === 'prospect'
              ? 'CX score 1–5 of the example conversations the estimate kept (no AI outcomes yet)'
              : `CX score 1–5, ${windows.cx}`}
          </span>
        </div>
        <QueryState query={cx} loadingLabel="Loading CX" errorTitle="Could not load CX">
          {(d) => (
            <CxSection
              cx={d}
              onPickLeaf={openLeafFor}
              onPickScore={openCxScore}
              prospect={a.status === 'prospect'}
              window={windows.cx}
            />
          )}
        </QueryState>
      </section>

      <SamplesDrawer
        accountId={a.id}
        taxonomyId={leafId}
        leaf={leaf}
        onClose={closeLeaf}
        prospect={a.status === 'prospect'}
        lever={lever}
      />
      <CxSamplesDrawer
        accountId={a.id}
        score={cxScore}
        onClose={closeCxScore}
        prospect={a.status === 'prospect'}
      />
    </LeafPickerContext.Provider>
  );
}

/**
 * The page shows no gaps: an estimate without a potential, or an account whose AI agent has had no
 * full month live yet — its topics by volume alone, on the page and in its CSV.
 */
function gapsWithheld(a: AccountDetail): boolean {
  return (a.status === 'prospect' && a.automationPotential === null) || a.awaitingLive === true;
}

function Meta({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** The two copies of the summary: for the team, and one fit to send to the account. */
const SUMMARY_COPIES = [
  {
    audience: 'team',
    label: 'Copy summary as Markdown',
    title: 'For the team: with ARR, CSM, flags, every action and a link back here',
  },
  {
    audience: 'customer',
    label: 'Copy for the customer',
    title: 'To send to the account: no ARR, plan, CSM, flags or internal link; the first five actions',
  },
] as const;

function CopyIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path
        d="M11 3.5V3a1 1 0 0 0-1-1H3a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1h.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
      />
    </svg>
  );
}

function ExportButtons({ account: a, minutes }: { account: AccountDetail; minutes: number }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [fallback, setFallback] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!status) return;
    const t = setTimeout(() => setStatus(null), 4000);
    return () => clearTimeout(t);
  }, [status]);

  const summary = async (audience: 'team' | 'customer') => {
    const [breakdown, actions, cx, estimate] = await Promise.all([
      qc.ensureQueryData(breakdownQuery(a.id)).catch(() => undefined),
      qc.ensureQueryData(actionsQuery(a.id)).catch(() => undefined),
      qc.ensureQueryData(cxQuery(a.id)).catch(() => undefined),
      a.status === 'prospect' ? qc.ensureQueryData(prospectQuery(a.id)).catch(() => undefined) : undefined,
    ]);
    return buildSummaryMarkdown({
      account: a,
      exportFacts: estimate && exportFacts(estimate),
      breakdown,
      actions,
      minutes,
      cx,
      url: window.location.href.split('?')[0],
      audience,
    });
  };

  const copySummary = async (audience: 'team' | 'customer') => {
    if (busy) return;
    setBusy(true);
    // handed to the clipboard before it is made: Safari takes a write only inside the click
    const md = summary(audience);
    try {
      await copyText(md);
      setStatus({
        tone: 'ok',
        text:
          audience === 'customer'
            ? 'Summary for the customer copied to clipboard'
            : 'Summary copied to clipboard',
      });
    } catch {
      setFallback(await md);
    } finally {
      setBusy(false);
    }
  };

  const downloadCsv = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const b = await qc.ensureQueryData(breakdownQuery(a.id));
      downloadText(
        `${a.id}-breakdown-${a.undated ? 'undated' : `${b.window.from}_${b.window.to}`}.csv`,
        // no gaps where the page shows none
        breakdownCsv(b, gapsWithheld(a)),
      );
      setStatus({ tone: 'ok', text: 'Breakdown CSV downloaded' });
    } catch (e) {
      setStatus({ tone: 'error', text: `Download failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export">
      <div className="export-buttons">
        {/* aria-disabled, not disabled: a disabled button loses focus, and a keyboard user pressing
            Enter on it found themselves back at the top of the page */}
        {SUMMARY_COPIES.map((c) => (
          <button
            key={c.audience}
            type="button"
            className="btn btn-secondary"
            onClick={() => copySummary(c.audience)}
            aria-disabled={busy}
            title={c.title}
          >
            <CopyIcon />
            {c.label}
          </button>
        ))}
        <button type="button" className="btn btn-secondary" onClick={downloadCsv} aria-disabled={busy}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path
              d="M8 2v8M4.5 6.5L8 10l3.5-3.5M2.5 13.5h11"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.4"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          Download breakdown CSV
        </button>
      </div>
      <div
        className={`toast${status ? ` toast-${status.tone}` : ''}`}
        role="status"
        aria-live="polite"
        data-testid="export-status"
      >
        {status?.text}
      </div>
      <Drawer
        open={fallback != null}
        onClose={() => setFallback(null)}
        title="Copy the summary"
        subtitle="The browser blocked clipboard access. Select the text and copy it (Ctrl+C / ⌘C)."
      >
        <textarea
          className="copy-fallback"
          readOnly
          value={fallback ?? ''}
          aria-label="Account summary in Markdown"
          ref={(el) => {
            if (el) {
              el.focus();
              el.select();
            }
          }}
        />
      </Drawer>
    </div>
  );
}
