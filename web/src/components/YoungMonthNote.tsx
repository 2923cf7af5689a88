/** The note of a month that has run for under a tenth of it (lib/pace.ts), or nothing. */
import { monthLabel } from '../lib/format.ts';
import { youngMonthNote } from '../lib/pace.ts';

export function YoungMonthNote({ month, asOf }: { month: string | null; asOf: string | null }) {
  const note = youngMonthNote(month, asOf, monthLabel(month));
  return note ? (
    <p className="small badge-warn young-month" role="note" data-testid="young-month">
      {note}
    </p>
  ) : null;
}
