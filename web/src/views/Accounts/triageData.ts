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

/**
 * The trend back from its code (server/triage.ts `trendCode`: the count of leading nulls, then
 * per-mille differences), as fractions.
 */
function decodeTrend(code: readonly (number | null)[]): (number | null)[] {
  const trend: (number | null)[] = new Array(code[0] ?? 0).fill(null);
  let last = 0;
  for (let k = 1; k < code.length; k++) {
    const d = code[k];
    if (d == null) trend.push(null);
    else {
      last += d;
      trend.push(last / 1000);
    }
  }
  return trend;
}

const NO_FLAGS: TriageAccount['flags'] = [];

/**
 * One decoded account. The trend is decoded when read: only the rows on screen draw it, and
 * decoding 10,000 trends up front (120,000 values) was a third of the decoding, which runs once,
 * cold, while the page waits for its first rows. (A getter: spreading a row would drop it.)
 */
class DecodedAccount implements TriageAccount {
  readonly #trendCode: readonly (number | null)[];
  awaitingLive?: true;
  poorTopicFit?: number;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly vertical: string,
    readonly plan: string | null,
    readonly csm: string | null,
    readonly region: string | null,
    readonly status: TriageAccount['status'],
    readonly arr: number | null,
    readonly conversations: number,
    readonly resolved: number,
    readonly involvementRate: number | null,
    readonly resolutionRate: number | null,
    readonly automationRate: number | null,
    readonly automationPotential: number | null,
    readonly windowAutomationRate: number | null,
    readonly gapPoints: number | null,
    readonly gapConversations: number | null,
    readonly cxScore: number | null,
    readonly flags: TriageAccount['flags'],
    trendCode: readonly (number | null)[],
  ) {
    this.#trendCode = trendCode;
  }

  get trend(): (number | null)[] {
    return decodeTrend(this.#trendCode);
  }
}

export function decodeTriage(body: TriageResponse): TriageData {
  const { columns: c, dict, flagKinds } = body;
  const text = (i: number | undefined): string | null => (i == null || i < 0 ? null : (dict[i] ?? null));
  const accounts: TriageAccount[] = new Array(body.count);
  for (let i = 0; i < body.count; i++) {
    const flags = c.flags[i];
    accounts[i] = new DecodedAccount(
      c.id[i]!,
      c.name[i]!,
      text(c.vertical[i]) ?? '',
      text(c.plan[i]),
      text(c.csm[i]),
      text(c.region[i]),
      text(c.status[i]) === 'prospect' ? 'prospect' : 'customer',
      c.arr[i] ?? null,
      c.conversations[i]!,
      c.resolved[i]!,
      perMille(c.involvementRate[i]),
      perMille(c.resolutionRate[i]),
      perMille(c.automationRate[i]),
      perMille(c.automationPotential[i]),
      perMille(c.windowAutomationRate[i]),
      perMille(c.gapPoints[i]),
      hundredths(c.gapConversations[i]),
      hundredths(c.cxScore[i]),
      flags?.length
        ? flags.map(([k, reason]) => ({ kind: flagKinds[k]!, reason: dict[reason] ?? '' }))
        : NO_FLAGS,
      c.trend[i] ?? [],
    );
  }
  // (a server older than the column sends none)
  c.awaitingLive?.forEach((waiting, i) => {
    const a = accounts[i];
    if (waiting === 1 && a instanceof DecodedAccount) a.awaitingLive = true;
  });
  for (const [row, share] of c.poorTopicFit ?? []) {
    const a = accounts[row];
    if (a instanceof DecodedAccount) a.poorTopicFit = share / 1000;
  }
  return {
    dataAsOf: body.dataAsOf,
    month: body.month,
    monthToDate: body.monthToDate,
    totals: body.totals,
    accounts,
  };
}
