/**
 * Sparkline geometry for the triage table: a tiny inline SVG per row is far cheaper than a chart
 * instance. Nulls break the line into segments.
 */
export interface SparklineGeometry {
  /** SVG path `d` with one `M` per contiguous run of values */
  path: string;
  /** the last non-null point, for the end dot */
  last: { x: number; y: number } | null;
  /** direction of the last value vs the first (for color) */
  direction: 'up' | 'down' | 'flat' | 'none';
  min: number | null;
  max: number | null;
}

export function sparkline(
  values: readonly (number | null)[],
  width: number,
  height: number,
  pad = 2,
  flatWithin = 0.005,
): SparklineGeometry {
  const nums = values.filter((v): v is number => v != null && Number.isFinite(v));
  if (!nums.length) return { path: '', last: null, direction: 'none', min: null, max: null };
  const min = Math.min(...nums);
  const max = Math.max(...nums);
  const span = max - min || 1;
  const n = values.length;
  const x = (i: number) => (n <= 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1));
  const y = (v: number) =>
    max === min ? height / 2 : height - pad - ((v - min) / span) * (height - 2 * pad);
  const r = (v: number) => Math.round(v * 10) / 10;
  let path = '';
  let pen = false;
  let last: { x: number; y: number } | null = null;
  values.forEach((v, i) => {
    if (v == null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    const px = r(x(i));
    const py = r(y(v));
    path += `${pen ? 'L' : 'M'}${px} ${py}`;
    pen = true;
    last = { x: px, y: py };
  });
  const delta = nums[nums.length - 1]! - nums[0]!;
  const direction =
    nums.length < 2 ? 'none' : Math.abs(delta) <= flatWithin ? 'flat' : delta > 0 ? 'up' : 'down';
  return { path, last, direction, min, max };
}
