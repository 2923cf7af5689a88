import { describe, expect, it } from 'vitest';
import { nextSort, RowOrders, type SortSpec, sortKey, sortOrder } from './triageOrder.ts';

interface R {
  name: string | null;
  n: number | null;
}
const rows: R[] = [
  { name: 'b 10', n: 2 },
  { name: 'B 9', n: null },
  { name: 'a', n: 2 },
  { name: null, n: 5 },
  { name: 'Á', n: -1 },
];
const byName: SortSpec<R> = { kind: 'text', value: (r) => r.name };
const byN: SortSpec<R> = { kind: 'number', value: (r) => r.n, descFirst: true };

describe('sortKey', () => {
  it('keeps numbers and marks missing values NaN', () => {
    expect([...sortKey(rows, byN)]).toEqual([2, Number.NaN, 2, 5, -1]);
  });

  it('ranks text by the collation: case and accents ignored, numbers numeric, equal texts equal', () => {
    // a = Á < B 9 < b 10; missing NaN
    expect([...sortKey(rows, byName)]).toEqual([3, 2, 0, Number.NaN, 0]);
  });
});

describe('sortOrder', () => {
  const n = sortKey(rows, byN);
  const name = sortKey(rows, byName);

  it('sorts ascending with ties in input order and missing values last', () => {
    expect([...sortOrder(rows.length, [{ key: n, desc: false }])]).toEqual([4, 0, 2, 3, 1]);
  });

  it('reverses for descending but keeps missing values last and ties in input order', () => {
    expect([...sortOrder(rows.length, [{ key: n, desc: true }])]).toEqual([3, 0, 2, 4, 1]);
    expect([...sortOrder(rows.length, [{ key: name, desc: true }])]).toEqual([0, 1, 2, 4, 3]);
  });

  it('breaks ties on the next key', () => {
    const order = sortOrder(rows.length, [
      { key: n, desc: true },
      { key: name, desc: true },
    ]);
    // rows 0 and 2 tie on n = 2: by name descending, b 10 (0) before a (2)
    expect([...order]).toEqual([3, 0, 2, 4, 1]);
    const order2 = sortOrder(rows.length, [
      { key: n, desc: true },
      { key: name, desc: false },
    ]);
    expect([...order2]).toEqual([3, 2, 0, 4, 1]);
  });

  it('matches a plain comparator sort on random data', () => {
    const data = Array.from({ length: 500 }, (_, i) => ({
      name: `x${(i * 7919) % 37}`,
      n: i % 11 === 0 ? null : ((i * 104729) % 97) / 7,
    }));
    const key = sortKey(data, byN);
    const expected = data
      .map((r, i) => ({ r, i }))
      .sort((a, b) => {
        if (a.r.n == null || b.r.n == null)
          return a.r.n == null && b.r.n == null ? a.i - b.i : a.r.n == null ? 1 : -1;
        return b.r.n - a.r.n || a.i - b.i;
      })
      .map((x) => x.i);
    expect([...sortOrder(data.length, [{ key, desc: true }])]).toEqual(expected);
  });
});

describe('nextSort (react-table toggling, no removal)', () => {
  it('a click sorts by the column alone, its first direction first', () => {
    expect(nextSort([{ id: 'a', desc: true }], 'n', { multi: false, descFirst: true })).toEqual([
      { id: 'n', desc: true },
    ]);
    expect(nextSort([{ id: 'a', desc: true }], 'name', { multi: false, descFirst: false })).toEqual([
      { id: 'name', desc: false },
    ]);
  });

  it('a click on a sorted column flips it and drops the others', () => {
    const current = [
      { id: 'a', desc: false },
      { id: 'b', desc: true },
    ];
    expect(nextSort(current, 'b', { multi: false, descFirst: true })).toEqual([{ id: 'b', desc: false }]);
    expect(nextSort(current, 'a', { multi: false, descFirst: false })).toEqual([{ id: 'a', desc: true }]);
  });

  it('Shift adds a column after the others, or flips it where it stands', () => {
    const current = [{ id: 'a', desc: false }];
    expect(nextSort(current, 'b', { multi: true, descFirst: true })).toEqual([
      { id: 'a', desc: false },
      { id: 'b', desc: true },
    ]);
    expect(
      nextSort(
        [
          { id: 'a', desc: false },
          { id: 'b', desc: true },
        ],
        'a',
        { multi: true, descFirst: true },
      ),
    ).toEqual([
      { id: 'a', desc: true },
      { id: 'b', desc: true },
    ]);
  });
});

describe('RowOrders', () => {
  it('computes an order once per sort and skips columns that cannot sort', () => {
    const orders = new RowOrders(rows, { name: byName, n: byN });
    const first = orders.order([{ id: 'n', desc: false }]);
    expect(orders.order([{ id: 'n', desc: false }])).toBe(first);
    expect(
      orders.order([
        { id: 'trend', desc: true },
        { id: 'n', desc: false },
      ]),
    ).toBe(first);
    expect([...orders.order([])]).toEqual([0, 1, 2, 3, 4]);
  });
});
