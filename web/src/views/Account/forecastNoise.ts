/**
 * How far an account's monthly automation rate moves by sampling alone: the mean absolute deviation
 * of a binomial share, √(2/π)·√(p(1−p)/n) — the noise floor the Model view's track record is set
 * against, for this account's volume. The track record is pooled and volume-weighted (big accounts
 * decide it), so a small account's own month can move further than that record by chance alone.
 */
export function monthNoise(rate: number, conversations: number): number | null {
  if (!(conversations > 0) || !(rate >= 0 && rate <= 1)) return null;
  return Math.sqrt(2 / Math.PI) * Math.sqrt((rate * (1 - rate)) / conversations);
}
