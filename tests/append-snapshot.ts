/**
 * Compares two serving databases row by row (the append and queue equivalence tests): every value
 * must be identical, floating-point ones too (JSON columns are compared parsed, to name the field
 * that differs). Sums reach the same bits because every path adds the same terms in the same order.
 */
import Database from 'better-sqlite3';

export type Row = Record<string, unknown>;
export interface DbSnapshot {
  meta: Record<string, unknown>;
  tables: Record<string, Row[]>;
}

/** Meta keys that name the run, not the data. */
const RUN_KEYS = new Set(['builtAt', 'buildId', 'source']);

/** Every table of the serving database, each sorted by all its columns so order cannot matter. */
export function snapshot(path: string): DbSnapshot {
  const db = new Database(path, { readonly: true });
  try {
    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const tables: Record<string, Row[]> = {};
    for (const name of names) {
      if (name === 'meta') continue;
      const columns = (db.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      // rowids are storage, not data: nothing the build computes depends on them (the CX
      // calibration samples its ratings by a hash of the id), so the order lines were read in is free
      tables[name] = db.prepare(`SELECT * FROM ${name} ORDER BY ${columns.join(', ')}`).all() as Row[];
    }
    const meta: Record<string, unknown> = {};
    for (const r of db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[])
      if (!RUN_KEYS.has(r.key)) meta[r.key] = JSON.parse(r.value);
    return { meta, tables };
  } finally {
    db.close();
  }
}

/** Where two snapshots differ, as `table[row].column: a ≠ b` lines (at most 20). */
export function diffSnapshots(a: DbSnapshot, b: DbSnapshot): string[] {
  const out: string[] = [];
  diffValue('meta', a.meta, b.meta, out);
  const names = new Set([...Object.keys(a.tables), ...Object.keys(b.tables)]);
  for (const name of [...names].sort()) {
    const ra = a.tables[name];
    const rb = b.tables[name];
    if (!ra || !rb) {
      out.push(`${name}: only in one database`);
      continue;
    }
    if (ra.length !== rb.length) out.push(`${name}: ${ra.length} rows ≠ ${rb.length} rows`);
    for (let i = 0; i < Math.min(ra.length, rb.length) && out.length < 20; i++)
      diffValue(`${name}[${i}]`, ra[i], rb[i], out);
    if (out.length >= 20) break;
  }
  return out.slice(0, 20);
}

function diffValue(path: string, a: unknown, b: unknown, out: string[]): void {
  if (out.length >= 20) return;
  if (typeof a === 'string' && typeof b === 'string' && a !== b && /^[[{]/.test(a) && /^[[{]/.test(b)) {
    try {
      diffValue(`${path}(json)`, JSON.parse(a), JSON.parse(b), out);
      return;
    } catch {
      // not JSON: compared as text below
    }
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diffValue(`${path}.${k}`, (a as Row)[k], (b as Row)[k], out);
    return;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`);
}
