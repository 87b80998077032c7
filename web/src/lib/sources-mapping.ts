// A source's mapping as JSON (the shape of api/sources/mapping.ts), its transforms and their labels.
import type { Kind } from '../../../api/shared/constants';

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
