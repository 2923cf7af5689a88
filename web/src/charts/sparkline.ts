/**
 * Sparkline geometry for the triage table: a tiny inline SVG per row is far cheaper than a chart
 * instance. Nulls break the line into segments.
 */
export interface SparklineGeometry {
  /** SVG path `d` with one `M` per contiguous run of values */
  path: string;
  /** the last non-null point, for the end dot */
  last: { x: number; y: number } | null;
  /** direction of the last complete month's value vs the first (for color) */
  direction: 'up' | 'down' | 'flat' | 'none';
  /**
   * The segment into the month in progress, drawn apart (dashed, hollow end): a half month's rate
   * is not yet a move, and a "Climbing" account read red beside its badge when it was its colour.
   */
  tail: string;
  min: number | null;
  max: number | null;
}

export function sparkline(
  values: readonly (number | null)[],
  width: number,
  height: number,
  pad = 2,
  flatWithin = 0.005,
  lastInProgress = false,
): SparklineGeometry {
  const isNum = (v: number | null | undefined): v is number => v != null && Number.isFinite(v);
  const nums = values.filter(isNum);
  if (!nums.length) return { path: '', tail: '', last: null, direction: 'none', min: null, max: null };
  const partial = lastInProgress && isNum(values.at(-1));
  const min = Math.min(...nums);
  const max = Math.max(...nums);
  const span = max - min || 1;
  const n = values.length;
  const x = (i: number) => (n <= 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1));
  const y = (v: number) =>
    max === min ? height / 2 : height - pad - ((v - min) / span) * (height - 2 * pad);
  const r = (v: number) => Math.round(v * 10) / 10;
  let path = '';
  let tail = '';
  let pen = false;
  let last: { x: number; y: number } | null = null;
  values.forEach((v, i) => {
    if (!isNum(v)) {
      pen = false;
      return;
    }
    const px = r(x(i));
    const py = r(y(v));
    if (partial && i === values.length - 1) {
      // alone after a gap the month in progress is only its end dot
      if (pen && last) tail = `M${last.x} ${last.y}L${px} ${py}`;
    } else path += `${pen ? 'L' : 'M'}${px} ${py}`;
    pen = true;
    last = { x: px, y: py };
  });
  const complete = partial ? nums.slice(0, -1) : nums;
  const delta = (complete.at(-1) ?? 0) - (complete[0] ?? 0);
  const direction =
    complete.length < 2 ? 'none' : Math.abs(delta) <= flatWithin ? 'flat' : delta > 0 ? 'up' : 'down';
  return { path, tail, last, direction, min, max };
}
