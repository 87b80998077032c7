// The words exports use for the data contract's fields and values: headers by field (with how
// telling each word is), channel names, yes/no spellings and units. Inference (infer.ts) matches a
// file's headers and values against these; adding a spelling here teaches it a new export.
import { CHANNELS } from '../../db/schema';
import type { Kind } from '../ingest/kinds';

export { CHANNELS };
export type Channel = (typeof CHANNELS)[number];

/**
 * A header as words: camelCase split, case-folded, accents and punctuation gone
 * (`AvgTalkDuration` → `avg talk duration`, `Answered (Y/N)` → `answered y n`).
 */
export function normalizeHeader(header: string): string {
  return header
    .replace(/#/g, ' number ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A value as words, for matching values (channels, yes/no): case-folded, `-`/`_` as spaces. */
export const normalizeValue = (value: string) =>
  value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The channel a value names: its words, else its first words (`Phone call (inbound)` → phone,
 * `Web Widget` → web); null when none does.
 */
export function channelOf(value: string): Channel | null {
  const words = normalizeValue(value).split(' ');
  for (let n = words.length; n >= 1; n--) {
    const hit = CHANNEL_VALUES[words.slice(0, n).join(' ')];
    if (hit) return hit;
  }
  return null;
}

/**
 * Header words that qualify rather than name (units, averages, answer hints): a header that
 * matches a synonym apart from these matches it exactly (`Speed of answer in seconds`).
 */
const NOISE = new Set(
  'a an the of in on at to for by per avg average mean total sum overall s sec secs second seconds min mins minute minutes ms msec millis milliseconds hh mm ss hms h m y n yn yes no flag utc local gmt time zone value val num 1 5 7 10 0 scale out is was'.split(
    ' ',
  ),
);

/** One synonym: its words and how telling it is (1: names the field; below 1: a generic word). */
export interface Synonym {
  words: string[];
  quality: number;
}

/** A contract field's header synonyms and how much a match says the file is of this kind. */
export interface FieldHint {
  /** Weight of this field in telling a file's kind (an `answered` column says "interactions" loudly). */
  weight: number;
  synonyms: Synonym[];
}

/** `'date~0.6'` → words ['date'], quality 0.6. */
function parse(list: string): Synonym[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [text, q] = s.split('~');
      return { words: normalizeHeader(text!).split(' '), quality: q ? Number(q) : 1 };
    });
}

const hint = (weight: number, list: string): FieldHint => ({ weight, synonyms: parse(list) });

const TEAM =
  'team, team name, queue, queue name, department, group, group name, skill, skill group, workgroup, split, division~0.7, business unit~0.7';
const AGENT =
  'agent, agent name, agent id, agent username, rep, representative, advisor, adviser, handled by, assignee, assigned to, owner~0.6, user~0.4, operator, staff, employee~0.7, agent login';
const CUSTOMER =
  'customer, customer id, customer number, customer ref, client, client id, account, account id, account number, requester, requester id, member id, customer unique id~0.8, caller id~0.6, caller~0.6';

/** Headers by kind and field. A field missing here is matched by its own name only. */
export const FIELD_HINTS: Record<Kind, Record<string, FieldHint>> = {
  interactions: {
    external_id: hint(
      3,
      'call id, call number, call reference, call ref, interaction id, contact id, ctr id, contact record id, ticket id, ticket number, ticket, case id, case number, conversation id, chat id, session id, order id, order number, record id~0.6, reference~0.6, ref~0.5, id~0.6',
    ),
    occurred_at: hint(
      1,
      'occurred at, date~0.6, time~0.5, datetime~0.7, date time~0.7, timestamp~0.7, start time, start date~0.7, started at, start~0.6, call date, call time, call start, contact date, interaction date, created, created at, created date, date created, opened, opened at, received, received at, order purchase timestamp, purchase timestamp, purchase date, order date, initiation timestamp, when~0.5',
    ),
    team: hint(1, TEAM),
    channel: hint(
      2,
      'channel, channel type, contact channel, medium, media, media type, contact type~0.7, via, source~0.5, origin~0.5',
    ),
    agent: hint(1, AGENT),
    customer: hint(1, CUSTOMER),
    journey_stage: hint(2, 'journey stage, journey, stage, lifecycle stage, touchpoint, touch point'),
    contact_reason: hint(
      2,
      'contact reason, topic, reason, call reason, reason for call, category, subject~0.6, issue, issue type, disposition, wrap up, wrap code, intent, ticket type~0.7, call type~0.7, enquiry type, inquiry type, query type',
    ),
    answered: hint(3, 'answered, answer~0.6, connected, handled~0.5, abandoned, abandon, is abandoned'),
    wait_seconds: hint(
      3,
      'wait seconds, speed of answer, asa, wait, wait time, waiting time, queue time, time in queue, queue duration, queue wait, time to answer, ring time~0.7, hold time~0.5, first response time, first reply time, reply time~0.7, response time~0.7',
    ),
    handle_seconds: hint(
      3,
      'handle seconds, talk time, talk duration, talk, handle time, handling time, handle duration, aht, average handle time, call duration, call length, conversation duration, duration~0.8, agent interaction duration',
    ),
    resolved: hint(
      3,
      'resolved, is resolved, issue resolved, fcr, first contact resolution, first call resolution, solved, resolution~0.7',
    ),
  },
  surveys: {
    external_id: hint(
      3,
      'survey id, response id, survey response id, review id, feedback id, respondent id, submission id, rating id, id~0.4',
    ),
    responded_at: hint(
      1,
      'responded at, response date, response time~0.6, submitted, submitted at, submission date, completed, completed at, survey date, answer timestamp, review answer timestamp, answered at, recorded date, rated at, rating date, review date, review creation date~0.8, end date~0.6, date~0.6, time~0.4, timestamp~0.6, datetime~0.6, created~0.6, created at~0.6',
    ),
    interaction: hint(
      1,
      'interaction, interaction id, call id, ticket id, ticket number, ticket, order id, conversation id, contact id, case id, transaction id, external reference',
    ),
    customer: hint(0.5, CUSTOMER),
    agent: hint(0.5, AGENT),
    team: hint(0.5, TEAM),
    csat: hint(
      3,
      'csat, csat score, satisfaction, satisfaction rating, satisfaction score, customer satisfaction, overall satisfaction, satisfied~0.9, rating~0.8, score~0.7, review score, stars, star rating',
    ),
    nps: hint(
      3,
      'nps, nps score, net promoter, net promoter score, promoter score, recommend, likelihood to recommend, likely to recommend, ltr',
    ),
    effort: hint(
      3,
      'effort, effort score, customer effort, customer effort score, ces, ease, ease of resolution, how easy~0.9',
    ),
    comment: hint(
      2,
      'comment, comments, feedback, verbatim, review comment message, review comment title, comment title, comment message, review text, review message, review title, remarks, free text, reason for score, tell us~0.8, anything else~0.8, message~0.7, text~0.5, why~0.5',
    ),
    may_quote: hint(
      3,
      'may quote, consent, consent to quote, quote consent, permission to quote, can quote, ok to quote, quote you, quote~0.8, publish, may publish, public~0.6',
    ),
    customer_name: hint(1, 'customer name, respondent name, respondent, reviewer, reviewer name, name~0.5'),
  },
  agents: {
    external_id: hint(
      3,
      'agent id, employee id, staff id, user id, agent number, employee number, login~0.7, username~0.7, id~0.6',
    ),
    name: hint(1, 'name, agent name, full name, employee name, display name, agent~0.8'),
    team: hint(1, TEAM),
    hired_on: hint(
      3,
      'hired on, hire date, hired, date hired, start date~0.6, started~0.6, joined, date joined, employment start, start~0.4',
    ),
    left_on: hint(3, 'left on, leaving date, leave date, left, end date~0.6, exit date, termination date, terminated'),
  },
  teams: {
    external_id: hint(3, 'team id, group id, queue id, id~0.6'),
    name: hint(1, 'name, team name, team, group name'),
    kind: hint(3, 'kind, team kind, type, team type, function'),
  },
  customers: {
    external_id: hint(
      2,
      'customer id, customer number, customer unique id, client id, account id, account number, id~0.6',
    ),
    segment: hint(3, 'segment, customer segment, tier, plan, customer type, category~0.5'),
    started_on: hint(
      3,
      'started on, customer since, signup date, signed up, start date~0.6, joined~0.8, first order date, created~0.5',
    ),
    churned_on: hint(
      3,
      'churned on, churn date, churned, cancelled, canceled, cancellation date, end date~0.6, closed date~0.7',
    ),
    monthly_value: hint(3, 'monthly value, mrr, monthly revenue, monthly spend, arpu, revenue~0.6, value~0.5'),
  },
  referrals: {
    external_id: hint(3, 'referral id, referral, invite id'),
    referred_at: hint(3, 'referred at, referral date, invited at, date~0.6, created~0.6'),
    customer: hint(2, 'referrer, referrer id, referring customer, referred by, customer~0.6, customer id~0.6'),
    converted: hint(3, 'converted, conversion, became customer, signed up~0.7'),
  },
};

const stem = (w: string) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w);

/**
 * How well a header (normalized) names a synonym, 0–100: all of the header is the synonym (up to
 * qualifying words) → 100 × quality; the synonym among other words → less for each other word.
 */
export function matchScore(header: string, syn: Synonym): number {
  const words = header.split(' ').filter((w) => w !== '');
  if (words.length === 0) return 0;
  if (words.join('') === syn.words.join('')) return 100 * syn.quality;
  const h = words.map(stem);
  const s = syn.words.map(stem);
  for (let i = 0; i + s.length <= h.length; i++) {
    if (s.every((w, j) => h[i + j] === w)) {
      const extra = h.filter((w, k) => (k < i || k >= i + s.length) && !NOISE.has(words[k]!)).length;
      return (extra === 0 ? 100 : Math.max(30, 80 - 15 * extra)) * syn.quality;
    }
  }
  return 0;
}

/** How well a longer text (a survey question) names a field: a synonym anywhere in it, 0–100. */
export function textScore(text: string, hint: FieldHint | undefined): { score: number; synonym: string } {
  const words = normalizeHeader(text).split(' ').map(stem);
  let best = { score: 0, synonym: '' };
  for (const syn of hint?.synonyms ?? []) {
    const s = syn.words.map(stem);
    for (let i = 0; i + s.length <= words.length; i++) {
      if (s.every((w, j) => words[i + j] === w)) {
        if (100 * syn.quality > best.score) best = { score: 100 * syn.quality, synonym: syn.words.join(' ') };
        break;
      }
    }
  }
  return best;
}

/** The best synonym of a field a header matches, with its score. */
export function fieldScore(
  header: string,
  hint: FieldHint | undefined,
  field: string,
): { score: number; synonym: string } {
  let best = { score: 0, synonym: '' };
  const own = matchScore(header, { words: normalizeHeader(field).split(' '), quality: 1 });
  if (own > 0) best = { score: own, synonym: field.replace(/_/g, ' ') };
  for (const syn of hint?.synonyms ?? []) {
    const score = matchScore(header, syn);
    if (score > best.score) best = { score, synonym: syn.words.join(' ') };
  }
  return best;
}

/** Words that make a header look like an identifier. */
export const ID_WORDS = /\b(id|ids|uuid|guid|key|ref|reference|number|no|nr|code)\b/;

/** Channel spellings (normalized) → the contract's channel. */
export const CHANNEL_VALUES: Record<string, Channel> = Object.fromEntries(
  (
    [
      [
        'phone',
        'phone, voice, call, calls, phone call, telephone, telephony, tel, inbound, outbound, inbound call, outbound call, voicemail, callback',
      ],
      ['chat', 'chat, live chat, livechat, web chat, webchat'],
      ['email', 'email, e mail, mail'],
      [
        'messaging',
        'messaging, whatsapp, whats app, messenger, facebook messenger, fb messenger, telegram, wechat, line, viber, imessage, apple messages, signal',
      ],
      ['sms', 'sms, text, texts, text message, texting'],
      ['web', 'web, website, web site, online, web form, webform, contact form, help center, help centre, portal'],
      ['app', 'app, mobile app, mobile, in app, ios, android'],
      ['video', 'video, video call, videocall'],
      [
        'self_service',
        'self service, self_service, selfservice, ivr, bot, chatbot, chat bot, virtual agent, answer bot',
      ],
      ['social', 'social, social media, twitter, x, facebook, instagram, linkedin, tiktok, youtube'],
      ['in_person', 'in person, in_person, walk in, walkin, store, in store, branch, face to face, counter, visit'],
      ['other', 'other'],
    ] as Array<[Channel, string]>
  ).flatMap(([channel, list]) => list.split(',').map((s) => [normalizeValue(s), channel] as const)),
);

/** Yes/no spellings (case-folded). */
export const TRUE_VALUES = ['y', 'yes', 'true', 't', '1', 'ja', 'oui', 'si', 'x'];
export const FALSE_VALUES = ['n', 'no', 'false', 'f', '0', 'nein', 'non'];
/** A value's counterpart, to complete a boolean transform when a file shows only one side. */
export const BOOLEAN_PAIRS: Record<string, string> = {
  y: 'n',
  yes: 'no',
  true: 'false',
  t: 'f',
  '1': '0',
  ja: 'nein',
  oui: 'non',
  x: '',
};

/** The unit a duration header names (`Speed of answer in seconds`). */
export function durationUnitOf(header: string): 'seconds' | 'minutes' | 'milliseconds' | null {
  const words = new Set(header.split(' '));
  if (['ms', 'msec', 'millis', 'milliseconds', 'millisecond'].some((w) => words.has(w))) return 'milliseconds';
  if (['s', 'sec', 'secs', 'second', 'seconds'].some((w) => words.has(w))) return 'seconds';
  if (['min', 'mins', 'minute', 'minutes'].some((w) => words.has(w))) return 'minutes';
  return null;
}

/** What a rating header says of its scale. */
export const NPS_WORDS = /\b(nps|recommend|promoter|ltr)\b/;
export const CSAT_WORDS = /\b(csat|satisfaction|satisfied)\b/;
export const EFFORT_WORDS = /\b(effort|ces|ease)\b/;
