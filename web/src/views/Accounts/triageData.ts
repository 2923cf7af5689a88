/**
 * The triage table's data: `GET /api/accounts?view=triage` (column by column, integers in the
 * unit the table displays; server/triage.ts) decoded back into one object per account.
 */
import type { AccountsResponse, TriageAccount, TriageResponse } from '../../api/server-types.ts';

export interface TriageData {
  dataAsOf: string | null;
  month: string | null;
  monthToDate: boolean;
  totals: AccountsResponse['totals'];
  accounts: TriageAccount[];
}

const perMille = (v: number | null | undefined): number | null => (v == null ? null : v / 1000);
const hundredths = (v: number | null | undefined): number | null => (v == null ? null : v / 100);

/** The trend's per-mille values back from their differences (server/triage.ts `deltas`), as fractions. */
function undelta(ds: readonly (number | null)[]): (number | null)[] {
  let last = 0;
  return ds.map((d) => {
    if (d == null) return null;
    last += d;
    return last / 1000;
  });
}

export function decodeTriage(body: TriageResponse): TriageData {
  const { columns: c, dict, flagKinds } = body;
  const text = (i: number | undefined): string | null => (i == null || i < 0 ? null : (dict[i] ?? null));
  const accounts: TriageAccount[] = new Array(body.count);
  for (let i = 0; i < body.count; i++) {
    accounts[i] = {
      id: c.id[i]!,
      name: c.name[i]!,
      vertical: text(c.vertical[i]) ?? '',
      plan: text(c.plan[i]),
      csm: text(c.csm[i]),
      region: text(c.region[i]),
      status: text(c.status[i]) === 'prospect' ? 'prospect' : 'customer',
      arr: c.arr[i] ?? null,
      conversations: c.conversations[i]!,
      resolved: c.resolved[i]!,
      involvementRate: perMille(c.involvementRate[i]),
      resolutionRate: perMille(c.resolutionRate[i]),
      automationRate: perMille(c.automationRate[i]),
      automationPotential: perMille(c.automationPotential[i]),
      gapPoints: perMille(c.gapPoints[i]),
      gapConversations: hundredths(c.gapConversations[i]),
      cxScore: hundredths(c.cxScore[i]),
      flags: (c.flags[i] ?? []).map(([k, reason]) => ({ kind: flagKinds[k]!, reason })),
      trend: undelta(c.trend[i] ?? []),
    };
  }
  return {
    dataAsOf: body.dataAsOf,
    month: body.month,
    monthToDate: body.monthToDate,
    totals: body.totals,
    accounts,
  };
}
