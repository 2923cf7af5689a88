import type { APIRequestContext } from '@playwright/test';
import type { AccountDetail, AccountSummary, AccountsResponse } from '../../server/api-types.ts';

export const PCT = /^(\d{1,3}\.\d%|—)$/;
export const COUNT = /^(\d{1,3}(,\d{3})*|—)$/;

/** Same rule as web/src/lib/format.ts pct(). */
export function pct(x: number | null): string {
  return x == null
    ? '—'
    : `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x * 100)}%`;
}

export async function getAccounts(request: APIRequestContext): Promise<AccountsResponse> {
  const res = await request.get('/api/accounts');
  if (!res.ok()) throw new Error(`GET /api/accounts → ${res.status()}`);
  return (await res.json()) as AccountsResponse;
}

export async function getAccount(request: APIRequestContext, id: string): Promise<AccountDetail> {
  const res = await request.get(`/api/accounts/${encodeURIComponent(id)}`);
  if (!res.ok()) throw new Error(`GET /api/accounts/${id} → ${res.status()}`);
  return (await res.json()) as AccountDetail;
}

/** The customer with the most conversations this month (the richest page to test). */
export function biggestCustomer(data: AccountsResponse): AccountSummary {
  const customers = data.accounts.filter((a) => a.status === 'customer');
  if (!customers.length) throw new Error('demo database has no customers');
  return customers.reduce((best, a) => (a.conversations > best.conversations ? a : best));
}
