/**
 * The virtualized triage table: real <table> semantics, sticky header, 10,000 rows smooth. Rows
 * come sorted and filtered (triageRows.ts); only the ones in view are rendered.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type MouseEvent, memo, useCallback, useEffect, useRef } from 'react';
import { useLocation } from 'wouter';
import type { TriageAccount } from '../../api/server-types.ts';
import { cameBack } from '../../lib/history.ts';
import { COLUMNS, TRIAGE_MIN_WIDTH } from './columns.tsx';
import { nextSort } from './triageOrder.ts';
import { TRIAGE_SORTS } from './triageRows.ts';
import type { SortEntry } from './triageState.ts';

const ROW_HEIGHT = 44;
/** the account last opened from the table, and the table's scroll then (module state: the view unmounts) */
let lastOpened: { id: string; scrollTop: number } | null = null;
/** The scroller's height before it is measured (its CSS max-height), so the first render has rows. */
const initialRect = () => ({
  width: TRIAGE_MIN_WIDTH,
  height: typeof window === 'undefined' ? 600 : Math.max(420, window.innerHeight - 200),
});

export function TriageTable({
  rows,
  sort,
  onSortChange,
}: {
  rows: readonly TriageAccount[];
  sort: readonly SortEntry[];
  onSortChange: (next: SortEntry[]) => void;
}) {
  const [, navigate] = useLocation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    // items keyed by position (the default): per-account keys made the virtualizer re-measure all
    // 10,000 rows on every render
    initialRect: initialRect(),
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const colCount = COLUMNS.length;

  /** `keepScroll`: the table is already where it should be (a way back), only focus moves */
  const focusRow = (index: number, keepScroll = false) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    if (!keepScroll) virtualizer.scrollToIndex(i, { align: 'auto' });
    const tryFocus = (attempt: number) => {
      const link = scrollRef.current?.querySelector<HTMLAnchorElement>(`tr[data-index="${i}"] a.row-link`);
      if (link) link.focus({ preventScroll: keepScroll });
      else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    requestAnimationFrame(() => tryFocus(0));
  };

  // Back from an account returns to its row: where the table was scrolled, focus on that account
  // (the rows come back in the same order, from the URL)
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the table first has rows
  useEffect(() => {
    const left = lastOpened;
    lastOpened = null;
    if (!left || !cameBack() || !scrollRef.current) return;
    const index = rows.findIndex((a) => a.id === left.id);
    if (index < 0) return;
    scrollRef.current.scrollTop = left.scrollTop;
    focusRow(index, true);
  }, [rows.length > 0]);
  /** remembers the row a click or Enter opens, and the scroll, for the way back */
  const noteOpened = (e: { target: EventTarget }) => {
    const tr = (e.target as HTMLElement).closest('tr[data-index]');
    const account = tr ? rows[Number(tr.getAttribute('data-index'))] : undefined;
    if (account) lastOpened = { id: account.id, scrollTop: scrollRef.current?.scrollTop ?? 0 };
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (e.key === 'Enter') noteOpened(e);
    const tr = (e.target as HTMLElement).closest('tr[data-index]');
    if (!tr) return;
    const index = Number(tr.getAttribute('data-index'));
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rows.length - 1,
    };
    const next = moves[e.key];
    if (next === undefined || e.altKey || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    focusRow(next);
  };

  const openAccount = useCallback(
    (id: string) => navigate(`/accounts/${encodeURIComponent(id)}`),
    [navigate],
  );

  return (
    <>
      <div className="table-scroll" ref={scrollRef} data-testid="triage-scroll">
        <table
          className="data-table triage-table"
          aria-label="Accounts"
          aria-rowcount={rows.length + 1}
          aria-describedby="triage-help"
          // fills its box; narrower than the columns' least widths (a phone), it scrolls in the box
          style={{ width: '100%', minWidth: TRIAGE_MIN_WIDTH }}
        >
          <colgroup>
            {COLUMNS.map((c) => (
              <col key={c.id} style={{ width: c.width }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              {COLUMNS.map((c) => (
                <HeaderCell key={c.id} column={c} sort={sort} onSortChange={onSortChange} />
              ))}
            </tr>
          </thead>
          <tbody onKeyDown={onKeyDown} onClickCapture={noteOpened}>
            {padTop > 0 && (
              // room for the rows not drawn: not a row to a screen reader (it read as a blank one)
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: the spacer holds nothing focusable
              <tr className="spacer" style={{ height: padTop }} aria-hidden="true">
                <td colSpan={colCount} />
              </tr>
            )}
            {items.map((item) => {
              const account = rows[item.index];
              // keyed by position: after a sort the rows in view update in place instead of being
              // removed and created again
              return account ? (
                <TriageRow key={item.index} account={account} index={item.index} onOpen={openAccount} />
              ) : null;
            })}
            {padBottom > 0 && (
              // room for the rows not drawn: not a row to a screen reader (it read as a blank one)
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: the spacer holds nothing focusable
              <tr className="spacer" style={{ height: padBottom }} aria-hidden="true">
                <td colSpan={colCount} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {/* Outside the scroll box: an absolutely placed element inside it would sit below the
          full-height virtual table and stretch the page by that height. */}
      <p id="triage-help" className="sr-only">
        Use the column buttons to sort; Shift with a column button adds a secondary sort. In the table, arrow
        keys, Page Up, Page Down, Home and End move between accounts; Enter opens one.
      </p>
      {/* the headers' definitions were a mouse's tooltip only: here for keyboard, touch and screen readers */}
      <details className="how triage-columns" data-testid="triage-columns">
        <summary>What the columns mean</summary>
        <dl className="how-body">
          {COLUMNS.map((c) => (
            <div key={c.id}>
              <dt>{c.header}</dt>
              <dd id={`col-def-${c.id}`}>{c.title}</dd>
            </div>
          ))}
        </dl>
      </details>
    </>
  );
}

const cellClass = (c: (typeof COLUMNS)[number]) =>
  `${c.align === 'right' ? 'num' : ''} ${c.id === 'name' ? 'sticky-col' : ''}`;

/** A column header: a sort button (Shift-click adds a secondary sort), aria-sort on the primary one. */
function HeaderCell({
  column,
  sort,
  onSortChange,
}: {
  column: (typeof COLUMNS)[number];
  sort: readonly SortEntry[];
  onSortChange: (next: SortEntry[]) => void;
}) {
  const spec = TRIAGE_SORTS[column.id];
  const index = sort.findIndex((s) => s.id === column.id);
  const sorted = index >= 0 ? (sort[index]!.desc ? 'desc' : 'asc') : false;
  const ariaSort = !spec
    ? undefined
    : index === 0
      ? sorted === 'desc'
        ? 'descending'
        : 'ascending'
      : 'none';
  return (
    <th scope="col" className={cellClass(column)} aria-sort={ariaSort}>
      {spec ? (
        <button
          type="button"
          className={`th-sort${sorted ? ' is-sorted' : ''}`}
          aria-describedby={`col-def-${column.id}`}
          onClick={(e) =>
            onSortChange(
              nextSort(sort, column.id, {
                multi: e.shiftKey,
                descFirst: spec.kind === 'number' && spec.descFirst,
              }),
            )
          }
          title={`${column.title}\nClick to sort; Shift-click to add a secondary sort.`}
        >
          {column.label ? (
            // the name without the soft hyphens of a label that may break ("Automa-tion"), as text
            // rather than an aria-label, so the name a speech-input user reads off the screen matches
            <>
              <span aria-hidden="true">{column.label}</span>
              <span className="sr-only">{column.header}</span>
            </>
          ) : (
            <span>{column.header}</span>
          )}
          <SortIcon dir={sorted} />
          {sort.length > 1 && index >= 0 && (
            <sup className="sort-index">
              <span className="sr-only">, sort </span>
              {index + 1}
            </sup>
          )}
        </button>
      ) : (
        <span className="th-plain" title={column.title}>
          {column.label ?? column.header}
        </span>
      )}
    </th>
  );
}

/**
 * One body row, memoized on its account and position: while scrolling only rows entering the
 * window render, and a sort re-renders only the rows in view.
 */
const TriageRow = memo(function TriageRow({
  account,
  index,
  onOpen,
}: {
  account: TriageAccount;
  index: number;
  onOpen: (id: string) => void;
}) {
  const onClick = (e: MouseEvent<HTMLTableRowElement>) => {
    const target = e.target as HTMLElement;
    if (target.closest('a, button, input, select')) return; // native behaviour (incl. ctrl-click)
    if (window.getSelection()?.toString()) return; // selecting text, not navigating
    onOpen(account.id);
  };
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      className={account.flags.length ? 'is-flagged' : undefined}
      style={{ height: ROW_HEIGHT }}
      onClick={onClick}
    >
      {COLUMNS.map((c) =>
        c.id === 'name' ? (
          <th key={c.id} scope="row" className={cellClass(c)}>
            {c.cell(account)}
          </th>
        ) : (
          <td key={c.id} className={cellClass(c)}>
            {c.cell(account)}
          </td>
        ),
      )}
    </tr>
  );
});

function SortIcon({ dir }: { dir: false | 'asc' | 'desc' }) {
  return (
    <svg className="sort-icon" viewBox="0 0 10 14" width="8" height="12" aria-hidden="true">
      <path d="M5 1L9 5.5H1z" className={dir === 'asc' ? 'on' : ''} />
      <path d="M5 13L1 8.5h8z" className={dir === 'desc' ? 'on' : ''} />
    </svg>
  );
}
