// The Import wizard's calls to /api/v1/sources, and (re-exported) all it knows of sources.
import { api, upload, type Fetch } from '$lib/api';

import { KINDS, type Kind } from '../../../api/shared/constants';
import type {
  InferResult,
  Preset,
  PreviewResult,
  SharedMapping,
  SourceDetail,
  SourceIngestResult,
  SourceSummary,
} from './sources-answers';
import type { Mapping } from './sources-mapping';

export { KINDS, type Kind };
export * from './sources-answers';
export * from './sources-contract';
export * from './sources-edit';
export * from './sources-mapping';

const BASE = '/api/v1/sources';

/** The Content-Type to send a file with; the API detects what `application/octet-stream` holds. */
export function contentTypeOf(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || name.endsWith('.txt') || name.endsWith('.tsv')) return 'text/csv';
  if (name.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'application/x-ndjson';
  if (name.endsWith('.json')) return 'application/json';
  return 'application/octet-stream';
}

export interface Progress {
  onProgress?: (sent: number, total: number) => void;
  onSent?: () => void;
  signal?: AbortSignal;
}

export function inferMapping(file: File, sheet: string | null, progress: Progress = {}): Promise<InferResult> {
  const q = new URLSearchParams({ file_name: file.name });
  if (sheet) q.set('sheet', sheet);
  return upload<InferResult>(`${BASE}/infer?${q}`, file, { contentType: contentTypeOf(file), ...progress });
}

/** A whole-file dry run of a mapping that is not saved yet (nothing is written). */
export function previewMapping(mapping: Mapping, file: File, signal?: AbortSignal): Promise<PreviewResult> {
  const body = new FormData();
  body.set('mapping', JSON.stringify(mapping));
  body.set('file', file, file.name);
  return api<PreviewResult>(fetch, `${BASE}/preview`, { method: 'POST', body, signal });
}

export const listSources = (fetchFn: Fetch) => api<{ sources: SourceSummary[] }>(fetchFn, BASE);
export const getSource = (fetchFn: Fetch, id: number) => api<SourceDetail>(fetchFn, `${BASE}/${id}`);
export const listPresets = (fetchFn: Fetch) => api<{ presets: Preset[] }>(fetchFn, `${BASE}/presets`);

export const createSource = (input: { name: string; mapping: Mapping } | SharedMapping) =>
  api<{ id: number; name: string; version: number }>(fetch, BASE, { method: 'POST', json: input });
export const updateSource = (id: number, input: { name?: string; mapping: Mapping }) =>
  api<{ id: number; name: string; version: number }>(fetch, `${BASE}/${id}`, { method: 'PUT', json: input });
export const deleteSource = (id: number) => api<void>(fetch, `${BASE}/${id}`, { method: 'DELETE' });
export const exportHref = (id: number) => `${BASE}/${id}/export`;

/** Imports a file through a saved source (or checks it, with `dryRun`), with upload progress. */
export function ingestThroughSource(
  id: number,
  file: File,
  dryRun: boolean,
  progress: Progress = {},
): Promise<SourceIngestResult> {
  return upload<SourceIngestResult>(`${BASE}/${id}/ingest${dryRun ? '?dry_run=true' : ''}`, file, {
    contentType: contentTypeOf(file),
    ...progress,
  });
}
