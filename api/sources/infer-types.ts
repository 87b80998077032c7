// Inference's shared vocabulary: its result types, options, error, field types and small helpers.
import { SPECS, type Kind } from '../ingest/kinds';
import { SourceError } from '../ingest/sources';
import type { ColumnFacts } from './infer-values';
import type { Mapping, Output, Transform } from './mapping';

export interface Evidence {
  kind?: Kind;
  field?: string;
  column?: string;
  message: string;
}

export interface Question {
  id: string;
  question: string;
  kind?: Kind;
  field?: string;
  column?: string;
  /** JSON pointer into the mapping (e.g. /outputs/0/fields/occurred_at); the mapping already holds the default option's value there. */
  path: string;
  /** Further pointers that take the same answer (the survey's copy of its call's date order). */
  also?: string[];
  options: Array<{ label: string; value: unknown /* undefined = remove the key */ }>;
  /** Index into options. */
  default: number;
}

export interface Inference {
  mapping: Mapping;
  evidence: Evidence[];
  /** In the order to apply answers: a question about a whole output comes before those inside it. */
  questions: Question[];
  /** Rows scanned. */
  rows: number;
  columns: string[];
}

export interface InferOptions {
  /** The organisation's zone, in which times without an offset are read. */
  timeZone: string;
  fileName?: string;
  /** Which of these values are external ids of records of `kind` already imported. */
  knownIds?: (kind: Kind, values: string[]) => Promise<string[]>;
  /** Which of these names are names of teams or agents already imported. */
  knownNames?: (kind: 'teams' | 'agents', names: string[]) => Promise<string[]>;
  /** Rows scanned at most (default 1,000,000). */
  maxRows?: number;
}

/**
 * The file cannot be mapped: no kind of the contract fits its columns. A SourceError (row 0: the
 * file as a whole), so callers that answer unreadable files answer this too.
 */
export class InferenceError extends SourceError {
  constructor(reason: string) {
    super(0, reason);
    this.name = 'InferenceError';
  }
}

export const MAX_ROWS = 1_000_000;
export const NOT_RATING = /\b(group|category|segment|type|code|id|label|bucket)\b/;
/** Values sent to knownIds / knownNames per column. */
export const PROBE = 200;
/** A header score from which a match counts at all (0–100). */
export const MIN_SCORE = 30;
/** Share of sampled values that must be known for a reference to be proposed without a question. */
export const KNOWN = 0.9;

export type FieldType =
  'id' | 'ref' | 'timestamp' | 'date' | 'bool' | 'seconds' | 'score' | 'money' | 'choice' | 'text';

export function fieldType(kind: Kind, field: string): FieldType {
  const spec = SPECS[kind].fields.find((f) => f.name === field)!;
  if (field === 'external_id') return 'id';
  if (spec.ref) return 'ref';
  if (spec.stage === 'bigint') return 'timestamp';
  if (spec.stage === 'date') return 'date';
  if (spec.stage === 'boolean') return 'bool';
  if (spec.stage === 'int') return field.endsWith('_seconds') ? 'seconds' : 'score';
  if (spec.stage === 'numeric') return 'money';
  if (field === 'channel' || (kind === 'teams' && field === 'kind')) return 'choice';
  return 'text';
}

/** Whether a column's values can be a field of that type. */
export function fits(type: FieldType, f: ColumnFacts): boolean {
  const p = f.p;
  if (p.filled === 0) return false;
  const colon = f.duration?.colon ?? false;
  switch (type) {
    case 'id':
    case 'ref':
      return p.maxLength <= 200 && !(f.date && !f.numeric) && !f.clock && !colon && !f.bool;
    case 'timestamp':
    case 'date':
      return f.date !== null;
    case 'bool':
      return f.bool !== null;
    case 'seconds':
      return f.duration !== null;
    case 'score':
      return f.scale !== null;
    case 'money':
      return f.numeric;
    case 'choice':
      return !p.many;
    case 'text':
      return !f.date && !f.numeric && !f.clock && !colon;
  }
}

export interface Pick {
  field: string;
  column: number;
  score: number;
  synonym: string;
  /** Matched by the column's question text (a row under the header) rather than its header. */
  byText?: boolean;
}

export const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const code = (s: string) => `\`${s.length > 60 ? `${s.slice(0, 60)}…` : s}\``;
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const STOP_WORDS = new Set(
  'export exports exported dataset data report extract download final copy csv xlsx json file files all full latest new sheet table list jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december q1 q2 q3 q4'.split(
    ' ',
  ),
);

/** A team name from a file name (`olist_orders_dataset.csv` → `Olist orders`), or null. */
export function teamFromFileName(fileName: string | undefined): string | null {
  if (!fileName) return null;
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[a-z0-9]{1,5}$/i, '');
  const words = base
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.+()[\]]+/)
    .filter((w) => w !== '' && !/\d/.test(w) && !STOP_WORDS.has(w.toLowerCase()));
  const text = words.join(' ').toLowerCase();
  if (text.replace(/[^\p{L}]/gu, '').length < 3) return null;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a file is about, from all its headers: calls, orders, tickets, chats. */
export function signals(headers: string[]) {
  const all = headers.join(' | ');
  return {
    call: /\b(call|calls|caller|talk|ivr|asa|speed of answer|ring time|dialled|dialed)\b/.test(all),
    order: /\b(order|orders|purchase|basket|cart)\b/.test(all),
    ticket: /\b(ticket|tickets)\b/.test(all),
    chat: /\b(chat|chats|conversation)\b/.test(all),
  };
}

/** A pending question about a whole output (a rating's scale moves it to another field). */
export interface OutputChoice {
  output: Output;
  column: string;
  field: string;
  question: string;
  id: string;
  options: Array<{ label: string; field: string; transform?: Transform }>;
  default: number;
}
