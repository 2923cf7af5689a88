/** Axis/tooltip formatters shared by chart builders. */
import { count, pct } from '../lib/format.ts';

type Raw = unknown;

function num(v: Raw): number | null {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Values stored as percent numbers (0–100) in series → "42.4%". */
export const pctValue = (v: Raw) => {
  const x = num(v);
  return x == null ? '—' : pct(x / 100);
};
export const countValue = (v: Raw) => count(num(v));
export const pctAxis = (v: number) => `${v}%`;
export const countAxis = (v: number) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}K` : String(v));

/** A 0–1 fraction (or null) as a percent number for a series, rounded to 0.1. */
export function toPct(x: number | null | undefined): number | null {
  return x == null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 10;
}
