/**
 * The minutes-per-conversation box: what a CSM types, read the same in every locale. A decimal
 * comma is read as a decimal point ("7,5" → 7.5): a German or French keyboard types it, and a
 * number input in an English page read "7,5" as 75 — ten times the hours saved, with no error.
 */
export const MINUTES_RANGE = { min: 0.5, max: 240 } as const;

/** Minutes per conversation from the box's text; null when it is not a number in range. */
export function parseMinutes(text: string): number | null {
  // ".5" and "7," (half typed) read as numbers too; at least one digit. NFKC: the full-width
  // "７．５" a Japanese keyboard types in its wide mode is "7.5" (a review saw it refused)
  const m = /^\s*(\d{0,3})(?:[.,](\d{0,2}))?\s*$/.exec(text.normalize('NFKC'));
  if (!m || `${m[1]}${m[2] ?? ''}` === '') return null;
  const n = Number(`${m[1] || '0'}.${m[2] || '0'}`);
  return n >= MINUTES_RANGE.min && n <= MINUTES_RANGE.max ? n : null;
}
