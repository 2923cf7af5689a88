/** The virtualized triage table: real <table> semantics, sticky header, 10,000 rows smooth. */
import { FlexRender, type Row, type SortingState, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type MouseEvent, memo, useCallback, useRef } from 'react';
import { useLocation } from 'wouter';
import type { TriageAccount } from '../../api/server-types.ts';
import { COLUMN_UI, columns, features } from './columns.tsx';

type F = typeof features;

import type { SortEntry } from './triageState.ts';

const ROW_HEIGHT = 44;

export function TriageTable({
  rows: data,
  sort,
  onSortChange,
}: {
  rows: TriageAccount[];
  sort: SortEntry[];
  onSortChange: (next: SortEntry[]) => void;
}) {
  const [, navigate] = useLocation();
  const sorting: SortingState = sort;
  const table = useTable({
    features,
    columns,
    data,
    getRowId: (row) => row.id,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      onSortChange(next.map((s) => ({ id: s.id, desc: s.desc })));
    },
    enableSortingRemoval: false,
    enableMultiSort: true,
  });

  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const leafColumns = table.getAllLeafColumns();
  const colCount = leafColumns.length;
  const totalWidth = leafColumns.reduce((s, c) => s + (COLUMN_UI[c.id]?.width ?? 100), 0);

  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    virtualizer.scrollToIndex(i, { align: 'auto' });
    const tryFocus = (attempt: number) => {
      const link = scrollRef.current?.querySelector<HTMLAnchorElement>(`tr[data-index="${i}"] a.row-link`);
      if (link) link.focus({ preventScroll: false });
      else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    requestAnimationFrame(() => tryFocus(0));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
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
    <div className="table-scroll" ref={scrollRef} data-testid="triage-scroll">
      <table
        className="data-table triage-table"
        aria-label="Accounts"
        aria-rowcount={rows.length + 1}
        aria-describedby="triage-help"
        style={{ width: totalWidth, minWidth: '100%' }}
      >
        <colgroup>
          {leafColumns.map((c) => (
            <col key={c.id} style={{ width: COLUMN_UI[c.id]?.width }} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const ui = COLUMN_UI[header.column.id];
                const sorted = header.column.getIsSorted();
                const primary = sort[0]?.id === header.column.id;
                const canSort = header.column.getCanSort();
                const sortIndex = sort.length > 1 ? sort.findIndex((s) => s.id === header.column.id) : -1;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={`${ui?.align === 'right' ? 'num' : ''} ${header.column.id === 'name' ? 'sticky-col' : ''}`}
                    aria-sort={
                      primary && sorted
                        ? sorted === 'desc'
                          ? 'descending'
                          : 'ascending'
                        : canSort
                          ? 'none'
                          : undefined
                    }
                  >
                    {canSort ? (
                      <button
                        type="button"
                        className={`th-sort${sorted ? ' is-sorted' : ''}`}
                        onClick={header.column.getToggleSortingHandler()}
                        title={`${ui?.title ?? ''}\nClick to sort; Shift-click to add a secondary sort.`}
                      >
                        <span>
                          <table.FlexRender header={header} />
                        </span>
                        <SortIcon dir={sorted} />
                        {sortIndex >= 0 && <sup className="sort-index">{sortIndex + 1}</sup>}
                      </button>
                    ) : (
                      <span className="th-plain" title={ui?.title}>
                        <table.FlexRender header={header} />
                      </span>
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {padTop > 0 && (
            <tr className="spacer" style={{ height: padTop }}>
              <td colSpan={colCount} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            return row ? <TriageRow key={row.id} row={row} index={item.index} onOpen={openAccount} /> : null;
          })}
          {padBottom > 0 && (
            <tr className="spacer" style={{ height: padBottom }}>
              <td colSpan={colCount} />
            </tr>
          )}
        </tbody>
      </table>
      <p id="triage-help" className="sr-only">
        Use the column buttons to sort. In the table, arrow keys, Page Up, Page Down, Home and End move
        between accounts; Enter opens one.
      </p>
    </div>
  );
}

/**
 * One body row, memoized: while scrolling only rows entering the window render. Row objects are
 * stable until the data or the sort changes.
 */
const TriageRow = memo(function TriageRow({
  row,
  index,
  onOpen,
}: {
  row: Row<F, TriageAccount>;
  index: number;
  onOpen: (id: string) => void;
}) {
  const onClick = (e: MouseEvent<HTMLTableRowElement>) => {
    const target = e.target as HTMLElement;
    if (target.closest('a, button, input, select')) return; // native behaviour (incl. ctrl-click)
    if (window.getSelection()?.toString()) return; // selecting text, not navigating
    onOpen(row.original.id);
  };
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      className={row.original.flags.length ? 'is-flagged' : undefined}
      style={{ height: ROW_HEIGHT }}
      onClick={onClick}
    >
      {row.getAllCells().map((cell) => {
        const ui = COLUMN_UI[cell.column.id];
        const cls = `${ui?.align === 'right' ? 'num' : ''} ${cell.column.id === 'name' ? 'sticky-col' : ''}`;
        return cell.column.id === 'name' ? (
          <th key={cell.id} scope="row" className={cls}>
            <FlexRender cell={cell} />
          </th>
        ) : (
          <td key={cell.id} className={cls}>
            <FlexRender cell={cell} />
          </td>
        );
      })}
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
