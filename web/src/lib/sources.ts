// Sources as the Import wizard sees them: the mapping's shape (api/sources/mapping.ts, as JSON),
// the contract's fields per kind, the answers of /api/v1/sources, and the few calls it makes.
import { ApiError, api, upload, type Fetch, type Problem } from '$lib/api';

import { KINDS, type Kind } from '../../../api/shared/constants';

export { KINDS, type Kind };

export const KIND_LABELS: Record<Kind, string> = {
  teams: 'Teams',
  agents: 'Agents',
  customers: 'Customers',
  interactions: 'Interactions (contacts)',
  surveys: 'Surveys',
  referrals: 'Referrals',
};

// ---------------------------------------------------------------------------------------------
// The mapping (JSON)
// ---------------------------------------------------------------------------------------------

export const DURATION_UNITS = ['h:mm:ss', 'mm:ss', 'seconds', 'minutes', 'milliseconds', 'excel_days'] as const;
export const DATE_ORDERS = ['iso', 'dmy', 'mdy', 'ymd', 'excel', 'epoch_seconds', 'epoch_millis'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export type DateOrder = (typeof DATE_ORDERS)[number];

export const DATE_ORDER_LABELS: Record<DateOrder, string> = {
  iso: 'ISO: 2026-11-24',
  dmy: 'Day first: 24/11/2026',
  mdy: 'Month first: 11/24/2026',
  ymd: 'Year first: 2026/11/24',
  excel: 'Excel serial: 46350.58',
  epoch_seconds: 'Seconds since 1970',
  epoch_millis: 'Milliseconds since 1970',
};

export type Transform =
  | { type: 'text' }
  | { type: 'present' }
  | { type: 'duration'; unit: DurationUnit }
  | { type: 'datetime'; order: DateOrder; time_zone?: string }
  | { type: 'date'; order: DateOrder }
  | { type: 'boolean'; true: string[]; false: string[] }
  | { type: 'map'; values: Record<string, string | null>; otherwise: MapOtherwise }
  | { type: 'number'; decimal: '.' | ',' }
  | { type: 'scale'; from: [number, number]; to: [number, number]; method: 'linear' | 'refuse' };
export type TransformType = Transform['type'];
/** A value a map does not list: kept, emptied, refused, or a fixed value (`{ value: 'other' }`). */
export type MapOtherwise = 'keep' | 'null' | 'error' | { value: string | null };

export const TRANSFORM_LABELS: Record<TransformType, string> = {
  text: 'Text as it is',
  present: 'Has a value (yes/no)',
  duration: 'Duration',
  datetime: 'Date and time',
  date: 'Date',
  boolean: 'Yes / no values',
  map: 'Value list',
  number: 'Number',
  scale: 'Rating scale',
};

export interface FieldMapping {
  column?: string;
  columns?: string[];
  template?: string;
  constant?: string | number | boolean | null;
  transform?: Transform;
  lookup?: { by: 'name'; create: boolean };
  /** A column not every export has: absent from the file, it reads as empty (with a warning). */
  optional?: boolean;
}

export interface Output {
  kind: Kind;
  fields: Record<string, FieldMapping>;
  only_when_any?: string[];
}

export type Format =
  | { type: 'csv'; delimiter?: ',' | ';' | '\t' | '|'; encoding?: string; skip_rows?: number }
  | { type: 'xlsx'; sheet?: string; skip_rows?: number }
  | { type: 'json'; records?: string }
  | { type: 'ndjson' };

export interface Mapping {
  version: 1;
  format: Format;
  time_zone?: string;
  outputs: Output[];
}

/** Where a field's value comes from, as the editor's first select says it. */
export type SourceKind = 'column' | 'columns' | 'template' | 'constant' | 'none';

export function sourceKindOf(f: FieldMapping | undefined): SourceKind {
  if (!f) return 'none';
  if (f.column !== undefined) return 'column';
  if (f.columns !== undefined) return 'columns';
  if (f.template !== undefined) return 'template';
  return 'constant';
}

/** A transform of a type with sensible first options (the editor fills them in, the admin adjusts). */
export function defaultTransform(type: TransformType): Transform {
  switch (type) {
    case 'text':
    case 'present':
      return { type };
    case 'duration':
      return { type, unit: 'seconds' };
    case 'datetime':
      return { type, order: 'iso' };
    case 'date':
      return { type, order: 'iso' };
    case 'boolean':
      return { type, true: ['y', 'yes'], false: ['n', 'no'] };
    case 'map':
      return { type, values: {}, otherwise: 'error' };
    case 'number':
      return { type, decimal: '.' };
    case 'scale':
      return { type, from: [1, 5], to: [1, 5], method: 'linear' };
  }
}

// ---------------------------------------------------------------------------------------------
// The contract's fields per kind (api/ingest/kinds.ts), with what a value looks like
// ---------------------------------------------------------------------------------------------

export type FieldType = 'id' | 'text' | 'timestamp' | 'boolean' | 'seconds' | 'score' | 'date' | 'money' | 'choice';

export interface ContractField {
  name: string;
  required: boolean;
  type: FieldType;
  /** For references: the kind named (team and agent may be looked up by name). */
  ref?: Kind;
  /** For a choice: the values the contract knows. */
  values?: readonly string[];
  hint: string;
}

export const CHANNEL_VALUES = [
  'phone',
  'chat',
  'email',
  'social',
  'in_person',
  'other',
  'web',
  'app',
  'sms',
  'messaging',
  'video',
  'self_service',
] as const;
export const TEAM_KINDS = ['support', 'sales', 'success', 'product', 'digital', 'facilities', 'other'] as const;

const f = (name: string, type: FieldType, hint: string, extra: Partial<ContractField> = {}): ContractField => ({
  name,
  type,
  hint,
  required: false,
  ...extra,
});
const req = { required: true };

export const CONTRACT: Record<Kind, ContractField[]> = {
  teams: [
    f('external_id', 'id', 'the team’s id', req),
    f('name', 'text', 'its name', req),
    f('kind', 'choice', 'support, sales…', { values: TEAM_KINDS }),
  ],
  agents: [
    f('external_id', 'id', 'the agent’s id', req),
    f('name', 'text', 'their name', req),
    f('team', 'id', 'their team', { ...req, ref: 'teams' }),
    f('hired_on', 'date', 'a date'),
    f('left_on', 'date', 'a date'),
  ],
  customers: [
    f('external_id', 'id', 'the customer’s id', req),
    f('segment', 'text', 'free text'),
    f('started_on', 'date', 'a date'),
    f('churned_on', 'date', 'a date'),
    f('monthly_value', 'money', 'a number ≥ 0'),
  ],
  interactions: [
    f('external_id', 'id', 'the contact’s id', req),
    f('occurred_at', 'timestamp', 'when it happened', req),
    f('team', 'id', 'the team that took it', { ...req, ref: 'teams' }),
    f('channel', 'choice', 'phone, chat…', { values: CHANNEL_VALUES }),
    f('agent', 'id', 'who took it', { ref: 'agents' }),
    f('customer', 'id', 'the customer’s id', { ref: 'customers' }),
    f('journey_stage', 'text', 'free text'),
    f('contact_reason', 'text', 'free text'),
    f('answered', 'boolean', 'yes or no'),
    f('wait_seconds', 'seconds', 'seconds waited'),
    f('handle_seconds', 'seconds', 'seconds handled'),
    f('resolved', 'boolean', 'yes or no'),
  ],
  surveys: [
    f('external_id', 'id', 'the response’s id', req),
    f('responded_at', 'timestamp', 'when answered', req),
    f('interaction', 'id', 'the contact it rates', { ref: 'interactions' }),
    f('customer', 'id', 'the customer’s id', { ref: 'customers' }),
    f('agent', 'id', 'the agent rated', { ref: 'agents' }),
    f('team', 'id', 'the team rated', { ref: 'teams' }),
    f('csat', 'score', '1–5'),
    f('nps', 'score', '0–10'),
    f('effort', 'score', '1–7'),
    f('comment', 'text', 'free text'),
    f('may_quote', 'boolean', 'yes or no'),
    f('customer_name', 'text', 'only to hide it in quotes'),
  ],
  referrals: [
    f('external_id', 'id', 'the referral’s id', req),
    f('referred_at', 'timestamp', 'when', req),
    f('customer', 'id', 'the customer’s id', { ...req, ref: 'customers' }),
    f('converted', 'boolean', 'yes or no'),
  ],
};

/** Team and agent references may name the record instead of giving its id. */
export const canLookUp = (field: ContractField) => field.ref === 'teams' || field.ref === 'agents';

// ---------------------------------------------------------------------------------------------
// Editing a mapping by JSON pointer (the inference's questions say where their answer goes)
// ---------------------------------------------------------------------------------------------

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** A deep copy of JSON data (works on Svelte's state proxies, which structuredClone refuses). */
export const cloneJson = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * A copy of `doc` with the value at the JSON pointer `path` set, or removed when `value` is
 * undefined (the question's "leave it out" option). Missing objects on the way are created.
 */
export function withValueAt<T>(doc: T, path: string, value: unknown): T {
  const tokens = path.split('/').slice(1).map(unescape);
  if (tokens.length === 0) return cloneJson((value === undefined ? doc : value) as T);
  const copy = cloneJson(doc) as unknown;
  let node = copy as Record<string, unknown> | unknown[];
  for (const t of tokens.slice(0, -1)) {
    const container = node as Record<string, unknown>;
    if (container[t] === null || typeof container[t] !== 'object') container[t] = {};
    node = container[t] as Record<string, unknown>;
  }
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(node)) {
    const i = last === '-' ? node.length : Number(last);
    if (value === undefined) node.splice(i, 1);
    else node[i] = cloneJson(value);
  } else if (value === undefined) delete node[last];
  else node[last] = cloneJson(value);
  return copy as T;
}

/** The value at a JSON pointer (undefined when absent). */
export function valueAt(doc: unknown, path: string): unknown {
  let node = doc;
  for (const t of path.split('/').slice(1).map(unescape)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[t];
  }
  return node;
}

/** The same JSON value, whatever the order of object keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((x, i) => sameJson(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** The option of a question the mapping holds now (-1: the admin edited the field by hand). */
export function chosenOption(q: Question, mapping: Mapping): number {
  const now = valueAt(mapping, q.path);
  return q.options.findIndex((o) => sameJson(o.value, now));
}

const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** "CSV, comma-separated, utf-8" and the like. */
export function describeFormat(f: Format): string {
  switch (f.type) {
    case 'csv':
      return `CSV, ${DELIMITERS[f.delimiter ?? ','] ?? f.delimiter}-separated, ${f.encoding ?? 'utf-8'}`;
    case 'xlsx':
      return `Excel workbook${f.sheet ? `, sheet “${f.sheet}”` : ''}`;
    case 'json':
      return `JSON${f.records ? `, records at “${f.records}”` : ''}`;
    case 'ndjson':
      return 'JSON lines';
  }
}

/** A field's example from the preview: the first row that gives it a value (or a problem). */
export interface Sample {
  row: number;
  from: string | null;
  to: string | null;
  problem: string | null;
}

export function sampleOf(
  kind: Kind,
  name: string,
  f: FieldMapping,
  columns: string[],
  rows: PreviewRow[],
): Sample | null {
  const cell = (r: PreviewRow, c: string) => r.cells[columns.indexOf(c)] ?? '';
  for (const r of rows) {
    const rec = r.records[kind];
    if (!rec) continue;
    const to = rec[name] ?? null;
    const problem = r.problems.find((p) => p.field === `${kind}.${name}`)?.reason ?? null;
    if (to === null && !problem) continue;
    let from: string | null = null;
    if (f.column !== undefined) from = cell(r, f.column);
    else if (f.columns) from = f.columns.map((c) => cell(r, c)).join(' ');
    else if (f.template) from = f.template.replace(/\{([^{}]+)\}/g, (_m, c: string) => cell(r, c));
    return { row: r.row, from, to, problem };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Answers of /api/v1/sources
// ---------------------------------------------------------------------------------------------

// What the inference answers, as the API declares it (types only: nothing of the API is bundled).
export type { Evidence, Question } from '../../../api/sources/infer';
import type { Evidence, Question } from '../../../api/sources/infer';
export type QuestionOption = Question['options'][number];

export interface RowProblem {
  /** `interactions.csat` */
  field: string;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface PreviewRow {
  row: number;
  cells: string[];
  /** null: this row gives no record of that kind. */
  records: Partial<Record<Kind, Record<string, string | null> | null>>;
  problems: RowProblem[];
}

export interface InferResult {
  mapping: Mapping;
  evidence: Evidence[];
  questions: Question[];
  format_evidence: string[];
  sheets?: string[];
  columns: string[];
  rows: number;
  preview: PreviewRow[];
}

export interface KindCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface SourceProblem {
  row: number;
  kind: Kind | null;
  field: string | null;
  column: string | null;
  value: unknown;
  reason: string;
}

export interface PreviewResult {
  ok: boolean;
  rows: number;
  results: Partial<Record<Kind, KindCounts>> | null;
  warnings: string[];
  problems: SourceProblem[];
  total_problems: number;
  preview: PreviewRow[];
}

export interface SourceSummary {
  id: number;
  name: string;
  version: number;
  kinds: Kind[];
  updated_at: string;
  updated_by: string;
}

export interface SourceDetail {
  id: number;
  name: string;
  version: number;
  mapping: Mapping;
  created_at: string;
  updated_at: string;
  updated_by: string;
  versions: Array<{ version: number; name: string; at: string; actor: string }>;
}

export interface SourceIngestResult {
  source: { id: number; name: string; version: number };
  dry_run: boolean;
  rows: number;
  results: Partial<Record<Kind, KindCounts>>;
  warnings: string[];
}

export interface Preset {
  id: string;
  name: string;
  description: string;
  fields: Array<{ column: string; becomes: string; note?: string }>;
  mapping: Mapping;
}

/** What `GET /sources/{id}/export` answers and `POST /sources` takes back. */
export interface SharedMapping {
  pairwise_source: 1;
  name: string;
  version: number;
  mapping: Mapping;
}

/** A refused import (422): its problems, as the API lists them. */
export interface Refusal {
  detail: string;
  problems: SourceProblem[];
  total: number;
  warnings: string[];
}

/** A problem's value as the file had it: the API quotes it ('7'); the table's cell is the quote. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length >= 2 && text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1) : text;
}

/** The problems of a 422, or null when the error is something else. */
export function refusalOf(e: unknown): Refusal | null {
  if (!(e instanceof ApiError) || e.status !== 422 || !Array.isArray(e.problem.problems)) return null;
  const problems = e.problem.problems as SourceProblem[];
  return {
    detail: e.detail,
    problems,
    total: typeof e.problem.total_problems === 'number' ? e.problem.total_problems : problems.length,
    warnings: Array.isArray(e.problem.warnings) ? (e.problem.warnings as string[]) : [],
  };
}

/** The lines of a 400's `errors` list (a mapping the schema refuses says where). */
export function problemLines(e: unknown): string[] {
  if (!(e instanceof ApiError)) return [];
  const list = (e.problem as Problem).errors;
  if (!Array.isArray(list)) return [];
  return list
    .map((x: { field?: string | null; path?: string; reason?: string; message?: string }) => {
      const where = x.field ?? x.path ?? '';
      const why = x.reason ?? x.message ?? '';
      return where ? `${where}: ${why}` : why;
    })
    .filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

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
