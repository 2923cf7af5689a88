import { Hono } from 'hono';
import { z } from 'zod';
import type { AccountsResponse, SampleConversation, TriageResponse } from '../api-types.ts';
import { JsonCache, jsonTextResponse } from '../cached-json.ts';
import type { ProspectStore } from '../db/prospects.ts';
import { decodeAccountDetail, type Queries } from '../db/queries.ts';
import { DEFAULT_CX_WEIGHTS } from '../domain/cx.ts';
import { withOwnText } from '../domain/email.ts';
import { periodFigures } from '../domain/figures.ts';
import { emptyCounts, ratio } from '../domain/metrics.ts';
import { leafById } from '../domain/taxonomy.ts';
import { clipped, notFound } from '../errors.ts';
import { firstHolding } from '../store/accounts.ts';
import { prospectAccounts } from '../store/prospects.ts';
import { servingAccounts } from '../store/serving.ts';
import { triageColumns } from '../triage.ts';
import { validate } from '../validation.ts';

/** The answer of the store that holds the account; no store holds it → 404. */
/** Example conversations as a reader sees them: customers' e-mails with their own words beside the whole. */
function readable<T extends { samples: SampleConversation[] }>(body: T): T {
  return { ...body, samples: body.samples.map((s) => ({ ...s, messages: withOwnText(s.messages) })) };
}

function found<T>(id: string, answer: T | undefined): T {
  if (answer === undefined) throw notFound(`account "${clipped(id)}" not found`);
  return answer;
}

// No length cap: SPEC §2 sets none on an account id, so a long one the pipeline served in the list must
// open too, and an unknown one is a 404 like any other (a URL is bounded by the HTTP parser anyway).
const accountId = z.object({ id: z.string().min(1) });
const listQuery = z.object({
  status: z.enum(['customer', 'prospect', 'all']).optional(),
  /** triage: the compact column-by-column form the triage table loads (server/triage.ts) */
  view: z.enum(['full', 'triage']).optional(),
});
const samplesQuery = z.object({
  taxonomyId: z
    .string()
    .min(1, 'taxonomyId is required')
    .max(200)
    .refine((id) => leafById(id) !== undefined, {
      error: (issue) =>
        `unknown taxonomy leaf ${JSON.stringify(clipped(String(issue.input)))} (ids are in /api/taxonomy)`,
    }),
});
const cxSamplesQuery = z.object({
  // a digit 1–5 as written: "1e0", "0x3" or " 3" are not a bucket someone meant
  score: z
    .string({
      error: (issue) =>
        Array.isArray(issue.input)
          ? 'score is given more than once'
          : 'score is required: a CX score bucket, 1 to 5',
    })
    .regex(/^[1-5]$/, 'score must be a whole number from 1 to 5')
    .transform(Number),
});

export function accountsRoutes(q: Queries, prospects?: ProspectStore) {
  // customers first: a prospect's id never hides a customer's
  const accounts = prospects
    ? firstHolding(
        servingAccounts(q),
        prospectAccounts(prospects, {
          weights: q.meta.cxCalibration?.weights ?? DEFAULT_CX_WEIGHTS,
          curves: q.meta.cxCalibration?.curves ?? null,
        }),
      )
    : servingAccounts(q);
  // The data is immutable while the server runs: the portfolio response is computed once.
  const cache = new JsonCache<AccountsResponse>();
  const triageCache = new JsonCache<TriageResponse>();
  let portfolio: AccountsResponse | null = null;
  const allAccounts = (): AccountsResponse => {
    if (portfolio) return portfolio;
    const accounts = q.accountSummaries();
    const customers = accounts.filter((a) => a.status === 'customer');
    const conversations = customers.reduce((s, a) => s + a.conversations, 0);
    const resolved = customers.reduce((s, a) => s + a.resolved, 0);
    portfolio = {
      dataAsOf: q.meta.dataAsOf,
      month: q.meta.currentMonth,
      monthToDate: q.meta.monthToDate,
      totals: {
        accounts: customers.length,
        conversations,
        resolved,
        automationRate: ratio(resolved, conversations),
        unrealizedConversations: customers.reduce((s, a) => s + (a.gapConversations ?? 0), 0),
      },
      accounts,
    };
    return portfolio;
  };
  // estimate: saved prospects (their own file, may change while the server runs) join the list
  // with status 'prospect'; the merged response is rebuilt only when a prospect was saved.
  let merged: { version: string; body: AccountsResponse } | null = null;
  const withProspects = (): AccountsResponse => {
    const base = allAccounts();
    if (!prospects) return base;
    const version = prospects.version();
    if (merged?.version === version) return merged.body;
    const saved = prospects.summaries();
    const ids = new Set(base.accounts.map((a) => a.id));
    // A prospect's row carries its export's last month, the list's columns are this month's: an
    // export that ends before this month has no conversations in it (its October count was shown
    // under "this month", then hidden for every prospect, including one whose export reaches it).
    const noneThisMonth = periodFigures(emptyCounts());
    const extra = saved
      .filter((p) => !ids.has(p.id))
      .map((p) => (p.month === base.month ? p : { ...p, ...noneThisMonth, month: base.month ?? p.month }));
    const body = extra.length === 0 ? base : { ...base, accounts: [...base.accounts, ...extra] };
    merged = { version, body };
    return body;
  };

  return new Hono()
    .get('/', validate('query', listQuery), (c) => {
      const { status = 'all', view = 'full' } = c.req.valid('query');
      const version = prospects?.version() ?? '';
      const list = (): AccountsResponse => {
        const all = withProspects();
        return status === 'all' ? all : { ...all, accounts: all.accounts.filter((a) => a.status === status) };
      };
      if (view === 'triage')
        return triageCache.respond(c, `${status}:${version}`, () => triageColumns(list()));
      return cache.respond(c, `${status}:${version}`, list);
    })
    .get('/:id', validate('param', accountId), (c) => {
      const { id } = c.req.valid('param');
      return jsonTextResponse(found(id, accounts.detailJson(id)), decodeAccountDetail);
    })
    .get('/:id/breakdown', validate('param', accountId), (c) => {
      const { id } = c.req.valid('param');
      return c.json(found(id, accounts.breakdown(id)));
    })
    .get('/:id/actions', validate('param', accountId), (c) => {
      const { id } = c.req.valid('param');
      return c.json(found(id, accounts.actions(id)));
    })
    .get('/:id/forecast', validate('param', accountId), (c) => {
      const { id } = c.req.valid('param');
      return c.json(found(id, accounts.forecast(id)));
    })
    .get('/:id/history', validate('param', accountId), (c) => {
      const { id } = c.req.valid('param');
      return c.json(found(id, accounts.history(id)));
    })
    .get('/:id/cx', validate('param', accountId), (c) => {
      const { id } = c.req.valid('param');
      return c.json(found(id, accounts.cx(id)));
    })
    .get('/:id/cx/samples', validate('param', accountId), validate('query', cxSamplesQuery), (c) => {
      const { id } = c.req.valid('param');
      return c.json(readable(found(id, accounts.cxSamples(id, c.req.valid('query').score))));
    })
    .get('/:id/samples', validate('param', accountId), validate('query', samplesQuery), (c) => {
      const { id } = c.req.valid('param');
      return c.json(readable(found(id, accounts.samples(id, c.req.valid('query').taxonomyId))));
    });
}
