/** Module-level columns of the estimate's breakdown tables (by topic, by automation class). */
import { createColumnHelper } from '@tanstack/react-table';
import { createContext, useContext } from 'react';
import type { EstimateClass, EstimateLeaf } from '../../api/server-types.ts';
import { ClassName } from '../../components/Breakdown.tsx';
import type { ColUi, SmallF } from '../../components/DataTable.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, humanize, pct, points } from '../../lib/format.ts';
import { byString, numericColumn, orUndefined } from '../../lib/tableSort.ts';
import { SOURCE_LABELS } from './estimateState.ts';

/** Expanded topic rows (the example conversations panel), provided by the breakdown section. */
export const ExpandContext = createContext<{ expanded: ReadonlySet<string>; toggle: (id: string) => void }>({
  expanded: new Set(),
  toggle: () => {},
});

// ---------- by topic ----------
const leafHelper = createColumnHelper<SmallF, EstimateLeaf>();
function LeafToggle({ leaf: l }: { leaf: EstimateLeaf }) {
  const { expanded, toggle } = useContext(ExpandContext);
  const open = expanded.has(l.taxonomyId);
  return (
    <button
      type="button"
      className="linkish leaf-btn est-toggle"
      aria-expanded={open}
      aria-controls={`est-leaf-${l.taxonomyId}`}
      onClick={() => toggle(l.taxonomyId)}
      title={open ? 'Hide example conversations' : 'Show example conversations'}
    >
      <span className="leaf-label">
        <span className="est-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>{' '}
        {l.label}
      </span>
      <span className="leaf-group">
        <i className={`dot class-${l.automationClass}`} aria-hidden="true" /> {l.group} ·{' '}
        {humanize(l.automationClass)} · {l.samples.length} example{l.samples.length === 1 ? '' : 's'}
      </span>
    </button>
  );
}

export const leafColumns = leafHelper.columns([
  leafHelper.accessor('label', {
    header: 'Topic',
    sortFn: byString,
    cell: (info) => <LeafToggle leaf={info.row.original} />,
  }),
  leafHelper.accessor('conversations', {
    header: 'Conversations',
    ...numericColumn,
    cell: (i) => count(i.getValue()),
  }),
  leafHelper.accessor('share', { header: 'Share', ...numericColumn, cell: (i) => pct(i.getValue()) }),
  leafHelper.accessor('confidence', {
    header: 'Confidence',
    ...numericColumn,
    cell: (i) => (
      <span className={i.row.original.uncertain ? 'est-lowconf' : undefined}>{pct(i.getValue())}</span>
    ),
  }),
  leafHelper.accessor('achievableInvolvement', {
    header: 'Involvement',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  leafHelper.accessor('achievableResolution', {
    header: 'Resolution',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  leafHelper.accessor('achievableAutomation', {
    header: 'Expected automation',
    ...numericColumn,
    cell: (i) => (
      <span className="est-range-cell">
        <strong>{pct(i.getValue())}</strong>
        <span className="muted small">
          {pct(i.row.original.automationLow)}–{pct(i.row.original.automationHigh)}
        </span>
      </span>
    ),
  }),
  leafHelper.accessor('points', {
    header: 'Adds',
    ...numericColumn,
    cell: (i) => points(i.getValue(), { signed: true }),
  }),
  leafHelper.accessor('expectedConversations', {
    header: 'Automated/mo',
    ...numericColumn,
    cell: (i) => count(i.getValue()),
  }),
  leafHelper.accessor((r) => r.benchmark.peers, {
    id: 'peers',
    header: 'Peers',
    ...numericColumn,
    cell: (i) => {
      const b = i.row.original.benchmark;
      return (
        <span title={SOURCE_LABELS[b.source]}>
          {b.source === 'prior' ? 'prior' : count(b.peers)}
          {b.source !== 'vertical' && b.source !== 'prior' && <sup className="est-src">*</sup>}
        </span>
      );
    },
  }),
]);

export const LEAF_UI: Record<string, ColUi> = {
  label: {
    title: 'Taxonomy topic (leaf), its group and automation class. Open a row for example conversations.',
  },
  conversations: { align: 'right', title: 'Conversations of the export classified into this topic' },
  share: { align: 'right', title: 'Share of the export’s conversations' },
  confidence: {
    align: 'right',
    title:
      'Mean classifier confidence of the topic’s conversations (calibrated; in orange when more likely wrong than right)',
  },
  achievableInvolvement: {
    align: 'right',
    title: `Achievable involvement: P75 of comparable accounts on this topic. ${DEFINITIONS.involvementRate}`,
  },
  achievableResolution: {
    align: 'right',
    title: `Achievable resolution: P75 of comparable accounts on this topic. ${DEFINITIONS.resolutionRate}`,
  },
  achievableAutomation: {
    align: 'right',
    title: 'Expected automation rate of the topic (involvement × resolution at P75), with its low–high range',
  },
  points: {
    align: 'right',
    title: 'Points this topic adds to the prospect’s automation rate (share × rate)',
  },
  expectedConversations: {
    align: 'right',
    title: 'Conversations per month the AI agent is expected to automate on this topic',
  },
  peers: {
    align: 'right',
    title:
      'Comparable accounts behind the levels; * = not enough peers in the vertical, so all verticals or the class level',
  },
};

// ---------- by automation class ----------
const classHelper = createColumnHelper<SmallF, EstimateClass>();
export const classColumns = classHelper.columns([
  classHelper.accessor('automationClass', {
    header: 'Automation class',
    sortFn: byString,
    cell: (i) => <ClassName value={i.getValue()} />,
  }),
  classHelper.accessor('conversations', {
    header: 'Conversations',
    ...numericColumn,
    cell: (i) => count(i.getValue()),
  }),
  classHelper.accessor('share', { header: 'Share', ...numericColumn, cell: (i) => pct(i.getValue()) }),
  classHelper.accessor((r) => orUndefined(r.confidence), {
    id: 'confidence',
    header: 'Confidence',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  classHelper.accessor((r) => orUndefined(r.achievableAutomation), {
    id: 'achievableAutomation',
    header: 'Expected automation',
    ...numericColumn,
    cell: (i) => pct(i.getValue()),
  }),
  classHelper.accessor('points', {
    header: 'Adds',
    ...numericColumn,
    cell: (i) => (
      <span className="est-range-cell">
        <strong>{points(i.getValue(), { signed: true })}</strong>
        <span className="muted small">
          {points(i.row.original.pointsLow, { signed: false })}–
          {points(i.row.original.pointsHigh, { signed: false })}
        </span>
      </span>
    ),
  }),
  classHelper.accessor('expectedConversations', {
    header: 'Automated/mo',
    ...numericColumn,
    cell: (i) => count(i.getValue()),
  }),
]);

export const CLASS_UI: Record<string, ColUi> = {
  automationClass: {
    title: 'What resolving a topic needs: content, a data lookup, an operation, or a human',
  },
  conversations: { align: 'right', title: 'Conversations of the export in this class' },
  share: { align: 'right', title: 'Share of the export’s conversations' },
  confidence: { align: 'right', title: 'Mean classifier confidence of the class’s conversations' },
  achievableAutomation: {
    align: 'right',
    title: 'Volume-weighted expected automation rate of the class’s topics',
  },
  points: {
    align: 'right',
    title: 'Points the class adds to the prospect’s automation rate, with its range',
  },
  expectedConversations: {
    align: 'right',
    title: 'Conversations per month the AI agent is expected to automate in this class',
  },
};
