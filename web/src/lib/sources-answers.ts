// What /api/v1/sources answers, and how the wizard reads its refusals and errors.
import { ApiError, type Problem } from '$lib/api';

import type { Kind } from '../../../api/shared/constants';
import type { Mapping } from './sources-mapping';

// What the inference answers, as the API declares it (types only: nothing of the API is bundled).
export type { Evidence, Question } from '../../../api/sources/infer-types';
import type { Evidence, Question } from '../../../api/sources/infer-types';
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
