// The Import wizard's mapping edits (web/src/lib/components/admin/import/mapping-edits.ts): each
// returns a new mapping and leaves the one it was given as it was.
import { describe, expect, it } from 'vitest';
import {
  answered,
  baseName,
  questionsWithoutOutput,
  withField,
  withFormat,
  withOnly,
  withoutOutput,
  withZone,
} from '../../web/src/lib/components/admin/import/mapping-edits';
import type { Mapping, Question } from '../../web/src/lib/sources';

const mapping = (): Mapping => ({
  version: 1,
  format: { type: 'csv', delimiter: ',' },
  outputs: [
    {
      kind: 'interactions',
      fields: { external_id: { column: 'Call ID' }, occurred_at: { column: 'Date' } },
    },
    {
      kind: 'surveys',
      fields: { external_id: { column: 'Call ID' }, csat: { column: 'Score' }, comment: { column: 'Note' } },
      only_when_any: ['csat', 'comment'],
    },
  ],
});

const question = (path: string, also?: string[]): Question => ({
  id: path,
  question: '?',
  path,
  also,
  options: [
    { label: 'Day first', value: 'dmy' },
    { label: 'Leave it out', value: undefined },
  ],
  default: 0,
});

describe('mapping edits', () => {
  it('answers a question at its path and at the paths that share its answer', () => {
    const m = mapping();
    const q = question('/outputs/0/fields/occurred_at/transform', ['/outputs/1/fields/comment/transform']);
    const next = answered(m, q, 0);
    expect(next.outputs[0]!.fields.occurred_at!.transform).toBe('dmy');
    expect(next.outputs[1]!.fields.comment!.transform).toBe('dmy');
    expect(m).toEqual(mapping());
    expect(answered(m, question('/outputs/1/fields/csat'), 1).outputs[1]!.fields.csat).toBeUndefined();
  });

  it('sets a field, and removing one drops it from only_when_any (and the list when empty)', () => {
    const m = mapping();
    expect(withField(m, 0, 'channel', { constant: 'phone' }).outputs[0]!.fields.channel).toEqual({ constant: 'phone' });
    const less = withField(m, 1, 'csat', undefined);
    expect(less.outputs[1]!.fields.csat).toBeUndefined();
    expect(less.outputs[1]!.only_when_any).toEqual(['comment']);
    expect(withField(less, 1, 'comment', undefined).outputs[1]!.only_when_any).toBeUndefined();
    expect(m).toEqual(mapping());
  });

  it('sets or clears only_when_any, the format and the time zone', () => {
    expect(withOnly(mapping(), 0, ['occurred_at']).outputs[0]!.only_when_any).toEqual(['occurred_at']);
    expect(withOnly(mapping(), 1, undefined).outputs[1]!.only_when_any).toBeUndefined();
    expect(withFormat(mapping(), { skip_rows: 2 }).format).toEqual({ type: 'csv', delimiter: ',', skip_rows: 2 });
    expect(withZone(mapping(), ' Europe/Paris ').time_zone).toBe('Europe/Paris');
    expect(withZone({ ...mapping(), time_zone: 'UTC' }, '  ').time_zone).toBeUndefined();
  });

  it("removes an output: its questions go, later outputs' questions move up", () => {
    expect(withoutOutput(mapping(), 0).outputs.map((o) => o.kind)).toEqual(['surveys']);
    const qs = [
      question('/outputs/0/fields/occurred_at/transform/order', ['/outputs/1/fields/responded_at/transform/order']),
      question('/outputs/1/fields/csat'),
      question('/outputs/2'),
      question('/format/skip_rows'),
    ];
    const left = questionsWithoutOutput(qs, 1);
    expect(left.map((q) => q.path)).toEqual([
      '/outputs/0/fields/occurred_at/transform/order',
      '/outputs/1',
      '/format/skip_rows',
    ]);
    expect(left[0]!.also).toEqual([]);
  });

  it('names a source after its file', () => {
    expect(baseName('call_export-2024.csv')).toBe('Call export 2024');
    expect(baseName('.csv')).toBe('New source');
  });
});
