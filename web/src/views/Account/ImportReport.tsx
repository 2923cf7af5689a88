/** What the import of a prospect's export kept, skipped and rejected (shown on a prospect's Account page). */
import { useState } from 'react';
import type { EstimateResult } from '../../api/server-types.ts';
import { count } from '../../lib/format.ts';
import { formatLabel, skippedList } from '../Estimate/estimateState.ts';
import { MappingTable } from '../Estimate/MappingTable.tsx';
// its cards share the Estimate view's styles, and a prospect's page can be opened directly
import '../Estimate/estimate.css';

const FIRST_REJECTS = 5;

export function ImportReport({ r }: { r: EstimateResult }) {
  const rep = r.report;
  const skipped = skippedList(rep);
  const mapping = rep.mapping ? Object.entries(rep.mapping) : [];
  const [allRejects, setAllRejects] = useState(false);
  const rejects = allRejects ? rep.rejects : rep.rejects.slice(0, FIRST_REJECTS);
  return (
    <section className="card est-report" aria-labelledby="est-report-h" data-testid="estimate-report">
      <div className="card-head">
        <h2 id="est-report-h">Import report</h2>
        <span className="badge badge-muted">
          {formatLabel(rep.format)}
          {rep.gzip ? ' · gzip' : ''}
          {rep.encoding !== 'utf-8' ? ` · ${rep.encoding.toUpperCase()}` : ''}
        </span>
      </div>
      <dl className="est-counts">
        <div>
          <dt>Records</dt>
          <dd data-testid="report-records">{count(rep.records)}</dd>
        </div>
        <div className="est-count-good">
          <dt>Imported</dt>
          <dd data-testid="report-imported">{count(rep.imported)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-testid="report-skipped">{count(rep.skipped)}</dd>
        </div>
        <div className={rep.rejected > 0 ? 'est-count-bad' : undefined}>
          <dt>Rejected</dt>
          <dd data-testid="report-rejected">{count(rep.rejected)}</dd>
        </div>
      </dl>
      {skipped.length > 0 && (
        <div className="est-report-block">
          <h3 className="h3">Skipped on purpose</h3>
          <ul className="est-list">
            {skipped.map((s) => (
              <li key={s.reason}>
                <span className="num-strong">{count(s.n)}</span> {s.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {rep.rejects.length > 0 && (
        <div className="est-report-block">
          <h3 className="h3">
            Rejected records{rep.rejected > rep.rejects.length ? ` (first ${rep.rejects.length})` : ''}
          </h3>
          <ul className="est-list est-rejects" data-testid="report-rejects">
            {rejects.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the importer's order is fixed
              <li key={i}>
                <span className="badge badge-bad">{x.line > 0 ? `line ${x.line}` : 'line ?'}</span> {x.reason}
              </li>
            ))}
          </ul>
          {rep.rejects.length > FIRST_REJECTS && (
            <button type="button" className="btn btn-link btn-sm" onClick={() => setAllRejects((v) => !v)}>
              {allRejects ? 'Show fewer' : `Show all ${rep.rejects.length}`}
            </button>
          )}
        </div>
      )}
      {mapping.length > 0 && (
        <div className="est-report-block">
          <h3 className="h3">{rep.format === 'records' ? 'JSON fields used' : 'CSV columns used'}</h3>
          <MappingTable mapping={mapping} unit={rep.format === 'records' ? 'Field' : 'Column'} />
        </div>
      )}
      {rep.notes.length > 0 && (
        <div className="est-report-block">
          <h3 className="h3">Notes</h3>
          <ul className="est-list est-notes">
            {rep.notes.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
