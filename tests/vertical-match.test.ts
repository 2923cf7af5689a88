import { describe, expect, it } from 'vitest';
import { rankVerticals, suggestVertical, verticalMixes } from '../server/domain/vertical-match.ts';

const row = (accountId: string, vertical: string, taxonomyId: string, conversations: number) => ({
  accountId,
  vertical,
  taxonomyId,
  conversations,
});

describe('which vertical a prospect looks like', () => {
  // two shops (orders, returns), a bank (cards, transfers), one account of no vertical
  const mixes = verticalMixes([
    row('shop-1', 'ecommerce', 'orders.where_is_my_order', 60),
    row('shop-1', 'ecommerce', 'returns.return_request', 40),
    row('shop-2', 'ecommerce', 'orders.where_is_my_order', 20),
    row('shop-2', 'ecommerce', 'returns.return_request', 80),
    row('bank-1', 'fintech', 'payments.card_block', 50),
    row('bank-1', 'fintech', 'payments.transfer_status', 50),
    row('misc-1', 'other', 'account.password_reset', 90),
    row('misc-1', 'other', 'orders.where_is_my_order', 10),
  ]);

  it("averages each vertical's topic shares over its accounts, accounts weighted alike", () => {
    const shops = mixes.get('ecommerce')!;
    expect([...shops.keys()]).toEqual(['orders.where_is_my_order', 'returns.return_request']);
    expect(shops.get('orders.where_is_my_order')).toBeCloseTo(0.4, 12);
    expect(shops.get('returns.return_request')).toBeCloseTo(0.6, 12);
    expect(mixes.get('fintech')!.get('payments.card_block')).toBe(0.5);
  });

  it('suggests the vertical whose mix is clearly more alike than the one chosen', () => {
    const shopExport = new Map([
      ['orders.where_is_my_order', 300],
      ['returns.return_request', 500],
    ]);
    const ranked = rankVerticals(shopExport, mixes);
    expect(ranked[0]!.vertical).toBe('ecommerce');
    expect(ranked[0]!.similarity).toBeCloseTo((0.4 * 300 + 0.6 * 500) / Math.sqrt(0.52 * 340_000), 12);
    expect(suggestVertical('other', ranked)).toEqual(ranked[0]);
    // chosen already, or nothing alike: no suggestion
    expect(suggestVertical('ecommerce', ranked)).toBeNull();
    expect(
      suggestVertical('other', rankVerticals(new Map([['gaming.purchase_missing', 5]]), mixes)),
    ).toBeNull();
  });

  it('does not suggest a vertical barely more alike than the chosen one', () => {
    const mixed = new Map([
      ['orders.where_is_my_order', 50],
      ['payments.card_block', 40],
    ]);
    const ranked = rankVerticals(mixed, mixes);
    const chosen = ranked[1]!;
    expect(ranked[0]!.similarity - chosen.similarity).toBeLessThan(0.1);
    expect(suggestVertical(chosen.vertical, ranked)).toBeNull();
  });
});
