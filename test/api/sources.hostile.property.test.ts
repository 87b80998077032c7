// Hostile files and mappings on the sources routes: whatever bytes come as a file (any content
// type, any file name) and whatever JSON comes as a mapping, the answer is 2xx or 4xx with
// problem+json, never a 5xx, and the server stays healthy. Nothing is written by a refusal.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { CALL_EXPORT_COLUMNS, CALL_EXPORT_MAPPING } from '../helpers/sources';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 200) / 4;

let t: TestApp;
let sourceId = 0;
beforeAll(async () => {
  t = await createTestApp();
  const res = await t.request('/api/v1/sources', {
    method: 'POST',
    token: t.tokens.admin,
    json: { name: 'Calls', mapping: CALL_EXPORT_MAPPING },
  });
  sourceId = ((await res.json()) as { id: number }).id;
});
afterAll(() => t.close());

const TYPES = [
  'text/csv',
  'application/json',
  'application/x-ndjson',
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain; charset=utf-16',
  '',
];
/** Text close to a real export (its header, delimiters, quotes, dates, durations) with hostile cells mixed in. */
const cell = fc.oneof(
  fc.constantFrom(
    '',
    'Y',
    'N',
    '0:02:23',
    '13/03/2024',
    '09:12',
    '5',
    '-1',
    '1e308',
    'NaN',
    '"',
    '""',
    ';',
    '\t',
    '\r\n',
    '\u0000',
    '\ud800',
    '=cmd|x',
    'Diane',
    "O'Brien'); drop table agents;--",
  ),
  fc.string({ maxLength: 30 }),
  fc.integer().map(String),
);
const row = fc.array(cell, { minLength: 0, maxLength: 12 });
const csvish = fc
  .tuple(fc.constantFrom(',', ';', '\t', '|'), fc.array(row, { maxLength: 12 }), fc.boolean())
  .map(([sep, rows, header]) =>
    (header ? [CALL_EXPORT_COLUMNS, ...rows] : rows)
      .map((r) => r.join(sep))
      .join(fc.sample(fc.constantFrom('\n', '\r\n', '\r'), 1)[0]),
  );
/** A call export of the right width whose cells are plausible or hostile: it gets past the reader to inference and the mapping. */
const plausible = fc.constantFrom(
  '',
  'Y',
  'N',
  'y',
  '0:02:23',
  '2:23',
  '13/03/2024',
  '03/13/2024',
  '2024-03-13',
  '09:12',
  '5',
  '11',
  '-1',
  '4.5',
  'Diane',
  'diane ',
  '"quoted, cell"',
  "O'Brien'); drop table agents;--",
  '=cmd|x',
  '\u00e9t\u00e9',
);
const export_ = fc
  .array(
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: plausible },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((x) => `"${x.replace(/"/g, '""')}"`) },
      ),
      { minLength: 10, maxLength: 10 },
    ),
    { minLength: 1, maxLength: 15 },
  )
  // Unique ids and dates that read (else there is rightly nothing to propose); the rest anything.
  .map((rows) =>
    [
      CALL_EXPORT_COLUMNS.join(','),
      ...rows.map((r, i) =>
        [`ID${i}`, r[1], `${String(1 + (i % 28)).padStart(2, '0')}/03/2024`, '09:12', ...r.slice(4)].join(','),
      ),
    ].join('\n'),
  );
const bytes = fc.oneof(
  export_.map((s) => new TextEncoder().encode(s)),
  export_.map((s) => new TextEncoder().encode(s)),
  csvish.map((s) => new TextEncoder().encode(s)),
  fc.uint8Array({ maxLength: 2048 }),
  fc.json({ maxDepth: 6 }).map((s) => new TextEncoder().encode(s)),
  fc.constant(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])),
);

async function healthy() {
  const res = await t.request('/api/v1/health');
  expect(res.status).toBe(200);
}

function expectAnswer(res: Response, what: string) {
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
}

describe('hostile input on the sources routes', () => {
  it('any bytes as a file to infer, or through a saved source, answer 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        bytes,
        fc.constantFrom(...TYPES),
        fc.string({ maxLength: 40 }),
        fc.boolean(),
        async (body, type, name, dry) => {
          const headers = type ? { 'content-type': type } : undefined;
          const inferred = await t.request(`/api/v1/sources/infer?file_name=${encodeURIComponent(name)}`, {
            method: 'POST',
            token: t.tokens.admin,
            headers,
            body,
          });
          expectAnswer(inferred, `infer as ${type}`);
          await inferred.arrayBuffer();
          const ingested = await t.request(`/api/v1/sources/${sourceId}/ingest?dry_run=${dry}`, {
            method: 'POST',
            token: t.tokens.admin,
            headers,
            body,
          });
          expectAnswer(ingested, `ingest as ${type}`);
          await ingested.arrayBuffer();
        },
      ),
      { numRuns: RUNS },
    );
    await healthy();
  }, 300_000);

  it('any JSON as a mapping answers 201 or 400, and a preview with it 200 or 4xx', async () => {
    const mapping = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }),
      // Near misses of a real mapping: one field replaced by anything.
      fc
        .tuple(
          fc.constantFrom('external_id', 'occurred_at', 'team', 'agent', 'answered'),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map(([field, v]) => ({
          ...CALL_EXPORT_MAPPING,
          outputs: [
            { ...CALL_EXPORT_MAPPING.outputs[0], fields: { ...CALL_EXPORT_MAPPING.outputs[0]!.fields, [field]: v } },
          ],
        })),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mapping, csvish, async (m, file) => {
        const saved = await t.request('/api/v1/sources', {
          method: 'POST',
          token: t.tokens.admin,
          json: { name: `hostile ${n++}`, mapping: m },
        });
        expect([201, 400]).toContain(saved.status);
        await saved.arrayBuffer();
        const form = new FormData();
        form.set('mapping', JSON.stringify(m));
        form.set('file', new Blob([file]), 'x.csv');
        const preview = await t.request('/api/v1/sources/preview', {
          method: 'POST',
          token: t.tokens.admin,
          body: form,
        });
        expectAnswer(preview, 'preview');
        await preview.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
    await healthy();
  }, 300_000);
});
