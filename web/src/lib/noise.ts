/**
 * Whether a month-over-month change of a rate is within what sampling alone moves it: a two-
 * proportion test at 95% (pooled rate, |d| < 1.96 · SE). "CSAT 100% ▲ +25 pts" from one rating
 * against four read as good news in green; a change within noise is shown grey and says so.
 */
export function withinNoise(
  cur: { rate: number | null; n: number },
  prev: { rate: number | null; n: number } | null | undefined,
): boolean {
  if (!prev || cur.rate == null || prev.rate == null) return false;
  if (cur.n <= 0 || prev.n <= 0) return true;
  const pooled = (cur.rate * cur.n + prev.rate * prev.n) / (cur.n + prev.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / cur.n + 1 / prev.n));
  // a pooled rate of 0 or 1 has no spread: any change there is real
  return se > 0 && Math.abs(cur.rate - prev.rate) < 1.96 * se;
}

/**
 * The same for a mean score on 1–5 (the CX score): its conversations' scores spread by about one
 * point, so a month's mean moves by ~1/√n by sampling alone.
 */
export function meanWithinNoise(
  cur: { mean: number | null; n: number },
  prev: { mean: number | null; n: number } | null | undefined,
  spread = 1,
): boolean {
  if (!prev || cur.mean == null || prev.mean == null) return false;
  if (cur.n <= 0 || prev.n <= 0) return true;
  return Math.abs(cur.mean - prev.mean) < 1.96 * spread * Math.sqrt(1 / cur.n + 1 / prev.n);
}
