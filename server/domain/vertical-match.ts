/**
 * Which vertical's customers a prospect's topic mix looks most like: the cosine similarity of its
 * share per topic with each vertical's mean share per topic (accounts weighted alike). The estimate
 * compares a prospect with the peers of the vertical the user picks, "Other" unless changed; an
 * e-commerce export left on "Other" was benchmarked against the few accounts of no vertical, and
 * nothing said so.
 */

export interface TopicMixRow {
  accountId: string;
  vertical: string;
  taxonomyId: string;
  conversations: number;
}

/** Each vertical's mean topic shares over its accounts. */
export function verticalMixes(rows: readonly TopicMixRow[]): Map<string, Map<string, number>> {
  const byAccount = new Map<string, { vertical: string; total: number; leaves: Map<string, number> }>();
  for (const r of rows) {
    let a = byAccount.get(r.accountId);
    if (!a) {
      a = { vertical: r.vertical, total: 0, leaves: new Map() };
      byAccount.set(r.accountId, a);
    }
    a.total += r.conversations;
    a.leaves.set(r.taxonomyId, (a.leaves.get(r.taxonomyId) ?? 0) + r.conversations);
  }
  const sums = new Map<string, { accounts: number; shares: Map<string, number> }>();
  for (const a of byAccount.values()) {
    if (a.total <= 0) continue;
    let v = sums.get(a.vertical);
    if (!v) {
      v = { accounts: 0, shares: new Map() };
      sums.set(a.vertical, v);
    }
    v.accounts++;
    for (const [leaf, n] of a.leaves) v.shares.set(leaf, (v.shares.get(leaf) ?? 0) + n / a.total);
  }
  const out = new Map<string, Map<string, number>>();
  for (const [vertical, v] of sums)
    out.set(vertical, new Map([...v.shares].map(([leaf, s]) => [leaf, s / v.accounts])));
  return out;
}

function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, x] of a) {
    na += x * x;
    dot += x * (b.get(k) ?? 0);
  }
  for (const y of b.values()) nb += y * y;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export interface VerticalMatch {
  vertical: string;
  similarity: number;
}

/** Every vertical by how alike its topic mix is to `mix` (conversations per topic), most alike first. */
export function rankVerticals(
  mix: ReadonlyMap<string, number>,
  mixes: ReadonlyMap<string, ReadonlyMap<string, number>>,
): VerticalMatch[] {
  return [...mixes]
    .map(([vertical, shares]) => ({ vertical, similarity: cosine(mix, shares) }))
    .sort((a, b) => b.similarity - a.similarity || a.vertical.localeCompare(b.vertical, 'en'));
}

/** How much more alike the best vertical must be than the chosen one before it is suggested. */
export const SUGGEST_MARGIN = 0.1;

/**
 * The vertical to suggest instead of `chosen`, or null: the most alike when it is clearly more
 * alike than the chosen one (by SUGGEST_MARGIN) and alike at all (0.5).
 */
export function suggestVertical(chosen: string, ranked: readonly VerticalMatch[]): VerticalMatch | null {
  const best = ranked[0];
  if (!best || best.vertical === chosen || best.similarity < 0.5) return null;
  const mine = ranked.find((r) => r.vertical === chosen)?.similarity ?? 0;
  return best.similarity - mine >= SUGGEST_MARGIN ? best : null;
}
