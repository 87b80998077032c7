// Property: whatever sequence of imports, updates and re-imports, the rollups kept current
// during ingest (signed contributions added to the touched keys, api/rollups/delta.ts) equal a
// full recomputation from raw rows (npm run rollups:verify). Batches are written in chunks of a
// few rows, so that an id updated twice in one batch crosses a chunk boundary; and whole, as a
// group of events is (staged as JSON, upserted and rolled up by kept statements, db/kept.ts).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRollups } from '../../api/rollups/refresh';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import type { Kind } from '../../api/ingest/kinds';
import { csv, ingestCsv } from '../helpers/ingest';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  await ingestCsv(d, 'teams', csv('external_id,name', 'ta,Team A', 'tb,Team B'));
  await ingestCsv(
    d,
    'agents',
    csv(
      'external_id,name,team,hired_on,left_on',
      'a1,Ana,ta,2024-01-01,',
      'a2,Ben,ta,,2024-03-03',
      'a3,Cy,tb,2024-02-20,',
    ),
  );
  await ingestCsv(
    d,
    'customers',
    csv(
      'external_id,segment,started_on,churned_on,monthly_value',
      'c1,Monthly,2023-05-01,,120',
      'c2,Annual,2024-01-10,2024-03-02,80.5',
      'c3,,,,',
    ),
  );
});
afterAll(() => d.destroy());

const TZ = 'America/Chicago';

// Few ids, so that later steps often change records that earlier steps created or linked.
const interaction = fc.record({
  id: fc.integer({ min: 1, max: 4 }),
  day: fc.integer({ min: 1, max: 5 }),
  hour: fc.integer({ min: 0, max: 23 }),
  team: fc.constantFrom('ta', 'tb'),
  channel: fc.constantFrom('phone', 'chat', 'email'),
  agent: fc.constantFrom('a1', 'a2', 'a3', ''),
  customer: fc.constantFrom('c1', 'c2', 'c3', ''),
  stage: fc.constantFrom('Billing', 'billing', 'Onboarding', ''),
  answered: fc.boolean(),
  wait: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
  handle: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
  resolved: fc.constantFrom('true', 'false', ''),
});

const survey = fc.record({
  id: fc.integer({ min: 1, max: 4 }),
  day: fc.integer({ min: 1, max: 6 }),
  interaction: fc.integer({ min: 1, max: 4 }),
  linked: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  team: fc.constantFrom('ta', 'tb', ''),
  agent: fc.constantFrom('a1', 'a3', ''),
  customer: fc.constantFrom('c1', 'c2', ''),
  csat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  nps: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  effort: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
});

const step = fc.oneof(
  fc.record({
    kind: fc.constant('interactions' as const),
    rows: fc.array(interaction, { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('surveys' as const), rows: fc.array(survey, { minLength: 1, maxLength: 6 }) }),
  // A customer's segment changes (or its spelling only): its interactions, surveys and referrals follow.
  fc.record({
    kind: fc.constant('customers' as const),
    rows: fc.array(
      fc.record({
        id: fc.constantFrom('c1', 'c2', 'c3'),
        segment: fc.constantFrom('Monthly', 'MONTHLY', 'Annual', 'Two year', ''),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  // An agent moves team: surveys with neither interaction nor team follow it.
  fc.record({
    kind: fc.constant('agents' as const),
    rows: fc.array(fc.record({ id: fc.constantFrom('a1', 'a2', 'a3'), team: fc.constantFrom('ta', 'tb') }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  // The previous batch again, exactly: nothing changes.
  fc.record({ kind: fc.constant('again' as const) }),
  fc.record({
    kind: fc.constant('referrals' as const),
    rows: fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 5 }),
        day: fc.integer({ min: 1, max: 5 }),
        customer: fc.constantFrom('c1', 'c2'),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

let run = 0;

describe('rollups', () => {
  it.each([
    ['in chunks of 3 rows', 3],
    ['as one small batch (kept statements)', undefined],
  ])(
    'always equal a recomputation from raw rows, %s',
    async (_, chunkRows) => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 7 }), async (steps) => {
          const prefix = `r${run++}`;
          const known = new Set<number>();
          let last: { kind: Kind; text: string } | null = null;
          const send = async (kind: Kind, text: string) => {
            last = { kind, text };
            await ingestCsv(d, kind, text, { timeZone: TZ, chunkRows });
          };
          for (const s of steps) {
            if (s.kind === 'again') {
              if (!last) continue;
              const { kind, text } = last as { kind: Kind; text: string };
              const result = await ingestCsv(d, kind, text, { timeZone: TZ, chunkRows });
              expect(result.inserted + result.updated).toBe(0);
            } else if (s.kind === 'agents') {
              const byId = new Map(s.rows.map((r) => [r.id, r]));
              await send(
                'agents',
                csv(
                  'external_id,name,team',
                  ...[...byId.values()].map((r) => `${r.id},${r.id.toUpperCase()},${r.team}`),
                ),
              );
            } else if (s.kind === 'interactions') {
              // Later rows with the same id in one batch would be a conflict: keep the last per id.
              const byId = new Map(s.rows.map((r) => [r.id, r]));
              const lines = [...byId.values()].map((r) => {
                known.add(r.id);
                const at = `2024-03-0${r.day}T${String(r.hour).padStart(2, '0')}:30:00`; // local time in ORG_TIMEZONE (DST starts 2024-03-10)
                return [
                  `${prefix}i${r.id}`,
                  at,
                  r.team,
                  r.channel,
                  r.agent,
                  r.customer,
                  r.stage,
                  r.answered,
                  r.wait ?? '',
                  r.handle ?? '',
                  r.resolved,
                ].join(',');
              });
              // The first row again at the end, exactly: counted once, in a later chunk.
              await send(
                'interactions',
                csv(
                  'external_id,occurred_at,team,channel,agent,customer,journey_stage,answered,wait_seconds,handle_seconds,resolved',
                  ...lines,
                  lines[0]!,
                ),
              );
            } else if (s.kind === 'surveys') {
              const byId = new Map(s.rows.map((r) => [r.id, r]));
              const lines = [...byId.values()].map((r) => {
                const link = r.linked && known.has(r.interaction) ? `${prefix}i${r.interaction}` : '';
                return [
                  `${prefix}s${r.id}`,
                  `2024-03-0${r.day}T23:30:00-06:00`,
                  link,
                  r.team,
                  r.agent,
                  r.customer,
                  r.csat ?? '',
                  r.nps ?? '',
                  r.effort ?? '',
                ].join(',');
              });
              await send(
                'surveys',
                csv('external_id,responded_at,interaction,team,agent,customer,csat,nps,effort', ...lines),
              );
            } else if (s.kind === 'customers') {
              const byId = new Map(s.rows.map((r) => [r.id, r]));
              const lines = [...byId.values()].map((r) => [r.id, r.segment].join(','));
              await send('customers', csv('external_id,segment', ...lines));
            } else {
              const byId = new Map(s.rows.map((r) => [r.id, r]));
              const lines = [...byId.values()].map((r) =>
                [`${prefix}f${r.id}`, `2024-03-0${r.day}T05:00:00Z`, r.customer].join(','),
              );
              await send('referrals', csv('external_id,referred_at,customer', ...lines));
            }
          }
          const diffs = await verifyRollups(d, TZ);
          expect(diffs.filter((x) => x.extra + x.missing > 0)).toEqual([]);
        }),
        { numRuns: 40, seed: 20261123 },
      );
      // 40 sequences of up to 7 imports: about 10 s alone, several times that on a busy machine.
    },
    120_000,
  );
});
