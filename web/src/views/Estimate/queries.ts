/**
 * Estimate API reads (queryOptions factories, staleTime ∞ like api/queries.ts) on the shared typed
 * client. Responses are assigned to the api-types contract so a drift fails type-checking.
 */
import { queryOptions } from '@tanstack/react-query';
import { call, client } from '../../api/client.ts';
import type {
  EstimateLimits,
  EstimatePreview,
  EstimateResult,
  ProspectsResponse,
} from '../../api/server-types.ts';

const estimate = client.api.estimate;

export const estimateApi = {
  async limits(): Promise<EstimateLimits> {
    const res = await call(() => estimate.limits.$get());
    return res.json();
  },
  async prospects(): Promise<ProspectsResponse> {
    const res = await call(() => estimate.prospects.$get());
    return res.json();
  },
  async prospect(id: string): Promise<EstimateResult> {
    const res = await call(() => estimate.prospects[':id'].$get({ param: { id: encodeURIComponent(id) } }));
    return res.json();
  },
  /** Saves an unsaved estimate (a temporary prospect), optionally under a new name. */
  async saveProspect(id: string, name?: string): Promise<EstimateResult> {
    const res = await call(() =>
      estimate.prospects[':id'].save.$post({
        param: { id: encodeURIComponent(id) },
        query: name === undefined ? {} : { name },
      }),
    );
    return res.json();
  },
  async deleteProspect(id: string): Promise<{ deleted: string }> {
    const res = await call(() =>
      estimate.prospects[':id'].$delete({ param: { id: encodeURIComponent(id) } }),
    );
    return res.json();
  },
  /** Detected format and CSV mapping from the first `previewBytes` of the file, before any import. */
  async preview(file: Blob, fileName: string, previewBytes = 65536, signal?: AbortSignal) {
    // The raw head of the file is the body: hc's `init` carries it (and the abort signal).
    const res = await call(() =>
      estimate.preview.$post(undefined, {
        init: {
          body: file.slice(0, previewBytes),
          headers: {
            'content-type': 'application/octet-stream',
            'x-file-name': encodeURIComponent(fileName),
          },
          ...(signal && { signal }),
        },
      }),
    );
    const body: EstimatePreview = await res.json();
    return body;
  },
};

export const ESTIMATE_KEYS = {
  limits: ['estimate', 'limits'] as const,
  prospects: ['estimate', 'prospects'] as const,
  prospect: (id: string) => ['estimate', 'prospects', id] as const,
};

export const estimateLimitsQuery = () =>
  queryOptions({
    queryKey: ESTIMATE_KEYS.limits,
    queryFn: estimateApi.limits,
    staleTime: Number.POSITIVE_INFINITY,
  });

export const prospectsQuery = () =>
  queryOptions({
    queryKey: ESTIMATE_KEYS.prospects,
    queryFn: estimateApi.prospects,
    staleTime: Number.POSITIVE_INFINITY,
  });

export const prospectQuery = (id: string) =>
  queryOptions({
    queryKey: ESTIMATE_KEYS.prospect(id),
    queryFn: () => estimateApi.prospect(id),
    staleTime: Number.POSITIVE_INFINITY,
  });
