/** The one loading / error / empty state used by every view. */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError, isRetryable } from '../api/client.ts';

export function LoadingState({ label = 'Loading', minHeight = 160 }: { label?: string; minHeight?: number }) {
  return (
    <div
      className="state state-loading"
      style={{ minHeight }}
      role="status"
      aria-live="polite"
      aria-busy="true"
    >
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

/**
 * The status and code under an error's message ("503 · unavailable"); a request that never got an
 * answer has no status, and its code already says "network": that shows once, not "network · network".
 */
export function errorCode(error: Pick<ApiError, 'status' | 'code'>): string {
  const parts = [error.status ? String(error.status) : 'network', error.code].filter(Boolean);
  return parts.filter((p, i) => parts.indexOf(p) === i).join(' · ');
}

export function ErrorState({
  error,
  title = 'Something went wrong',
  onRetry,
  minHeight = 160,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  minHeight?: number;
}) {
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unknown error';
  const code = error instanceof ApiError ? errorCode(error) : null;
  return (
    <div className="state state-error" style={{ minHeight }} role="alert">
      <svg className="state-icon" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M12 7v6M12 16.5v.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <div>
        <strong>{title}</strong>
        <p className="state-message">{message}</p>
        {code && <p className="state-code">{code}</p>}
      </div>
      {onRetry && (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  minHeight = 120,
}: {
  title: string;
  children?: ReactNode;
  minHeight?: number;
}) {
  return (
    <div className="state state-empty" style={{ minHeight }}>
      <svg className="state-icon" viewBox="0 0 24 24" aria-hidden="true">
        <rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M3 10h18" stroke="currentColor" strokeWidth="2" />
      </svg>
      <div>
        <strong>{title}</strong>
        {children && <div className="state-message">{children}</div>}
      </div>
    </div>
  );
}

export interface QueryStateProps<T> {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  /** what is loading, e.g. "Loading accounts" */
  loadingLabel?: string;
  errorTitle?: string;
  isEmpty?: (data: T) => boolean;
  emptyTitle?: string;
  emptyHint?: ReactNode;
  minHeight?: number;
  /** custom rendering for some errors (e.g. 404 → not-found page); return null to fall back */
  renderError?: (error: Error) => ReactNode | null;
}

export function QueryState<T>({
  query,
  children,
  loadingLabel,
  errorTitle,
  isEmpty,
  emptyTitle = 'Nothing to show',
  emptyHint,
  minHeight,
  renderError,
}: QueryStateProps<T>) {
  if (query.isPending) return <LoadingState label={loadingLabel} minHeight={minHeight} />;
  if (query.isError) {
    const custom = renderError?.(query.error);
    if (custom) return <>{custom}</>;
    return (
      <ErrorState
        error={query.error}
        title={errorTitle}
        minHeight={minHeight}
        {...(isRetryable(query.error) && { onRetry: () => void query.refetch() })}
      />
    );
  }
  if (isEmpty?.(query.data))
    return (
      <EmptyState title={emptyTitle} minHeight={minHeight}>
        {emptyHint}
      </EmptyState>
    );
  return <>{children(query.data)}</>;
}
