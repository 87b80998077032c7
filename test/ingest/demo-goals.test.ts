// The demo's goals and CX success statement: organisation-wide goals from the first demo day,
// open-ended, with a referral goal a little above the data's own level; the statement only when
// none is set; a second (interrupted-and-resumed) seeding adds nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STATEMENT, roundUpALittle, seedDemoIfEmpty, type DemoLoad } from '../../api/ingest/demo';
import { listGoals } from '../../api/goals/store';
import { runMetrics } from '../../api/metrics/engine';
import { readSettings, writeSettings } from '../../api/settings';
import { settings } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

// 2026-11-20 is a Friday: 16 ISO weeks from Monday 2026-08-03, the last 13 complete ones
// from 2026-08-10 to 2026-11-08.
const OPTIONS = { seed: 7, weeks: 16, scale: 0.05, end: '2026-11-20' };
let d: TestDatabase;
let load: DemoLoad | null;
beforeAll(async () => {
  d = await createTestDatabase();
  load = await seedDemoIfEmpty(d, 'UTC', () => {}, OPTIONS);
}, 120_000);
afterAll(() => d.destroy());

const goalsNow = () => listGoals(d.db, { includeEnded: true, today: '2026-11-20' });

describe('demo goals and statement', () => {
  it('sets open-ended organisation-wide goals from the first demo day, and the statement', async () => {
    expect(load).not.toBeNull();
    const goals = await goalsNow();
    const byMetric = Object.fromEntries(goals.map((g) => [g.metric, g]));
    expect(Object.keys(byMetric).sort()).toEqual([
      'abandon_rate',
      'csat',
      'employee_retention_12m',
      'nps',
      'referral_rate',
      'resolution_rate',
    ]);
    expect(goals.every((g) => g.team === null && g.valid_from === '2026-08-03' && g.valid_to === null && g.note)).toBe(
      true,
    );
    expect(
      Object.fromEntries(goals.filter((g) => g.metric !== 'referral_rate').map((g) => [g.metric, g.target])),
    ).toEqual({
      csat: 0.8,
      resolution_rate: 0.75,
      abandon_rate: 0.08,
      nps: 30,
      employee_retention_12m: 0.8,
    });

    // Referrals: a little above the mean weekly rate of the last 13 complete weeks.
    const weekly = await runMetrics(d, {
      metrics: ['referral_rate'],
      from: '2026-08-10',
      to: '2026-11-08',
      grain: 'week',
      filters: {},
    });
    const levels = weekly.rows.map((r) => r.values.referral_rate!.value!);
    expect(levels).toHaveLength(13);
    const mean = levels.reduce((a, b) => a + b, 0) / levels.length;
    const target = byMetric.referral_rate!.target;
    expect(target).toBe(roundUpALittle(mean));
    expect(target).toBeGreaterThan(mean);
    expect(target).toBeLessThan(mean * 1.5);

    expect((await readSettings(d.db)).cx_statement).toBe(DEMO_STATEMENT);
  });

  it('the goals are what compare=target answers', async () => {
    const r = await runMetrics(d, {
      metrics: ['csat', 'nps', 'referral_rate'],
      from: '2026-11-09',
      to: '2026-11-15',
      grain: 'week',
      filters: {},
      compare: 'target',
    });
    const v = r.rows[0]!.values;
    expect(v.csat).toMatchObject({ target: 0.8 });
    expect(v.nps).toMatchObject({ target: 30 });
    expect(v.referral_rate!.target).toBe((await goalsNow()).find((g) => g.metric === 'referral_rate')!.target);
    expect(typeof v.csat!.met).toBe('boolean');
  });

  it("comes with a curator's first weeks: praise naming its agent approved and credited, back-office praise, follow-ups", async () => {
    const rows = await d.rows<{
      comment: string;
      agent: string | null;
      credited: string | null;
      team_kind: string;
      week: string;
      followed_up_on: string | null;
      responded: string;
    }>(sql`
      select s.comment, ag.name as agent, ca.name as credited, t.kind as team_kind,
             to_char(s.responded_at, 'IYYY-"W"IW') as week, q.followed_up_on::text as followed_up_on, to_char(s.responded_at, 'YYYY-MM-DD') as responded
      from quotes q join surveys s on s.id = q.survey_id left join interactions i on i.id = s.interaction_id
      left join agents ag on ag.id = coalesce(s.agent_id, i.agent_id) left join agents ca on ca.id = q.credited_agent_id
      join teams t on t.id = coalesce(s.team_id, i.team_id)
      where q.status = 'approved' and q.is_praise and s.may_quote`);
    expect(rows.length).toBeGreaterThan(0);
    const credited = rows.filter((r) => r.credited);
    expect(credited.length).toBeGreaterThan(0);
    for (const r of credited) {
      // Credited to the agent of the contact, whose first name the comment says.
      expect(r.credited).toBe(r.agent);
      expect(r.comment.toLowerCase()).toContain(r.credited!.split(' ')[0]!.toLowerCase());
    }
    // At most two named praise a week, and back-office praise (no agent) for a non-frontline team.
    const perWeek = new Map<string, number>();
    for (const r of credited) perWeek.set(r.week, (perWeek.get(r.week) ?? 0) + 1);
    expect(Math.max(...perWeek.values())).toBeLessThanOrEqual(2);
    const backOffice = rows.filter((r) => !r.credited);
    for (const r of backOffice) expect(r.agent).toBeNull();
    const followed = rows.filter((r) => r.followed_up_on);
    expect(followed.length).toBeGreaterThan(0);
    for (const r of followed) expect(r.followed_up_on! > r.responded).toBe(true);
  });

  it('resuming an interrupted seeding adds no goal and keeps a statement someone set', async () => {
    const before = await goalsNow();
    await writeSettings(d.db, { cx_statement: 'Our own words.' }, null);
    await d.db
      .update(settings)
      .set({ value: 'loading' })
      .where(sql`key = 'demo_state'`);
    expect(await seedDemoIfEmpty(d, 'UTC', () => {}, OPTIONS)).not.toBeNull();
    expect(await goalsNow()).toEqual(before);
    expect((await readSettings(d.db)).cx_statement).toBe('Our own words.');
  }, 120_000);

  it('rounds a level up a little to a round step', () => {
    expect(roundUpALittle(0.46)).toBe(0.5);
    expect(roundUpALittle(0.5)).toBe(0.55);
    expect(roundUpALittle(3.2)).toBe(3.5);
    expect(roundUpALittle(0.031)).toBe(0.035);
    expect(roundUpALittle(0)).toBe(0);
  });
});
