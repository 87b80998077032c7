// A source's mapping: how an outside export (its own columns, formats and shapes) becomes records
// of the data contract. Stored as JSON (versioned), exported and imported as JSON, proposed by
// inference, so its shape is a schema: what a mapping may say is checked here, once, on the way in.
import { z } from 'zod';
import { KINDS, SPECS, type Kind } from '../ingest/kinds';

export const MAPPING_VERSION = 1;

/** Durations as exports write them (talk time `0:02:23`, `02:23`, `143`, `2.4` minutes, `0.00165` of a day). */
export const DURATION_UNITS = ['h:mm:ss', 'mm:ss', 'seconds', 'minutes', 'milliseconds', 'excel_days'] as const;
/**
 * How a date (or date and time) is written: `iso` (2026-12-06, 2026-12-06T14:03:00+01:00),
 * day-first `dmy` (06/12/2026 14:03, 6.12.2026), month-first `mdy` (12/06/2026 2:03 PM),
 * `ymd` with other separators (2026/12/06), Excel serial numbers (`excel`, 46362.585),
 * seconds or milliseconds since the epoch.
 */
export const DATE_ORDERS = ['iso', 'dmy', 'mdy', 'ymd', 'excel', 'epoch_seconds', 'epoch_millis'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const TransformSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).strict(),
  /** true when the cell has a value, false when it is empty (answered ← an agent-connected timestamp). */
  z.object({ type: z.literal('present') }).strict(),
  z.object({ type: z.literal('duration'), unit: z.enum(DURATION_UNITS) }).strict(),
  z
    .object({
      type: z.literal('datetime'),
      order: z.enum(DATE_ORDERS),
      /** IANA zone or fixed offset (`+01:00`) for values without their own; default the organisation's. */
      time_zone: z.string().min(1).max(64).optional(),
    })
    .strict(),
  z.object({ type: z.literal('date'), order: z.enum(DATE_ORDERS) }).strict(),
  z
    .object({
      type: z.literal('boolean'),
      /** Values (any case) read as true and as false; anything else is a problem. */
      true: z.array(z.string().max(100)).min(1).max(50),
      false: z.array(z.string().max(100)).min(1).max(50),
    })
    .strict(),
  z
    .object({
      type: z.literal('map'),
      /** Source value (matched trimmed, any case) → the contract's value ('' maps to empty). */
      values: z.record(z.string().max(200), z.union([z.string().max(200), z.null()])),
      /** A value not listed: kept as it is (`keep`), empty (`null`), a problem (`error`), or a fixed value (`{ value: 'other' }`). */
      otherwise: z
        .union([z.enum(['keep', 'null', 'error']), z.object({ value: z.string().max(200).nullable() }).strict()])
        .default('error'),
    })
    .strict(),
  z
    .object({
      type: z.literal('number'),
      /** The decimal separator (`,` in many European exports); thousands separators are dropped. */
      decimal: z.enum(['.', ',']).default('.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('scale'),
      /** The source scale's range, e.g. [0, 10]; a value outside it is a problem. */
      from: z.tuple([z.number(), z.number()]),
      /** The contract's range, e.g. [1, 5] for csat. */
      to: z.tuple([z.number(), z.number()]),
      /** `linear`: rescaled and rounded to the nearest whole point; `refuse`: any value not already on `to` is a problem. */
      method: z.enum(['linear', 'refuse']),
    })
    .strict(),
]);
export type Transform = z.infer<typeof TransformSchema>;

/**
 * Where one contract field's value comes from: a column (a header, or a dotted JSON path such as
 * `Agent.Username`), several columns joined by a space (a date column and a time column), a
 * template (`{Call Id}-survey`: an id derived from others), or a constant. Then a transform.
 */
export const FieldMappingSchema = z
  .object({
    column: z.string().min(1).max(500).optional(),
    columns: z.array(z.string().min(1).max(500)).min(1).max(8).optional(),
    template: z.string().min(1).max(500).optional(),
    constant: z.union([scalar, z.null()]).optional(),
    transform: TransformSchema.optional(),
    /**
     * For a reference (team, agent): the value is a name, not an external id. The record with
     * that name (any case) is used; with `create`, one is created when none has it (its external
     * id derived from the name, so importing again finds it).
     */
    lookup: z
      .object({ by: z.literal('name'), create: z.boolean().default(false) })
      .strict()
      .optional(),
    /** A column not every export has (a comment column): absent from the file, it is read as empty, with a warning. */
    optional: z.boolean().optional(),
  })
  .strict()
  .refine(
    (f) =>
      [f.column, f.columns, f.template, f.constant !== undefined ? true : undefined].filter((x) => x !== undefined)
        .length === 1,
    {
      message: 'give exactly one of column, columns, template or constant',
    },
  );
export type FieldMapping = z.infer<typeof FieldMappingSchema>;

export const OutputSchema = z
  .object({
    kind: z.enum(KINDS),
    /** Contract field → where its value comes from. */
    fields: z.record(z.string(), FieldMappingSchema),
    /** Only rows where at least one of these contract fields has a value yield a record (a survey only for calls with a rating). */
    only_when_any: z.array(z.string()).min(1).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const spec = SPECS[o.kind as Kind];
    const names = new Set(spec.fields.map((f) => f.name));
    for (const name of Object.keys(o.fields)) {
      if (!names.has(name))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', name],
          message: `${o.kind} has no field '${name}': one of ${[...names].join(', ')}`,
        });
      const f = o.fields[name]!;
      const spec1 = spec.fields.find((x) => x.name === name);
      if (f.lookup && !(spec1?.ref === 'teams' || spec1?.ref === 'agents'))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', name, 'lookup'],
          message: 'a lookup by name is for team and agent references only',
        });
    }
    for (const f of spec.fields) {
      if (f.required && !o.fields[f.name])
        ctx.addIssue({
          code: 'custom',
          path: ['fields', f.name],
          message: `${o.kind} needs '${f.name}': map it to a column, a template or a constant`,
        });
    }
    for (const name of o.only_when_any ?? []) {
      if (!o.fields[name])
        ctx.addIssue({
          code: 'custom',
          path: ['only_when_any'],
          message: `'${name}' is not a mapped field of this output`,
        });
    }
  });
export type Output = z.infer<typeof OutputSchema>;

export const FormatSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('csv'),
      delimiter: z.enum([',', ';', '\t', '|']).default(','),
      encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).default('utf-8'),
      /** Rows under the header that hold no record (a survey tool's question-text rows). */
      skip_rows: z.number().int().min(0).max(20).default(0),
    })
    .strict(),
  z
    .object({
      type: z.literal('xlsx'),
      sheet: z.string().min(1).max(200).optional(),
      skip_rows: z.number().int().min(0).max(20).default(0),
    })
    .strict(),
  z
    .object({
      type: z.literal('json'),
      /** Dotted path to the array of records in the document (`Records`); absent: the document is the array. */
      records: z.string().min(1).max(200).optional(),
    })
    .strict(),
  z.object({ type: z.literal('ndjson') }).strict(),
]);
export type Format = z.infer<typeof FormatSchema>;

export const MappingSchema = z
  .object({
    version: z.literal(MAPPING_VERSION),
    format: FormatSchema,
    /** Zone for dates and times without an offset; default the organisation's (ORG_TIMEZONE). */
    time_zone: z.string().min(1).max(64).optional(),
    outputs: z.array(OutputSchema).min(1).max(KINDS.length),
  })
  .strict()
  .superRefine((m, ctx) => {
    const kinds = m.outputs.map((o) => o.kind);
    kinds.forEach((k, i) => {
      if (kinds.indexOf(k) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', i, 'kind'],
          message: `two outputs of kind ${k}: one per kind`,
        });
    });
  });
export type Mapping = z.infer<typeof MappingSchema>;

/** A saved source as the API shows it. */
export interface SourceInfo {
  id: number;
  name: string;
  version: number;
  mapping: Mapping;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

/** The order outputs are written in: a record's references exist before it. */
export const KIND_ORDER: readonly Kind[] = ['teams', 'agents', 'customers', 'interactions', 'surveys', 'referrals'];

/** The columns a field reads (a template's `{names}`). */
export function columnsOf(f: FieldMapping): string[] {
  if (f.column) return [f.column];
  if (f.columns) return f.columns;
  if (f.template) return [...f.template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
  return [];
}
