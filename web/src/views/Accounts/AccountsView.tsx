import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'wouter';
import { accountsQuery } from '../../api/queries.ts';
import { FLAG_LABELS } from '../../components/Flags.tsx';
import { InfoTip } from '../../components/InfoTip.tsx';
import { EmptyState, QueryState } from '../../components/QueryState.tsx';
import { YoungMonthNote } from '../../components/YoungMonthNote.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, dateLabel, monthLabel, pct, verticalLabel } from '../../lib/format.ts';
import { whenIdle } from '../../lib/idle.ts';
import { rememberTriageSearch } from '../../lib/navMemory.ts';
import { MonthInProgress } from './columns.tsx';
import { TriageTable } from './TriageTable.tsx';
import type { TriageData } from './triageData.ts';
import { SORTABLE_IDS, TriageRows } from './triageRows.ts';
import {
  DEFAULT_STATE,
  type FlagFilter,
  filterOptions,
  headline,
  isFiltered,
  parseSort,
  parseTriageState,
  type SortEntry,
  type StatusFilter,
  serializeTriageState,
  type TriageState,
} from './triageState.ts';

export default function AccountsView() {
  const query = useQuery(accountsQuery());
  return (
    <div className="page">
      <QueryState
        query={query}
        loadingLabel="Loading accounts"
        errorTitle="Could not load accounts"
        minHeight={420}
        isEmpty={(d) => d.accounts.length === 0}
        emptyTitle="No accounts yet"
        emptyHint="The serving database has no accounts. Run the pipeline (npm run demo) and reload."
      >
        {(data) => <Triage data={data} />}
      </QueryState>
    </div>
  );
}

function useTriageState(): [TriageState, (next: TriageState) => void] {
  const [params, setParams] = useSearchParams();
  // the sort keeps its identity while other parameters change (the search box's copy in the URL,
  // a filter), so what depends only on the sort is not recomputed
  const sortParam = params.get('sort');
  const sort = useMemo(() => parseSort(sortParam, SORTABLE_IDS), [sortParam]);
  const state = useMemo(() => ({ ...parseTriageState(params), sort }), [params, sort]);
  useEffect(() => rememberTriageSearch(params.toString()), [params]);
  // Each sort or filter is a step Back undoes; typing in the search box adds one step, not one a key
  const set = (next: TriageState) => {
    const nextParams = new URLSearchParams(serializeTriageState(next));
    const without = (p: URLSearchParams) => {
      const copy = new URLSearchParams(p);
      copy.delete('q');
      return copy.toString();
    };
    const typing = without(nextParams) === without(params) && !!params.get('q') && !!nextParams.get('q');
    setParams(nextParams.toString(), { replace: typing });
  };
  return [state, set];
}

function Triage({ data }: { data: TriageData }) {
  const [state, setState] = useTriageState();
  // the search box is local for instant typing; the URL follows shortly after. Only what the user
  // typed goes to the URL: after Back or "Clear filters" the box still held the old text for a
  // render, and on a loaded machine its 200 ms timer fired before that render and pushed the old
  // text over the state Back had just restored (a CI run's Back landed without its search)
  const [q, setQ] = useState(state.q);
  const typed = useRef(false);
  useEffect(() => {
    typed.current = false;
    setQ(state.q);
  }, [state.q]);
  useEffect(() => {
    if (!typed.current || q === state.q) return;
    const t = setTimeout(() => {
      typed.current = false;
      setState({ ...state, q });
    }, 200);
    return () => clearTimeout(t);
  }, [q, state, setState]);
  const typeQ = (value: string) => {
    typed.current = true;
    setQ(value);
  };

  const options = useMemo(() => filterOptions(data.accounts), [data.accounts]);
  const triageRows = useMemo(() => new TriageRows(data.accounts), [data.accounts]);
  // what the first sort by each column and the first search would do (collate the names, normalise
  // every account's text, order the rows): done in idle time once the first rows are on screen
  // rather than on the click or keystroke
  useEffect(() => whenIdle(triageRows.preparationSteps()), [triageRows]);
  const { csm, vertical, flag, status, sort } = state;
  const filters = useMemo(
    // the search filters as the user types, not a render later: a pass over the kept order costs
    // a few milliseconds, less than the extra render and frame a deferred value took
    () => ({ ...DEFAULT_STATE, q, csm, vertical, flag, status }),
    [q, csm, vertical, flag, status],
  );
  const rows = useMemo(() => triageRows.shown({ ...filters, sort }), [triageRows, filters, sort]);
  // the totals do not depend on the order: a sort does not recount them
  const head = useMemo(() => headline(triageRows.matching(filters)), [triageRows, filters]);
  const filtered = isFiltered({ ...state, q });

  const setSort = (sort: SortEntry[]) => setState({ ...state, q, sort });

  return (
    <>
      <header className="page-head">
        <div>
          <h1>Accounts</h1>
          <p className="page-sub">
            {monthLabel(data.month)}
            {data.monthToDate && (
              <span className="badge badge-warn" title="The current month is not over yet">
                Month to date
              </span>
            )}
            <span className="dot-sep" aria-hidden="true">
              ·
            </span>
            Data as of {dateLabel(data.dataAsOf)}
          </p>
          <YoungMonthNote month={data.month} asOf={data.dataAsOf} />
        </div>
      </header>

      <section className="kpis kpis-headline" aria-label="Headline totals for the accounts shown">
        <div className="kpi">
          <div className="kpi-label">
            Portfolio automation rate{' '}
            <InfoTip
              label="Portfolio automation rate"
              text={`Σ resolved / Σ conversations this month over the accounts shown. ${DEFINITIONS.automationRate}`}
            />
          </div>
          <div className="kpi-value" data-testid="headline-automation">
            {pct(head.automationRate)}
          </div>
          <div className="kpi-foot">
            {head.customers > 0
              ? `${count(head.resolved)} of ${count(head.conversations)} conversations${head.prospects > 0 ? ' (customers; prospects have no AI agent yet)' : ''}`
              : head.prospects > 0
                ? 'no customers shown: prospects have no AI agent yet'
                : 'no accounts match these filters'}
          </div>
        </div>
        <div className="kpi">
          <div className="kpi-label">
            Unrealized conversations / month{' '}
            <InfoTip
              label="Unrealized conversations"
              text={`Σ gap in conversations per month. ${DEFINITIONS.gap}`}
            />
          </div>
          <div className="kpi-value" data-testid="headline-unrealized">
            {count(
              head.customers === 0 && head.prospects > 0
                ? head.prospectGapConversations
                : head.unrealizedConversations,
            )}
          </div>
          <div className="kpi-foot">
            {head.customers === 0 && head.prospects > 0
              ? 'that the prospects’ potential would automate'
              : `a month on average over the last 3 months, that could be automated at potential${head.prospects > 0 ? ' (customers)' : ''}`}
          </div>
        </div>
        <div className="kpi">
          <div className="kpi-label">
            Accounts needing attention{' '}
            <InfoTip
              label="Flags"
              text={`${DEFINITIONS.flags} Counted here: plateau, declining or low CX; climbing is shown beside them but is good news.`}
            />
          </div>
          <div className="kpi-value" data-testid="headline-flagged">
            {count(head.flagged)}
            <span className="kpi-of"> / {count(head.accounts)}</span>
          </div>
          <div className="kpi-foot flag-counts">
            {(Object.keys(head.flagCounts) as (keyof typeof head.flagCounts)[]).map((k) => (
              <button
                key={k}
                type="button"
                className={`linkish flag-count flag-count-${k}`}
                aria-pressed={state.flag === k}
                onClick={() => setState({ ...state, q, flag: state.flag === k ? '' : k })}
              >
                {count(head.flagCounts[k])} {FLAG_LABELS[k]}
              </button>
            ))}
          </div>
        </div>
      </section>

      <section className="card table-card" aria-label="Accounts table">
        {/* biome-ignore lint/a11y/useSemanticElements: <search> is no landmark before Firefox 118 and Safari 17 (tests/browser-support.test.ts) */}
        <div className="toolbar" role="search">
          <div className="field field-search">
            <label htmlFor="acc-search" className="sr-only">
              Search accounts
            </label>
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" className="field-icon">
              <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
              <path d="M10.5 10.5L14 14" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
            </svg>
            <input
              id="acc-search"
              type="search"
              placeholder="Search name, id, CSM…"
              value={q}
              onChange={(e) => typeQ(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          <Select
            id="f-csm"
            label="CSM"
            value={state.csm}
            onChange={(v) => setState({ ...state, q, csm: v })}
            options={withUnknown(
              [['', 'All CSMs'], ...options.csms.map((c) => [c, c] as [string, string])],
              state.csm,
            )}
          />
          <Select
            id="f-vertical"
            label="Vertical"
            value={state.vertical}
            onChange={(v) => setState({ ...state, q, vertical: v })}
            options={withUnknown(
              [
                ['', 'All verticals'],
                ...options.verticals.map((v) => [v, verticalLabel(v)] as [string, string]),
              ],
              state.vertical,
            )}
          />
          <Select
            id="f-flag"
            label="Flag"
            value={state.flag}
            onChange={(v) => setState({ ...state, q, flag: v as FlagFilter })}
            options={[
              ['', 'Any flag state'],
              ['any', 'Flagged'],
              ['plateau', 'Plateau'],
              ['climbing', 'Climbing'],
              ['declining', 'Declining'],
              ['low_cx', 'Low CX'],
              ['none', 'Not flagged'],
            ]}
          />
          <Select
            id="f-status"
            label="Status"
            value={state.status}
            onChange={(v) => setState({ ...state, q, status: v as StatusFilter })}
            defaultValue="customer"
            options={[
              ['customer', 'Customers'],
              ['prospect', `Prospects (${count(options.prospects)})`],
              ['all', 'Customers & prospects'],
            ]}
          />
          <div className="toolbar-end">
            <span className="result-count" aria-live="polite" data-testid="result-count">
              {count(rows.length)} {rows.length === 1 ? 'account' : 'accounts'}
            </span>
            {filtered && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => {
                  typed.current = false;
                  setQ('');
                  setState({ ...DEFAULT_STATE, sort: state.sort });
                }}
              >
                Clear filters
              </button>
            )}
          </div>
        </div>
        {rows.length === 0 ? (
          <EmptyState title="No accounts match these filters" minHeight={240}>
            Try another search or clear the filters.
          </EmptyState>
        ) : (
          <MonthInProgress value={data.monthToDate}>
            <TriageTable rows={rows} sort={state.sort} onSortChange={setSort} />
          </MonthInProgress>
        )}
      </section>
    </>
  );
}

function Select({
  id,
  label,
  value,
  onChange,
  options,
  defaultValue = '',
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
  defaultValue?: string;
}) {
  return (
    <div className={`field field-select${value !== defaultValue ? ' is-set' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A filter value from the URL that no account has (an old link, a typo) stays selected and says
 * so, instead of the select showing "All" while the table is empty.
 */
function withUnknown(options: [string, string][], value: string): [string, string][] {
  if (value === '' || options.some(([v]) => v === value)) return options;
  return [...options, [value, `“${value}” (not found)`]];
}
