import type { APIRequestContext } from '@playwright/test';
import type {
  AccountDetail,
  AccountSummary,
  AccountsResponse,
  ModelResponse,
  PatternsResponse,
} from '../../server/api-types.ts';

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

/** Same rule as web/src/lib/format.ts count(). */
export function count(x: number | null): string {
  return x == null ? '—' : new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(Math.round(x));
}

/** Same rule as web/src/lib/format.ts points() (unsigned when `signed` is false). */
export function pts(x: number | null, signed = true): string {
  if (x == null) return '—';
  const v = x * 100;
  const r = Math.abs(v) < 0.05 ? 0 : v;
  const sign = signed && r > 0 ? '+' : r < 0 ? '−' : '';
  return `${sign}${new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(r))} pts`;
}

export async function getPatterns(
  request: APIRequestContext,
  query: { vertical?: string; period?: number } = {},
): Promise<PatternsResponse> {
  const qs = new URLSearchParams();
  if (query.vertical) qs.set('vertical', query.vertical);
  if (query.period) qs.set('period', String(query.period));
  const res = await request.get(`/api/patterns${qs.size ? `?${qs}` : ''}`);
  if (!res.ok()) throw new Error(`GET /api/patterns → ${res.status()}`);
  return (await res.json()) as PatternsResponse;
}

export async function getModel(request: APIRequestContext): Promise<ModelResponse> {
  const res = await request.get('/api/model');
  if (!res.ok()) throw new Error(`GET /api/model → ${res.status()}`);
  return (await res.json()) as ModelResponse;
}
