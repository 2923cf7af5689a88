import { describe, expect, it } from 'vitest';
import { parseSortParam, serializeSort, withSortParams } from './tableSort.ts';

describe('a table sort in the URL', () => {
  const fallback = [{ id: 'gap', desc: true }];

  it('reads known columns once each, and falls back on nothing readable', () => {
    expect(
      parseSortParam('accounts.desc,name.asc,accounts.asc', fallback, new Set(['accounts', 'name'])),
    ).toEqual([
      { id: 'accounts', desc: true },
      { id: 'name', desc: false },
    ]);
    expect(parseSortParam('nope.desc', fallback, new Set(['accounts']))).toBe(fallback);
    expect(parseSortParam(null, fallback)).toBe(fallback);
    expect(serializeSort([{ id: 'accounts', desc: true }])).toBe('accounts.desc');
  });

  it('keeps the tables’ sorts when a view writes its own filters', () => {
    const prev = new URLSearchParams('vertical=saas&sort=accounts.desc&other=1');
    expect(withSortParams('period=6', prev, ['sort', 'liftSort']).toString()).toBe(
      'period=6&sort=accounts.desc',
    );
  });
});
