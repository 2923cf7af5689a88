import { Hono } from 'hono';
import { z } from 'zod';
import type {
  AccountDetail,
  AccountsResponse,
  ActionsResponse,
  BreakdownResponse,
  ClassBreakdown,
  CxResponse,
  LeafBreakdown,
  NextAction,
  SamplesResponse,
  TriageResponse,
} from '../api-types.ts';
import { JsonCache, jsonTextResponse } from '../cached-json.ts';
import type { ProspectStore } from '../db/prospects.ts';
import type { Queries } from '../db/queries.ts';
import { actionRationale, actionTitle } from '../domain/actions.ts';
import { ratio } from '../domain/metrics.ts';
import { notFound } from '../errors.ts';
import {
  prospectActions,
  prospectBreakdown,
  prospectCx,
  prospectSamples,
} from '../estimate/prospect-views.ts';
import { triageColumns } from '../triage.ts';
import { validate } from '../validation.ts';

const accountId = z.object({ id: z.string().min(1).max(200) });
const listQuery = z.object({
  status: z.enum(['customer', 'prospect', 'all']).optional(),
  /** triage: the compact column-by-column form the triage table loads (server/triage.ts) */
  view: z.enum(['full', 'triage']).optional(),
});
const samplesQuery = z.object({ taxonomyId: z.string().min(1, 'taxonomyId is required').max(200) });

export function accountsRoutes(q: Queries, prospects?: ProspectStore) {
  const window = q.meta.window ?? { from: '', to: '', months: 0 };
  const requireAccount = (id: string) => {
    const summary = q.accountSummary(id);
    if (!summary) throw notFound(`account "${id}" not found`);
    return summary;
  };
  /** A saved prospect (not in the serving database) answers the account endpoints too. */
  const prospectOf = (id: string) => (q.accountSummary(id) ? undefined : prospects?.get(id));
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
    const extra = saved.filter((p) => !ids.has(p.id));
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
      const id = c.req.valid('param').id;
      // one lookup for an account of the serving database (its stored detail is the answer)
      const json = q.accountDetailJson(id);
      if (json !== undefined) return jsonTextResponse(json, q.decodeAccountDetail);
      // estimate: a saved prospect (not in the serving database) has its own detail
      const prospect = prospects?.detail(id);
      if (prospect) return c.json(prospect satisfies AccountDetail);
      throw notFound(`account "${id}" not found`);
    })
    .get('/:id/breakdown', validate('param', accountId), (c) => {
      const prospect = prospectOf(c.req.valid('param').id);
      if (prospect) return c.json(prospectBreakdown(prospect));
      const summary = requireAccount(c.req.valid('param').id);
      const rows = q.accountLeaves(summary.id);
      const months = Math.max(1, window.months);
      const leaves: LeafBreakdown[] = rows.map((r) => ({
        taxonomyId: r.taxonomyId,
        label: r.label,
        group: r.grp,
        automationClass: r.automationClass,
        conversations: r.conversations,
        monthlyConversations: r.conversations / months,
        share: r.share,
        involvementRate: ratio(r.involved, r.conversations),
        resolutionRate: ratio(r.resolved, r.involved),
        automationRate: ratio(r.resolved, r.conversations),
        achievableInvolvement: r.achievableInvolvement,
        achievableResolution: r.achievableResolution,
        achievableAutomation: r.achievableAutomation,
        gapPoints: r.gapPoints,
        gapConversations: r.gapConversations,
        cxScore: ratio(r.cxSum, r.cxScored),
        csat: ratio(r.positiveRatings, r.ratings),
        peerAccounts: r.peerAccounts,
      }));
      const classes: ClassBreakdown[] = q.accountClasses(summary.id);
      const body: BreakdownResponse = { window, classes, leaves };
      return c.json(body);
    })
    .get('/:id/actions', validate('param', accountId), (c) => {
      const prospect = prospectOf(c.req.valid('param').id);
      if (prospect) return c.json(prospectActions(prospect));
      const summary = requireAccount(c.req.valid('param').id);
      const actions: NextAction[] = q.actions(summary.id).map((r) => {
        return {
          rank: r.rank,
          taxonomyId: r.taxonomyId,
          label: r.label,
          automationClass: r.automationClass,
          kind: r.kind,
          title: actionTitle(r.kind, r.label),
          rationale: actionRationale(r, r.label),
          evidence: {
            monthlyConversations: r.monthlyConversations,
            share: r.share,
            involvementRate: r.involvementRate,
            resolutionRate: r.resolutionRate,
            achievableInvolvement: r.achievableInvolvement,
            achievableResolution: r.achievableResolution,
            sampleIds: JSON.parse(r.sampleIdsJson) as string[],
          },
          gainPoints: r.gainPoints,
          gainConversations: r.gainConversations,
          cumulativeRate: r.cumulativeRate,
        };
      });
      const body: ActionsResponse = {
        current: summary.windowAutomationRate,
        potential: summary.automationPotential,
        actions,
      };
      return c.json(body);
    })
    .get('/:id/cx', validate('param', accountId), (c) => {
      const prospect = prospectOf(c.req.valid('param').id);
      if (prospect) return c.json(prospectCx(prospect));
      const summary = requireAccount(c.req.valid('param').id);
      const cx = q.accountCx(summary.id);
      const lowestTopics = q
        .accountLeaves(summary.id)
        .filter((r) => r.cxScored >= 10)
        .map((r) => ({
          taxonomyId: r.taxonomyId,
          label: r.label,
          cxScore: r.cxSum / r.cxScored,
          conversations: r.conversations,
        }))
        .sort((a, b) => a.cxScore - b.cxScore)
        .slice(0, 5);
      const cal = q.meta.cxCalibration;
      const body: CxResponse = {
        distribution: cx?.distribution ?? [1, 2, 3, 4, 5].map((score) => ({ score, conversations: 0 })),
        subSignals: cx?.subSignals ?? { resolution: null, sentiment: null, effort: null },
        lowestTopics,
        calibration: cal ? { spearman: cal.spearman, heldOut: cal.heldOut, weights: cal.weights } : null,
      };
      return c.json(body);
    })
    .get('/:id/samples', validate('param', accountId), validate('query', samplesQuery), (c) => {
      const { taxonomyId } = c.req.valid('query');
      const prospect = prospectOf(c.req.valid('param').id);
      if (prospect) return c.json(prospectSamples(prospect, taxonomyId));
      const summary = requireAccount(c.req.valid('param').id);
      const body: SamplesResponse = { taxonomyId, samples: q.samples(summary.id, taxonomyId) };
      return c.json(body);
    });
}
