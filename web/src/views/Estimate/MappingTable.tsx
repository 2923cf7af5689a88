/** A CSV file's columns and the fields they are read as (the estimate's preview and import report). */
import { fieldLabel } from './estimateState.ts';

export function MappingTable({
  mapping,
  ignored = [],
  ignoredMore = 0,
  unit = 'Column',
}: {
  mapping: [string, string][];
  ignored?: string[];
  /** ignored columns beyond those named */
  ignoredMore?: number;
  /** CSV columns, or a JSON record's fields */
  unit?: 'Column' | 'Field';
}) {
  return (
    <div className="table-scroll">
      <table className="data-table est-mapping" data-testid="csv-mapping">
        <caption className="sr-only">{unit} mapping: name in the file → field</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="th-plain">{unit} in the file</span>
            </th>
            <th scope="col">
              <span className="th-plain">Used as</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {mapping.map(([header, field]) => (
            <tr key={header}>
              <th scope="row" className="mono">
                {header}
              </th>
              <td>{fieldLabel(field)}</td>
            </tr>
          ))}
          {ignored.map((h) => (
            <tr key={`ignored-${h}`} className="est-ignored">
              <th scope="row" className="mono">
                {h}
              </th>
              <td className="muted">ignored</td>
            </tr>
          ))}
          {ignoredMore > 0 && (
            <tr className="est-ignored">
              <th scope="row" className="muted">
                … and {ignoredMore.toLocaleString('en-US')} more
              </th>
              <td className="muted">ignored</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
