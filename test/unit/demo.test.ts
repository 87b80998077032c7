// The demo data generator (db/seed): deterministic, in the data contract's format, and telling
// the stories the product is demonstrated with.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRow } from '../../db/seed/csv';
import {
  DEMO_HEADERS,
  DEMO_KINDS,
  generateDemo,
  writeDemo,
  type DemoData,
  type DemoOptions,
} from '../../db/seed/generate';
import { parseCsvRecords, readCsv } from '../seed/csv-reader';
import { pooledExcept, readAll, storyNumbers, type Tables } from '../seed/stories';

const SMALL: DemoOptions = { seed: 42, weeks: 20, scale: 0.1, end: '2026-11-20' };
/** Big enough for every story to be clear, still well under a second to generate. */
const STORY: DemoOptions = { seed: 7, weeks: 52, scale: 0.2, end: '2026-11-20' };
const FULL: DemoOptions = { seed: 42, weeks: 52, scale: 1, end: '2026-11-20' };

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const hashes = (data: DemoData) => Object.fromEntries(DEMO_KINDS.map((k) => [k, sha(data.files[k])]));

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BOOL = /^(true|false)$/;
const INTEGER = /^\d+$/;

function inRange(value: string | null, lo: number, hi: number): boolean {
  return value === null || (INTEGER.test(value) && Number(value) >= lo && Number(value) <= hi);
}

/** Every format, range, reference and time rule of the data contract and the brief. */
function checkContract(t: Tables, options: DemoOptions) {
  const endSecond = Date.parse(`${options.end}T23:59:59Z`);
  const problems: string[] = [];
  const fail = (kind: string, id: string | null, what: string) => {
    if (problems.length < 20) problems.push(`${kind} ${id}: ${what}`);
  };

  for (const kind of DEMO_KINDS) {
    const ids = t[kind].rows.map((r) => r.external_id);
    expect(new Set(ids).size, `${kind} external ids are unique`).toBe(ids.length);
    expect(ids.every((id) => id !== null && id.trim() === id && id.length > 0)).toBe(true);
  }

  const teams = new Map(t.teams.rows.map((r) => [r.external_id as string, r]));
  for (const r of t.teams.rows) {
    if (!r.name) fail('team', r.external_id, 'no name');
    if (!['support', 'sales', 'success', 'product', 'digital', 'facilities', 'other'].includes(r.kind ?? ''))
      fail('team', r.external_id, `kind ${r.kind}`);
  }
  const agents = new Map(t.agents.rows.map((r) => [r.external_id as string, r]));
  for (const r of t.agents.rows) {
    if (!r.name || !/^\S+ \S.*$/.test(r.name)) fail('agent', r.external_id, `name ${r.name}`);
    const team = teams.get(r.team ?? '');
    if (!team) fail('agent', r.external_id, `unknown team ${r.team}`);
    else if (!['support', 'sales', 'success'].includes(team.kind ?? ''))
      fail('agent', r.external_id, `on a ${team.kind} team`);
    if (!DATE.test(r.hired_on ?? '')) fail('agent', r.external_id, `hired_on ${r.hired_on}`);
    if (r.left_on !== null && (!DATE.test(r.left_on) || r.left_on <= (r.hired_on ?? '') || r.left_on > options.end))
      fail('agent', r.external_id, `left_on ${r.left_on}`);
    if ((r.hired_on ?? '') > options.end) fail('agent', r.external_id, 'hired after end');
  }
  const customers = new Map(t.customers.rows.map((r) => [r.external_id as string, r]));
  for (const r of t.customers.rows) {
    if (!['SMB', 'Mid-market', 'Enterprise'].includes(r.segment ?? ''))
      fail('customer', r.external_id, `segment ${r.segment}`);
    if (!DATE.test(r.started_on ?? '') || (r.started_on ?? '') > options.end)
      fail('customer', r.external_id, `started_on ${r.started_on}`);
    if (
      r.churned_on !== null &&
      (!DATE.test(r.churned_on) || r.churned_on < (r.started_on ?? '') || r.churned_on > options.end)
    )
      fail('customer', r.external_id, `churned_on ${r.churned_on}`);
    if (!/^\d+\.\d{2}$/.test(r.monthly_value ?? '') || Number(r.monthly_value) <= 0)
      fail('customer', r.external_id, `monthly_value ${r.monthly_value}`);
  }

  const interactions = new Map(t.interactions.rows.map((r) => [r.external_id as string, r]));
  for (const r of t.interactions.rows) {
    const id = r.external_id;
    const at = r.occurred_at ?? '';
    if (!TIMESTAMP.test(at) || Date.parse(at) > endSecond) fail('interaction', id, `occurred_at ${at}`);
    const team = teams.get(r.team ?? '');
    if (!team || !['support', 'sales', 'success'].includes(team.kind ?? '')) fail('interaction', id, `team ${r.team}`);
    if (!['phone', 'chat', 'email', 'social'].includes(r.channel ?? ''))
      fail('interaction', id, `channel ${r.channel}`);
    if (!BOOL.test(r.answered ?? '')) fail('interaction', id, `answered ${r.answered}`);
    if (!inRange(r.wait_seconds, 0, 1e7) || r.wait_seconds === null) fail('interaction', id, `wait ${r.wait_seconds}`);
    if (!inRange(r.handle_seconds, 0, 1e7)) fail('interaction', id, `handle ${r.handle_seconds}`);
    if (r.resolved !== null && !BOOL.test(r.resolved)) fail('interaction', id, `resolved ${r.resolved}`);
    const day = at.slice(0, 10);
    if (r.customer !== null) {
      const c = customers.get(r.customer);
      if (!c) fail('interaction', id, `unknown customer ${r.customer}`);
      else if (day < (c.started_on ?? '') || (c.churned_on !== null && day > c.churned_on))
        fail('interaction', id, 'customer not active');
    }
    if (r.answered === 'false') {
      if (r.agent !== null || r.handle_seconds !== null || r.resolved !== null)
        fail('interaction', id, 'abandoned with agent/handle/resolved');
      continue;
    }
    const agent = agents.get(r.agent ?? '');
    if (!agent) fail('interaction', id, `unknown agent ${r.agent}`);
    else {
      if (agent.team !== r.team) fail('interaction', id, "not the agent's team");
      if (day < (agent.hired_on ?? '')) fail('interaction', id, 'before the agent was hired');
      if (agent.left_on !== null && day >= agent.left_on) fail('interaction', id, 'after the agent left');
    }
    if (r.handle_seconds === null) fail('interaction', id, 'answered without handle time');
  }

  for (const r of t.surveys.rows) {
    const id = r.external_id;
    const at = r.responded_at ?? '';
    if (!TIMESTAMP.test(at) || Date.parse(at) > endSecond) fail('survey', id, `responded_at ${at}`);
    if (!inRange(r.csat, 1, 5)) fail('survey', id, `csat ${r.csat}`);
    if (!inRange(r.nps, 0, 10)) fail('survey', id, `nps ${r.nps}`);
    if (!inRange(r.effort, 1, 7)) fail('survey', id, `effort ${r.effort}`);
    if (r.csat === null && r.nps === null && r.effort === null) fail('survey', id, 'no score');
    if (!BOOL.test(r.may_quote ?? '')) fail('survey', id, `may_quote ${r.may_quote}`);
    if (r.may_quote === 'true' && r.comment === null) fail('survey', id, 'may_quote without a comment');
    if (r.customer !== null && !customers.has(r.customer)) fail('survey', id, `unknown customer ${r.customer}`);
    if (r.agent !== null && !agents.has(r.agent)) fail('survey', id, `unknown agent ${r.agent}`);
    if (r.team !== null && !teams.has(r.team)) fail('survey', id, `unknown team ${r.team}`);
    if (r.interaction === null) {
      if (r.team === null || r.customer === null) fail('survey', id, 'no interaction and no team/customer');
      continue;
    }
    const i = interactions.get(r.interaction);
    if (!i) {
      fail('survey', id, `unknown interaction ${r.interaction}`);
      continue;
    }
    if (i.answered !== 'true' || i.customer === null) fail('survey', id, 'on an abandoned or anonymous contact');
    if (Date.parse(at) < Date.parse(i.occurred_at ?? '')) fail('survey', id, 'responded before the contact');
    if (Date.parse(at) - Date.parse(i.occurred_at ?? '') > 8 * 86_400_000)
      fail('survey', id, 'responded more than 8 days later');
    // Given fields repeat the interaction's (consistent with what it would inherit).
    if (r.customer !== null && r.customer !== i.customer) fail('survey', id, 'customer differs from the interaction');
    if (r.agent !== null && r.agent !== i.agent) fail('survey', id, 'agent differs from the interaction');
    if (r.team !== null && r.team !== i.team) fail('survey', id, 'team differs from the interaction');
  }

  for (const r of t.referrals.rows) {
    const at = r.referred_at ?? '';
    if (!TIMESTAMP.test(at) || Date.parse(at) > endSecond) fail('referral', r.external_id, `referred_at ${at}`);
    const c = customers.get(r.customer ?? '');
    if (!c) fail('referral', r.external_id, `unknown customer ${r.customer}`);
    else if (at.slice(0, 10) < (c.started_on ?? '') || (c.churned_on !== null && at.slice(0, 10) > c.churned_on))
      fail('referral', r.external_id, 'referrer not active');
    if (r.converted !== null && !BOOL.test(r.converted)) fail('referral', r.external_id, `converted ${r.converted}`);
  }
  expect(problems).toEqual([]);
}

function checkStories(data: DemoData, t: Tables) {
  const s = storyNumbers(t, data.story.incident.weekStart);
  const b = s.csatByBucket;
  const fast = b['0-30']?.rate ?? NaN;
  // 1. Waiting costs satisfaction.
  expect(fast).toBeGreaterThan(0.8);
  expect(b['120-300']?.rate).toBeLessThan(fast - 0.1);
  expect(b['300+']?.rate).toBeLessThan(fast - 0.15);
  expect(b['60-120']?.rate).toBeGreaterThan(b['120-300']?.rate ?? 1);
  // 2. Very short calls resolve less and satisfy less.
  expect(s.shortCalls.resolved.rate).toBeLessThan(s.otherCalls.resolved.rate - 0.15);
  expect(s.shortCalls.csat.rate).toBeLessThan(s.otherCalls.csat.rate - 0.08);
  // 3. The high-turnover team has the most leavers and serves worse.
  const team = data.story.turnoverTeam;
  const leavers = new Map<string, number>();
  for (const a of t.agents.rows)
    if (a.left_on !== null) leavers.set(a.team as string, (leavers.get(a.team as string) ?? 0) + 1);
  expect(Math.max(...leavers.values())).toBe(leavers.get(team));
  expect(s.teamCsat[team]?.rate).toBeLessThan(pooledExcept(s.teamCsat, team).rate - 0.05);
  expect(s.teamResolved[team]?.rate).toBeLessThan(pooledExcept(s.teamResolved, team).rate - 0.03);
  // 4. The IVR week: waits up, CSAT down against the three weeks either side.
  expect(s.incident.aroundWeeks).toHaveLength(6);
  expect(s.incident.phoneWait).toBeGreaterThan(2 * s.incident.phoneWaitAround);
  expect(s.incident.csat.rate).toBeLessThan(s.incident.csatAround.rate - 0.12);
  // 5. Promoters churn less than detractors.
  expect(s.churn.promoters.n).toBeGreaterThan(100);
  expect(s.churn.detractors.n).toBeGreaterThan(50);
  expect(s.churn.promoters.rate).toBeLessThan(s.churn.detractors.rate / 2);
  // 6. Praised agents are praised by first name, on their own contacts, and nobody else is named.
  const agents = new Map(t.agents.rows.map((a) => [a.external_id as string, a]));
  const interactions = new Map(t.interactions.rows.map((r) => [r.external_id as string, r]));
  const comments = t.surveys.rows.filter((r) => r.comment !== null);
  const firstName = (id: string) => (agents.get(id)?.name ?? '').split(' ')[0] as string;
  const mentions = (first: string) =>
    comments.filter((r) => new RegExp(`\\b${first}\\b`, 'i').test(r.comment as string));
  for (const id of data.story.praisedAgents) {
    const named = mentions(firstName(id));
    expect(named.length, `comments naming ${firstName(id)}`).toBeGreaterThanOrEqual(5);
    for (const r of named) expect(interactions.get(r.interaction ?? '')?.agent).toBe(id);
    expect(named.every((r) => Number(r.csat ?? 5) >= 4)).toBe(true);
  }
  const praisedFirst = new Set(data.story.praisedAgents.map(firstName));
  for (const a of t.agents.rows) {
    const first = (a.name as string).split(' ')[0] as string;
    if (!praisedFirst.has(first)) expect(mentions(first), `comments naming ${first}`).toEqual([]);
  }
  return s;
}

describe('demo data: determinism and the writer', () => {
  it('gives byte-identical files for the same options, and different ones for another seed', () => {
    const a = generateDemo(SMALL);
    const b = generateDemo({ ...SMALL });
    expect(hashes(b)).toEqual(hashes(a));
    expect(b.story).toEqual(a.story);
    const c = generateDemo({ ...SMALL, seed: 43 });
    for (const kind of ['agents', 'customers', 'interactions', 'surveys', 'referrals'] as const)
      expect(sha(c.files[kind])).not.toBe(sha(a.files[kind]));
  });

  it('writeDemo streams exactly the files generateDemo returns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pairwise-demo-'));
    try {
      const story = await writeDemo(join(dir, 'out'), SMALL);
      const data = generateDemo(SMALL);
      expect(story).toEqual(data.story);
      for (const kind of DEMO_KINDS)
        expect(sha(await readFile(join(dir, 'out', `${kind}.csv`), 'utf8')), kind).toBe(sha(data.files[kind]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops at `until`: a demo loaded in the morning has no afternoon', () => {
    const until = Date.parse(`${SMALL.end}T10:30:00Z`) / 1000;
    const cut = generateDemo({ ...SMALL, until });
    const stamps = (text: string, column: string) => readCsv(text, [column]).rows.map((r) => r[column]!);
    const interactions = stamps(cut.files.interactions, 'occurred_at');
    const surveys = stamps(cut.files.surveys, 'responded_at');
    expect(interactions.filter((x) => x.startsWith(SMALL.end)).length).toBeGreaterThan(0);
    expect(interactions.every((x) => Date.parse(x) / 1000 <= until)).toBe(true);
    expect(surveys.every((x) => Date.parse(x) / 1000 <= until)).toBe(true);
    expect(
      stamps(generateDemo(SMALL).files.interactions, 'occurred_at').some((x) => Date.parse(x) / 1000 > until),
    ).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => generateDemo({ ...SMALL, end: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateDemo({ ...SMALL, weeks: 0 })).toThrow(RangeError);
    expect(() => generateDemo({ ...SMALL, weeks: 2.5 })).toThrow(RangeError);
    expect(() => generateDemo({ ...SMALL, scale: 0 })).toThrow(RangeError);
    expect(() => generateDemo({ ...SMALL, seed: Number.NaN })).toThrow(RangeError);
  });
});

describe('demo data: the data contract', () => {
  const data = generateDemo(SMALL);
  const t = readAll(data.files);

  it('has header rows with exactly the contract field names, \\n line endings and no BOM', () => {
    for (const kind of DEMO_KINDS) {
      const text = data.files[kind];
      expect(text.slice(0, text.indexOf('\n')), kind).toBe(DEMO_HEADERS[kind].join(','));
      expect(t[kind].header).toEqual([...DEMO_HEADERS[kind]]);
      expect(text.charCodeAt(0)).not.toBe(0xfeff);
      expect(text.endsWith('\n')).toBe(true);
      expect(text.includes('\r')).toBe(false);
    }
    expect(DEMO_HEADERS.interactions).toEqual([
      'external_id',
      'occurred_at',
      'team',
      'channel',
      'agent',
      'customer',
      'journey_stage',
      'contact_reason',
      'answered',
      'wait_seconds',
      'handle_seconds',
      'resolved',
    ]);
    expect(DEMO_HEADERS.surveys).toEqual([
      'external_id',
      'responded_at',
      'interaction',
      'customer',
      'agent',
      'team',
      'csat',
      'nps',
      'effort',
      'comment',
      'may_quote',
    ]);
  });

  it('resolves every reference, keeps every value in range and nothing after end', () => {
    checkContract(t, SMALL);
    expect(data.story.counts).toEqual(Object.fromEntries(DEMO_KINDS.map((k) => [k, t[k].rows.length])));
  });

  it('covers the ISO weeks ending with the week of end (the current week partial)', () => {
    const days = t.interactions.rows.map((r) => (r.occurred_at as string).slice(0, 10)).sort();
    // 2026-11-20 is a Friday: 20 weeks back from its week start on Monday 2026-11-16.
    expect(days[0]).toBe('2026-07-06');
    expect(days.at(-1)).toBe('2026-11-20');
    expect(data.story.incident.weekStart).toBe('2026-10-05');
  });

  it('writes RFC 4180: a comment with a comma, a quote and a newline survives the round trip', () => {
    const tricky = 'Hi,\nshe said "leave it with me", and did.\r\nThanks';
    const line = csvRow(['srv-1', tricky, 'plain', null, true, 4]);
    expect(line).toBe('srv-1,"Hi,\nshe said ""leave it with me"", and did.\r\nThanks",plain,,true,4\n');
    expect(parseCsvRecords(line)).toEqual([['srv-1', tricky, 'plain', '', 'true', '4']]);
    const multi = t.surveys.rows.filter(
      (r) => /\n/.test(r.comment ?? '') && /"/.test(r.comment ?? '') && /,/.test(r.comment ?? ''),
    );
    expect(multi.length).toBeGreaterThan(0);
    const sample = multi[0]?.comment as string;
    expect(data.files.surveys).toContain(`"${sample.replace(/"/g, '""')}"`);
  });

  it('reads like a contact centre: channels, stages, reasons, abandons, waits and business hours', () => {
    const rows = t.interactions.rows;
    const share = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).length / rows.length;
    expect(share((r) => r.channel === 'phone')).toBeGreaterThan(0.55);
    expect(share((r) => r.channel === 'social')).toBeGreaterThan(0);
    expect(share((r) => r.answered === 'false')).toBeGreaterThan(0.03);
    expect(share((r) => r.answered === 'false')).toBeLessThan(0.08);
    const stages = new Set(rows.map((r) => r.journey_stage).filter((x) => x !== null));
    expect(stages.size).toBeGreaterThanOrEqual(8);
    const raw = new Set(rows.map((r) => r.contact_reason as string));
    const normalised = new Set([...raw].map((x) => x.trim().toLowerCase()));
    expect(normalised.size).toBeGreaterThanOrEqual(12);
    expect(raw.size).toBeGreaterThan(normalised.size); // a few spellings differ in case or spaces
    const phoneWaits = rows
      .filter((r) => r.channel === 'phone' && r.answered === 'true')
      .map((r) => Number(r.wait_seconds));
    expect(phoneWaits.filter((w) => w < 120).length / phoneWaits.length).toBeGreaterThan(0.75);
    expect(phoneWaits.some((w) => w >= 300 && w <= 900)).toBe(true);
    const live = rows.filter((r) => r.channel === 'phone' || r.channel === 'chat');
    const hour = (r: (typeof rows)[number]) => Number((r.occurred_at as string).slice(11, 13));
    expect(live.every((r) => hour(r) >= 8 && hour(r) <= 20)).toBe(true);
    const weekday = rows.filter((r) => {
      const d = new Date(r.occurred_at as string).getUTCDay();
      return d >= 1 && d <= 5;
    });
    expect(weekday.length / rows.length).toBeGreaterThan(0.85);
  });
});

describe('demo data: the stories', () => {
  it('tells all six stories at a small scale', () => {
    const data = generateDemo(STORY);
    const t = readAll(data.files);
    checkContract(t, STORY);
    checkStories(data, t);
  });

  it.each([1, 2, 3])('tells them for seed %i too (by construction, not luck)', (seed) => {
    const options = { ...STORY, seed };
    const data = generateDemo(options);
    checkStories(data, readAll(data.files));
  });

  it('has comments that read like customers: varied, with personal data to redact and harmless numbers', () => {
    const data = generateDemo(STORY);
    const t = readAll(data.files);
    const comments = t.surveys.rows.map((r) => r.comment).filter((c): c is string => c !== null);
    expect(comments.length / t.surveys.rows.length).toBeGreaterThan(0.3);
    expect(comments.length / t.surveys.rows.length).toBeLessThan(0.5);
    expect(new Set(comments).size).toBeGreaterThan(500);
    const withComment = t.surveys.rows.filter((r) => r.comment !== null);
    const quotable = withComment.filter((r) => r.may_quote === 'true').length / withComment.length;
    expect(quotable).toBeGreaterThan(0.25);
    expect(quotable).toBeLessThan(0.45);
    const count = (re: RegExp) => comments.filter((c) => re.test(c)).length;
    expect(count(/[\w.]+@[\w.]+\.\w+/)).toBeGreaterThan(5); // e-mail addresses
    expect(count(/\+\d{1,3} \d|\(\d{3}\) \d{3}-\d{4}|07700 \d{6}/)).toBeGreaterThan(5); // phone numbers
    expect(count(/\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{3,4}\b|\b3\d{14}\b/)).toBeGreaterThan(2); // card-like numbers
    expect(count(/£\d+\.\d{2}/)).toBeGreaterThan(5); // prices
    expect(count(/\b\d{1,2}:\d{2}\b/)).toBeGreaterThan(5); // times
    expect(count(/\border \d{5}\b/i)).toBeGreaterThan(2); // order numbers
    expect(count(/^[a-z]/)).toBeGreaterThan(5); // some typed in lower case
    // Praise for the teams that take no calls, on surveys that name them.
    const teams = new Map(t.teams.rows.map((r) => [r.external_id as string, r.kind as string]));
    for (const kind of ['product', 'digital', 'facilities']) {
      const praise = t.surveys.rows.filter(
        (r) =>
          r.interaction === null && teams.get(r.team ?? '') === kind && r.comment !== null && Number(r.csat ?? 0) >= 4,
      );
      expect(praise.length, kind).toBeGreaterThan(3);
    }
    expect(count(/new app made it easy/i)).toBeGreaterThan(0);
    expect(count(/branch was spotless/i)).toBeGreaterThan(0);
    expect(count(/phone menu|automated menu|phone options/i)).toBeGreaterThan(3);
  });
});

describe('demo data at scale 1', () => {
  let data: DemoData;
  let t: Tables;
  let seconds = 0;
  beforeAll(() => {
    const started = performance.now();
    data = generateDemo(FULL);
    seconds = (performance.now() - started) / 1000;
    t = readAll(data.files);
  });
  afterAll(() => {
    data = undefined as unknown as DemoData;
    t = undefined as unknown as Tables;
  });

  it('generates in a few seconds', () => {
    expect(seconds).toBeLessThan(8);
  });

  it('has about the counts asked for (±10%)', () => {
    const want = { teams: 8, agents: 60, customers: 5000, interactions: 150_000, surveys: 30_000, referrals: 1000 };
    for (const kind of DEMO_KINDS) {
      expect(data.story.counts[kind], kind).toBeGreaterThanOrEqual(want[kind] * 0.9);
      expect(data.story.counts[kind], kind).toBeLessThanOrEqual(want[kind] * 1.1);
    }
    const kinds = t.teams.rows.map((r) => r.kind);
    for (const kind of ['support', 'success', 'sales', 'product', 'digital', 'facilities'])
      expect(kinds).toContain(kind);
    const leavers = t.agents.rows.filter((a) => a.left_on !== null).length;
    expect(leavers).toBeGreaterThanOrEqual(6);
    expect(t.agents.rows.filter((a) => (a.hired_on as string) >= '2025-11-24').length).toBeGreaterThanOrEqual(6);
    expect(t.customers.rows.filter((c) => c.churned_on !== null).length).toBeGreaterThan(250);
    expect(data.story.praisedAgents.length).toBeGreaterThanOrEqual(4);
    expect(data.story.praisedAgents.length).toBeLessThanOrEqual(6);
    const surveys = t.surveys.rows;
    expect(surveys.filter((r) => r.interaction !== null).length / surveys.length).toBeGreaterThan(0.95);
    expect(surveys.filter((r) => r.csat !== null).length / surveys.length).toBeGreaterThan(0.85);
    const nps = surveys.filter((r) => r.nps !== null).length / surveys.length;
    expect(nps).toBeGreaterThan(0.2);
    expect(nps).toBeLessThan(0.6);
    expect(surveys.filter((r) => r.effort !== null).length / surveys.length).toBeGreaterThan(0.15);
  });

  it('keeps the contract and tells the stories', () => {
    checkContract(t, FULL);
    checkStories(data, t);
  });
});

describe('npm run demo (db/seed/cli.ts)', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'db/seed/cli.ts', ...args], { cwd: process.cwd() });

  it('writes the six files and reports the counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pairwise-demo-cli-'));
    try {
      const { stdout } = await cli([
        '--out',
        dir,
        '--seed',
        '5',
        '--weeks',
        '8',
        '--scale',
        '0.05',
        '--end',
        '2026-03-04',
      ]);
      expect(stdout).toContain('interactions.csv');
      const expected = generateDemo({ seed: 5, weeks: 8, scale: 0.05, end: '2026-03-04' });
      for (const kind of DEMO_KINDS)
        expect(await readFile(join(dir, `${kind}.csv`), 'utf8'), kind).toBe(expected.files[kind]);
      const { rows } = readCsv(expected.files.interactions);
      expect(rows.every((r) => (r.occurred_at as string) <= '2026-03-04T23:59:59Z')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explains bad arguments and exits 2', async () => {
    await expect(cli(['--seed', '1'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--out') });
    await expect(cli(['--out', join(tmpdir(), 'x'), '--end', 'tomorrow'])).rejects.toMatchObject({ code: 2 });
    await expect(cli(['--out', join(tmpdir(), 'x'), '--scale', 'big'])).rejects.toMatchObject({ code: 2 });
  });
});
