/**
 * Peer benchmarks for prospects, from the serving database: the model-window rows of
 * `account_leaves` of customer accounts, read once, and one `Benchmarks` table per vertical,
 * computed on first use and cached (the serving database does not change while the server runs).
 */
import type Database from 'better-sqlite3';
import { peerLeafRows } from '../db/peers.ts';
import { type Benchmarks, buildBenchmarks, type PeerLeafRow } from '../domain/estimate.ts';
import { VERTICALS } from '../domain/types.ts';
import { verticalMixes } from '../domain/vertical-match.ts';

export interface BenchmarkSource {
  /** peer levels for a prospect of this vertical */
  forVertical(vertical: string): Benchmarks;
  /** verticals a prospect can be compared with: the known ones plus any in the database */
  verticals(): string[];
  /** each vertical's mean topic shares over its customers (to suggest one: vertical-match.ts) */
  topicMixes(): Map<string, Map<string, number>>;
}

export function benchmarkSource(db: Database.Database | null): BenchmarkSource {
  let rows: PeerLeafRow[] | null = null;
  const cache = new Map<string, Benchmarks>();
  let mixes: Map<string, Map<string, number>> | null = null;
  const load = (): PeerLeafRow[] => {
    if (rows) return rows;
    rows = db ? peerLeafRows(db) : [];
    return rows;
  };
  return {
    forVertical(vertical) {
      let b = cache.get(vertical);
      if (!b) {
        b = buildBenchmarks(load(), vertical);
        cache.set(vertical, b);
      }
      return b;
    },
    topicMixes() {
      mixes ??= verticalMixes(load());
      return mixes;
    },
    verticals() {
      const set = new Set<string>(VERTICALS);
      for (const r of load()) set.add(r.vertical);
      return [...set].sort();
    },
  };
}
