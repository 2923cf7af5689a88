/**
 * The only door from web/ into server/: types, never values (biome.json forbids any other import of
 * server/ under web/, and this file holds nothing but type re-exports).
 */
export type {
  AccountDetail,
  AccountSummary,
  AccountsResponse,
  ActionKind,
  ActionsResponse,
  BacktestPointRow,
  BenchmarkSource,
  BreakdownResponse,
  ClassBreakdown,
  CxCurvePoint,
  CxDisagreement,
  CxResponse,
  ErrorBody,
  ErrorSummary,
  EstimateAction,
  EstimateClass,
  EstimateLeaf,
  EstimateLimits,
  EstimatePreview,
  EstimateResult,
  EstimateSample,
  EstimateStreamLine,
  Flag,
  FlagKind,
  ImportReport,
  InterventionLiftRow,
  LeafBreakdown,
  LeafPatternRow,
  ModelResponse,
  MonthFigures,
  NextAction,
  PatternsResponse,
  PeriodFigures,
  ProspectListItem,
  ProspectsResponse,
  SampleConversation,
  SamplesResponse,
  Spread,
  TriageAccount,
  TriageResponse,
} from '../../../server/api-types.ts';
export type { AppType } from '../../../server/app.ts';
export type { PatternSettings } from '../../../server/domain/patterns.ts';
export type { AutomationClass } from '../../../server/domain/types.ts';
