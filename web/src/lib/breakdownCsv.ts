import type { BreakdownResponse } from '../api/server-types.ts';
import type { CsvValue } from './csv.ts';
import { toCsv } from './csv.ts';

export const BREAKDOWN_CSV_HEADER = [
  'taxonomy_id',
  'group',
  'topic',
  'automation_class',
  'conversations',
  'monthly_conversations',
  'share',
  'involvement_rate',
  'resolution_rate',
  'automation_rate',
  'achievable_involvement',
  'achievable_resolution',
  'achievable_automation',
  'gap_points',
  'gap_conversations_per_month',
  'cx_score',
  'csat',
  'peer_accounts',
] as const;

const r4 = (x: number | null) => (x == null ? null : Math.round(x * 10000) / 10000);
/** a gap in percentage points, as the page shows it (rates stay fractions, as the API serves them) */
const points = (x: number) => Math.round(x * 10000) / 100;

/**
 * `noGaps`: the account has no gap to share out (a withheld estimate, an AI agent not live for a full
 * month yet): the gap columns are left empty, as the page shows its topics by volume alone.
 */
export function breakdownCsvRows(b: BreakdownResponse, noGaps = false): CsvValue[][] {
  return b.leaves.map((l) => [
    l.taxonomyId,
    l.group,
    l.label,
    l.automationClass,
    l.conversations,
    Math.round(l.monthlyConversations * 10) / 10,
    r4(l.share),
    r4(l.involvementRate),
    r4(l.resolutionRate),
    r4(l.automationRate),
    r4(l.achievableInvolvement),
    r4(l.achievableResolution),
    r4(l.achievableAutomation),
    noGaps ? null : points(l.gapPoints),
    noGaps ? null : Math.round(l.gapConversations * 10) / 10,
    l.cxScore == null ? null : Math.round(l.cxScore * 100) / 100,
    r4(l.csat),
    // empty where the page says "by class": too few peers on the topic, its class's level (a 0 read
    // as "no peers")
    l.peerAccounts > 0 ? l.peerAccounts : null,
  ]);
}

export function breakdownCsv(b: BreakdownResponse, noGaps = false): string {
  return toCsv(BREAKDOWN_CSV_HEADER, breakdownCsvRows(b, noGaps));
}
