// The demo events, one day at a time from the 'events' stream (comment text from the
// 'comments' stream): interactions, the surveys that follow them or are about a back-office
// team, and referrals, written as interactions.csv, surveys.csv and referrals.csv.
import { composeComment, type CommentArea, type Sentiment } from './comments';
import { csvRow, type CsvValue } from './csv';
import { DAY_SECONDS, headerChunk, pad, weekday, type DemoChunk, type DemoKind, type DemoPeriod } from './options';
import { Weighted, type Rng } from './random';
import {
  REASONS,
  SEGMENT_CONTACTS,
  type Agent,
  type Customer,
  type Organisation,
  type Reason,
  type Team,
} from './world';

// ---------------------------------------------------------------- contact mix and timing

const REASON_PICKER = new Weighted(
  REASONS,
  REASONS.map((r) => r.weight),
);
const CANCEL_REASON = REASONS.find((r) => r.label === 'Cancel service') as Reason;

type Channel = 'phone' | 'chat' | 'email' | 'social';
const WEEKDAY_CHANNELS = new Weighted<Channel>(['phone', 'chat', 'email', 'social'], [0.7, 0.17, 0.11, 0.02]);
const WEEKEND_CHANNELS = new Weighted<Channel>(['phone', 'chat', 'email', 'social'], [0.55, 0.25, 0.15, 0.05]);

const DOW_VOLUME = [1.22, 1.12, 1.05, 1.0, 0.93, 0.32, 0.14];

function hours(weights: Record<number, number>): Weighted<number> {
  const keys = Object.keys(weights).map(Number);
  return new Weighted(
    keys,
    keys.map((k) => weights[k] as number),
  );
}
const HOURS_LIVE_WEEKDAY = hours({
  8: 0.5,
  9: 1.3,
  10: 1.6,
  11: 1.5,
  12: 1.2,
  13: 1.1,
  14: 1.3,
  15: 1.4,
  16: 1.2,
  17: 0.9,
  18: 0.6,
  19: 0.35,
  20: 0.15,
});
const HOURS_LIVE_WEEKEND = hours({ 9: 1, 10: 1.2, 11: 1.2, 12: 1, 13: 1, 14: 1, 15: 0.9, 16: 0.7 });
const HOURS_ASYNC = hours({
  6: 0.2,
  7: 0.5,
  8: 1,
  9: 1.3,
  10: 1.3,
  11: 1.2,
  12: 1.1,
  13: 1.1,
  14: 1.1,
  15: 1,
  16: 1,
  17: 0.9,
  18: 0.8,
  19: 0.8,
  20: 0.8,
  21: 0.6,
  22: 0.4,
  23: 0.2,
});
const PEAK_HOURS = new Set([9, 10, 11, 14, 15]);

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

// ---------------------------------------------------------------- the days

export interface EventInputs {
  /** The 'events' stream. */
  rng: Rng;
  /** The 'comments' stream. */
  textRng: Rng;
  scale: number;
  weeks: number;
  period: DemoPeriod;
  org: Organisation;
  customers: Customer[];
  counts: Record<DemoKind, number>;
}

/** Writes interactions, surveys and referrals: the headers, then each day's rows. */
export function* eventChunks(inputs: EventInputs): Generator<DemoChunk, void, void> {
  const { rng, textRng, scale, weeks, customers, counts } = inputs;
  const { frontline, backOffice, teamsByRole } = inputs.org;
  const { startDay, endDay, fullEndDay, endSecond, inIncident, timestamp } = inputs.period;

  const contactPicker = new Weighted(
    customers,
    customers.map((c) => SEGMENT_CONTACTS[c.segment]),
  );
  const activeOn = (c: Customer, day: number) => c.started <= day && (c.churned === null || day <= c.churned);
  const pickCustomer = (day: number, accept?: (c: Customer) => boolean): Customer | null => {
    for (let tries = 0; tries < 40; tries++) {
      const c = contactPicker.pick(rng);
      if (activeOn(c, day) && (accept === undefined || accept(c))) return c;
    }
    return null;
  };

  // ---- volumes: a day's expected count follows weekday, season, growth, holidays, the incident.
  const dayWeight = (day: number) => {
    const date = new Date(day * 86_400_000);
    const month = date.getUTCMonth();
    const dom = date.getUTCDate();
    const holiday = (month === 11 && (dom === 25 || dom === 26)) || (month === 0 && dom === 1) ? 0.15 : 1;
    const dayOfYear =
      (Date.UTC(date.getUTCFullYear(), month, dom) - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000;
    const season = 1 + 0.07 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365);
    const growth = 0.94 + (0.12 * (day - startDay)) / (fullEndDay - startDay + 1);
    return (DOW_VOLUME[weekday(day)] as number) * season * growth * holiday;
  };
  let weightSum = 0;
  for (let d = startDay; d <= fullEndDay; d++) weightSum += dayWeight(d);
  // Expected count per unit of day weight for a yearly (52-week) volume at scale 1.
  const perWeight = (yearly: number) => (yearly * scale * weeks) / 52 / weightSum;
  const interactionUnit = perWeight(150_000);
  const surveyTarget = perWeight(30_000);
  const referralUnit = perWeight(1_000);
  // Surveys: 2.5% are about the app, a branch or the product (no interaction); the rest
  // follow answered contacts with a known customer (~93% of contacts).
  const surveyChance = (0.975 * 30_000) / (150_000 * 0.93 * 0.985);
  const backOfficeSurveyUnit = surveyTarget * 0.025;
  // Each accumulator starts just under 1, so even the tiniest scale has one of each.
  let interactionAcc = 0.999;
  let backOfficeAcc = 0.999;
  let referralAcc = 0.999;
  let interactionSeq = 0;
  let surveySeq = 0;
  let referralSeq = 0;

  const activeAgents = new Map<Team, Agent[]>();
  const tenureDays = (a: Agent, day: number) => day - a.hired;

  yield headerChunk('interactions');
  yield headerChunk('surveys');
  yield headerChunk('referrals');

  for (let day = startDay; day <= endDay; day++) {
    const dow = weekday(day);
    const weekend = dow >= 5;
    const incident = inIncident(day);
    for (const t of frontline)
      activeAgents.set(
        t,
        t.agents.filter((a) => a.hired + 10 <= day && (a.left === null || day < a.left)),
      );

    interactionAcc += interactionUnit * dayWeight(day) * (incident ? 1.12 : 1);
    const events: { second: number; channel: Channel }[] = [];
    const dayStart = day * DAY_SECONDS;
    const todays = Math.floor(interactionAcc) - counts.interactions;
    for (let i = 0; i < todays; i++) {
      const channel = (weekend ? WEEKEND_CHANNELS : WEEKDAY_CHANNELS).pick(rng);
      const hourTable =
        channel === 'email' || channel === 'social' ? HOURS_ASYNC : weekend ? HOURS_LIVE_WEEKEND : HOURS_LIVE_WEEKDAY;
      events.push({ second: dayStart + hourTable.pick(rng) * 3600 + rng.int(0, 3599), channel });
    }
    events.sort((a, b) => a.second - b.second);

    let interactionsText = '';
    let surveysText = '';
    for (const ev of events) {
      const { channel, second } = ev;
      if (second > endSecond) break; // sorted: the rest of the day has not happened yet
      const hour = Math.floor((second - dayStart) / 3600);
      const id = `int-${pad(++interactionSeq, 7)}`;
      counts.interactions++;

      const customer =
        channel === 'social'
          ? rng.chance(0.75)
            ? pickCustomer(day)
            : null
          : rng.chance(0.98)
            ? pickCustomer(day)
            : null;
      let reason = REASON_PICKER.pick(rng);
      if (customer?.churned != null && customer.churned - day <= 21 && rng.chance(0.45)) reason = CANCEL_REASON;
      const handlers = teamsByRole[reason.role] as Team[];
      const team = handlers.length === 1 ? (handlers[0] as Team) : rng.pick(handlers);
      const reasonText = reason.variants && rng.chance(0.04) ? rng.pick(reason.variants) : reason.label;
      const stageText = rng.chance(0.01) ? null : reason.stage;

      // Wait: long-tailed, by channel; peaks and Mondays are busier; the IVR week is far worse.
      let wait: number;
      if (channel === 'phone') {
        const busy = (PEAK_HOURS.has(hour) ? 1.35 : 1) * (dow === 0 ? 1.2 : 1) * (incident ? 4 : 1);
        wait = Math.min(3600, rng.logNormal(38 * busy, 1.0));
      } else if (channel === 'chat') {
        const busy = (PEAK_HOURS.has(hour) ? 1.25 : 1) * (incident ? 1.6 : 1);
        wait = Math.min(1800, rng.logNormal(25 * busy, 0.9));
      } else if (channel === 'email') {
        wait = Math.min(4 * DAY_SECONDS, rng.logNormal(16_200 * (weekend ? 1.8 : 1), 0.8));
      } else {
        wait = Math.min(DAY_SECONDS, rng.logNormal(3000, 0.9));
      }
      wait = Math.round(wait);

      let abandon: number;
      if (channel === 'phone') abandon = 0.03 + 0.55 * clamp((wait - 60) / 600, 0, 1) + (incident ? 0.04 : 0);
      else if (channel === 'chat') abandon = 0.025 + 0.3 * clamp((wait - 60) / 600, 0, 1);
      else abandon = channel === 'email' ? 0.008 : 0.03;
      const answered = !rng.chance(abandon);
      const agents = activeAgents.get(team) as Agent[];
      if (!answered || agents.length === 0) {
        interactionsText += csvRow([
          id,
          timestamp(second),
          team.id,
          channel,
          null,
          customer && rng.chance(0.6) ? customer.id : null,
          stageText,
          reasonText,
          false,
          wait,
          null,
          null,
        ]);
        continue;
      }
      const agent = rng.pick(agents);
      const tenure = tenureDays(agent, day);
      const rookie = tenure < 90;

      const rushed = rng.chance(0.06 + (team.turnover ? 0.07 : 0) + (rookie ? 0.05 : 0) + (incident ? 0.04 : 0));
      let handle: number;
      if (rushed) {
        handle = channel === 'phone' ? rng.int(35, 115) : channel === 'chat' ? rng.int(60, 118) : rng.int(20, 100);
      } else {
        const median =
          reason.handle *
          (rookie ? 1.15 : 1) *
          (channel === 'chat' ? 1.5 : channel === 'email' ? 0.8 : channel === 'social' ? 0.5 : 1);
        handle = Math.max(20, Math.round(rng.logNormal(median, 0.5)));
      }

      const tenurePenalty = tenure < 30 ? 0.12 : tenure < 90 ? 0.08 : tenure < 180 ? 0.03 : 0;
      const pResolve = clamp(
        reason.resolve +
          agent.skill * 0.15 -
          (rushed ? 0.38 : 0) -
          tenurePenalty -
          (team.turnover ? 0.04 : 0) -
          (channel === 'social' ? 0.1 : channel === 'email' ? 0.03 : 0),
        0.05,
        0.98,
      );
      const resolved: boolean | null = rng.chance(0.02) ? null : rng.chance(pResolve);

      interactionsText += csvRow([
        id,
        timestamp(second),
        team.id,
        channel,
        agent.id,
        customer?.id ?? null,
        stageText,
        reasonText,
        true,
        wait,
        handle,
        resolved,
      ]);

      // ---- the survey, if the customer answers one
      if (customer === null || !rng.chance(surveyChance)) continue;
      const delay = (() => {
        const r = rng.float();
        if (r < 0.55) return 120 + rng.exponential(2100);
        if (r < 0.88) return rng.int(2 * 3600, 30 * 3600);
        return rng.int(30 * 3600, 72 * 3600);
      })();
      const responded = Math.round(second + (channel === 'email' || channel === 'social' ? wait : 0) + handle + delay);
      if (responded > endSecond) continue;

      // Satisfaction: a latent score from everything that happened, then ordered thresholds.
      const waitPenalty =
        channel === 'phone' || channel === 'chat'
          ? -Math.min(2.4, 0.95 * Math.max(0, Math.log(wait / 70)))
          : -Math.min(1.8, 0.55 * Math.max(0, Math.log(wait / (channel === 'email' ? 2 * 3600 : 1800))));
      const tenureCsat = tenure < 30 ? -0.45 : tenure < 90 ? -0.3 : tenure < 180 ? -0.15 : 0;
      const latent =
        1.45 +
        0.3 * customer.loyalty +
        agent.skill +
        tenureCsat +
        (team.turnover ? -0.2 : 0) +
        reason.csat +
        (resolved === true ? 0.35 : resolved === false ? -0.9 : 0) +
        (rushed ? -0.45 : 0) +
        waitPenalty +
        (incident ? (channel === 'phone' ? -0.8 : channel === 'chat' ? -0.2 : 0) : 0) +
        (channel === 'chat' ? 0.05 : channel === 'email' ? -0.3 : channel === 'social' ? -0.35 : 0);
      const u = latent + rng.logistic(0.5);
      surveysText += surveyRow({
        responded,
        interaction: id,
        customer,
        agent,
        team,
        u,
        resolved,
        area: 'contact',
        comment: {
          channel,
          topic: reason.topic,
          waitSeconds: wait,
          handleSeconds: handle,
          resolved,
          incident: incident && channel === 'phone',
        },
      });
    }

    // Surveys about the app, a branch or the product: no interaction, the team named directly.
    backOfficeAcc += backOfficeSurveyUnit * dayWeight(day);
    while (backOfficeAcc >= 1) {
      backOfficeAcc -= 1;
      const customer = pickCustomer(day);
      if (customer === null) continue;
      const team = rng.pick(backOffice);
      const area = team.kind as CommentArea;
      const responded = dayStart + HOURS_ASYNC.pick(rng) * 3600 + rng.int(0, 3599);
      if (responded > endSecond) continue;
      const u = 1.15 + 0.3 * customer.loyalty + (area === 'facilities' ? 0.2 : 0) + rng.logistic(0.5);
      surveysText += surveyRow({
        responded,
        interaction: null,
        customer,
        agent: null,
        team,
        u,
        resolved: null,
        area,
        comment: null,
      });
    }

    // Referrals: loyal customers refer.
    referralAcc += referralUnit * dayWeight(day);
    let referralsText = '';
    while (referralAcc >= 1) {
      referralAcc -= 1;
      const customer = pickCustomer(day, (c) => rng.chance(sigmoid(1.5 * c.loyalty - 0.3)));
      if (customer === null) continue;
      const at = dayStart + HOURS_ASYNC.pick(rng) * 3600 + rng.int(0, 3599);
      const recent = endDay - day < 30;
      const converted = rng.chance(recent ? 0.65 : 0.1) ? null : rng.chance(0.38);
      referralsText += csvRow([`ref-${pad(++referralSeq, 5)}`, timestamp(at), customer.id, converted]);
      counts.referrals++;
    }

    if (interactionsText) yield ['interactions', interactionsText];
    if (surveysText) yield ['surveys', surveysText];
    if (referralsText) yield ['referrals', referralsText];
  }

  // ---- a survey row (closure over the generator's streams and counters)
  function surveyRow(s: {
    responded: number;
    interaction: string | null;
    customer: Customer;
    agent: Agent | null;
    team: Team;
    u: number;
    resolved: boolean | null;
    area: CommentArea;
    comment: {
      channel: string;
      topic: string;
      waitSeconds: number | null;
      handleSeconds: number | null;
      resolved: boolean | null;
      incident: boolean;
    } | null;
  }): string {
    const { u } = s;
    const csatValue = u > 1.15 ? 5 : u > 0.25 ? 4 : u > -0.45 ? 3 : u > -1.15 ? 2 : 1;
    let csat: number | null = rng.chance(0.92) ? csatValue : null;
    const npsValue = Math.round(clamp(7.7 + 1.9 * s.customer.loyalty + 0.55 * (u - 0.5) + rng.normal(0, 0.9), 0, 10));
    const nps = rng.chance(csat === null ? 0.8 : 0.35) ? npsValue : null;
    const effortValue = Math.round(
      clamp(2.4 - 0.75 * (u - 0.5) + (s.resolved === false ? 1 : 0) + rng.normal(0, 0.8), 1, 7),
    );
    const effort = rng.chance(0.3) ? effortValue : null;
    if (csat === null && nps === null && effort === null) csat = csatValue;

    let sentiment: Sentiment;
    if (csat !== null)
      sentiment =
        csat >= 5
          ? 'praise'
          : csat === 4
            ? rng.chance(0.8)
              ? 'praise'
              : 'neutral'
            : csat === 3
              ? rng.chance(0.7)
                ? 'neutral'
                : 'complaint'
              : 'complaint';
    else if (nps !== null) sentiment = nps >= 9 ? 'praise' : nps >= 7 ? 'neutral' : 'complaint';
    else
      sentiment = effort !== null && effort <= 2 ? 'praise' : effort !== null && effort >= 5 ? 'complaint' : 'neutral';
    const commentChance =
      s.area !== 'contact' ? 0.8 : sentiment === 'complaint' ? 0.62 : sentiment === 'neutral' ? 0.42 : 0.35;
    let comment: string | null = null;
    if (rng.chance(commentChance)) {
      const c = s.comment;
      comment = composeComment(textRng, {
        sentiment,
        area: s.area,
        channel: c?.channel ?? 'other',
        topic: c?.topic ?? 'account',
        waitSeconds: c?.waitSeconds ?? null,
        handleSeconds: c?.handleSeconds ?? null,
        resolved: c?.resolved ?? null,
        incident: c?.incident ?? false,
        praisedName: s.agent?.praised && sentiment === 'praise' && rng.chance(0.55) ? s.agent.first : null,
      });
    }
    const mayQuote =
      comment !== null && rng.chance(sentiment === 'praise' ? 0.4 : sentiment === 'neutral' ? 0.3 : 0.25);
    // A survey linked to an interaction inherits team, agent and customer; now and then the
    // source system repeats them anyway (consistently).
    const repeat = s.interaction === null || rng.chance(0.03);
    counts.surveys++;
    return csvRow([
      `srv-${pad(++surveySeq, 6)}`,
      timestamp(s.responded),
      s.interaction,
      repeat ? s.customer.id : null,
      repeat && s.agent ? s.agent.id : null,
      repeat ? s.team.id : null,
      csat,
      nps,
      effort,
      comment,
      mayQuote,
    ] satisfies CsvValue[]);
  }
}
