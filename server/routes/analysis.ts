import type Database from 'better-sqlite3';
import { Hono } from 'hono';
import { z } from 'zod';
import type {
  BacktestPointRow,
  InterventionLiftRow,
  LeafPatternRow,
  ModelResponse,
  PatternsResponse,
} from '../api-types.ts';
import { createAnalysisQueries } from '../db/queries.ts';
import { storedJson } from '../db/stored-json.ts';
import { type BacktestPoint, summarizeCeiling, summarizeErrors } from '../domain/backtest.ts';
import { DEFAULT_MATCHED_LIFT, liftMethod } from '../domain/lifts.ts';
import { DEFAULT_PATTERNS } from '../domain/patterns.ts';
import { DEFAULT_MODEL, modelMethod } from '../domain/potential.ts';
import { leafById } from '../domain/taxonomy.ts';
import { ApiError } from '../errors.ts';
import { validate } from '../validation.ts';

const patternsQuery = z.object({
  vertical: z.string().min(1).max(60).optional(),
  // months as written in digits: "0x0c", "6e0" or "12.0" are not a period someone meant
  period: z
    .string()
    .regex(/^\d{1,3}$/, 'period must be a whole number of months')
    .transform(Number)
    .optional(),
});

export function analysisRoutes(db: Database.Database) {
  const q = createAnalysisQueries(db);
  const label = (id: string) => leafById(id)?.label ?? id;
  let model: ModelResponse | null = null;
  let nameMap: Map<string, string> | null = null;
  const names = () => {
    nameMap ??= q.accountNames();
    return nameMap;
  };

  return new Hono()
    .get('/patterns', validate('query', patternsQuery), (c) => {
      const { vertical = 'all', period = 12 } = c.req.valid('query');
      const verticals = q.verticals();
      const periods = q.periods();
      if (verticals.length > 0 && !verticals.includes(vertical))
        throw new ApiError(
          400,
          'bad_request',
          `unknown vertical "${vertical}" (expected one of ${verticals.join(', ')})`,
        );
      if (periods.length > 0 && !periods.includes(period))
        throw new ApiError(400, 'bad_request', `period must be one of ${periods.join(', ')} months`);
      const row = q.pattern(vertical, period);
      const accountNames = names();
      const leaves: LeafPatternRow[] = row
        ? storedJson.leafPatterns.decode(row.leavesJson).map((l) => {
            return {
              ...l,
              // a database built before the split has none: no lever to name (the column shows a dash)
              unrealizedByLever: l.unrealizedByLever ?? { audience: 0, resolution: 0 },
              label: label(l.taxonomyId),
              group: leafById(l.taxonomyId)?.group ?? '',
            };
          })
        : [];
      const stored = row ? storedJson.lifts.decode(row.liftsJson) : null;
      const liftSettings = stored?.settings ?? DEFAULT_MATCHED_LIFT;
      const lifts: InterventionLiftRow[] = (stored?.kinds ?? []).map((k) => ({
        ...k,
        // a mean over no measured fix is no number (SPEC §1), not a lift of 0
        ...(k.n === 0 && { lift: null, low: null, high: null, p10: null, p90: null }),
        events: k.events.map((e) => ({
          ...e,
          name: accountNames.get(e.accountId) ?? e.accountId,
          label: label(e.taxonomyId),
        })),
      }));
      const body: PatternsResponse = {
        vertical,
        period,
        accountsInScope: q.customersIn(vertical),
        settings: DEFAULT_PATTERNS,
        from: row?.from ?? '',
        to: row?.to ?? '',
        verticals,
        periods,
        leaves,
        lifts,
        liftMethod: liftMethod(liftSettings),
        liftSettings,
      };
      return c.json(body);
    })
    .get('/model', (c) => {
      if (!model) {
        const points: BacktestPointRow[] = q.backtest();
        const group = <K extends string | boolean>(key: (p: BacktestPointRow) => K) => {
          const map = new Map<K, BacktestPoint[]>();
          for (const p of points) {
            const k = key(p);
            const list = map.get(k);
            if (list) list.push(p);
            else map.set(k, [p]);
          }
          return map;
        };
        const outcomes = points.flatMap((p) => [
          ...(p.actual3 !== null ? [{ ...p, error: p.actual3 - p.predicted, horizon: 3 as const }] : []),
          ...(p.actual6 !== null ? [{ ...p, error: p.actual6 - p.predicted, horizon: 6 as const }] : []),
        ]);
        // for a ceiling the misses that count are the passes: up to 8 of the largest, then the
        // largest shortfalls (headroom not yet used). By distance alone the list held shortfalls only
        const passes = outcomes
          .filter((o) => o.error > 0)
          .sort((a, b) => b.error - a.error)
          .slice(0, 8);
        const misses = [
          ...passes,
          ...outcomes
            .filter((o) => o.error <= 0)
            .sort((a, b) => a.error - b.error)
            .slice(0, 15 - passes.length),
        ];
        model = {
          method: modelMethod(DEFAULT_MODEL),
          ceiling: summarizeCeiling(points),
          fixedLeaves: q.fixCheck(),
          overall: { h3: summarizeErrors(points, 3), h6: summarizeErrors(points, 6) },
          byVertical: [...group((p) => p.vertical)]
            .map(([vertical, ps]) => ({
              vertical,
              ceiling: summarizeCeiling(ps),
              h3: summarizeErrors(ps, 3),
              h6: summarizeErrors(ps, 6),
            }))
            .sort((a, b) => a.vertical.localeCompare(b.vertical, 'en')),
          byActed: [...group((p) => p.acted)]
            .map(([acted, ps]) => ({
              acted,
              ceiling: summarizeCeiling(ps),
              h3: summarizeErrors(ps, 3),
              h6: summarizeErrors(ps, 6),
            }))
            // acted first
            .sort((a, b) => Number(b.acted) - Number(a.acted)),
          largestMisses: misses,
          points,
          forecast: q.forecast(),
        };
      }
      return c.json(model);
    });
}
