// A help desk's ticket export with its satisfaction ratings: each ticket an interaction, each
// rated ticket a survey. The export writes times in the help desk account's zone without an
// offset, so they are read in the organisation's zone (set the mapping's zone if they differ).
import { NOT_IMPORTED, type Preset } from './types';

/**
 * The ticket's channel as the export names it (its display names and the API's ids) → ours.
 * A social platform's private messages stay `social`; messaging apps are `messaging`.
 */
const VIA: Record<string, string> = {
  'web form': 'web',
  web: 'web',
  'web widget': 'web',
  web_widget: 'web',
  'help center': 'web',
  'help center post': 'web',
  help_center: 'web',
  email: 'email',
  mail: 'email',
  chat: 'chat',
  'live chat': 'chat',
  'phone call (incoming)': 'phone',
  'phone call (outgoing)': 'phone',
  'phone call (inbound)': 'phone',
  'phone call (outbound)': 'phone',
  voicemail: 'phone',
  voice: 'phone',
  mobile: 'app',
  'mobile sdk': 'app',
  mobile_sdk: 'app',
  text: 'sms',
  sms: 'sms',
  whatsapp: 'messaging',
  line: 'messaging',
  wechat: 'messaging',
  telegram: 'messaging',
  viber: 'messaging',
  messaging: 'messaging',
  'native messaging': 'messaging',
  native_messaging: 'messaging',
  'sunshine conversations': 'messaging',
  'apple messages for business': 'messaging',
  'google business messages': 'messaging',
  twitter: 'social',
  'twitter dm': 'social',
  'x corp': 'social',
  facebook: 'social',
  'facebook post': 'social',
  'facebook private message': 'social',
  'facebook messenger': 'social',
  instagram: 'social',
  'instagram direct': 'social',
  instagram_dm: 'social',
  'answer bot': 'self_service',
  'answer bot for web widget': 'self_service',
  answer_bot: 'self_service',
  api: 'other',
  'web service': 'other',
  'web service (api)': 'other',
  'any channel': 'other',
  any_channel: 'other',
  'closed ticket': 'other',
  closed_ticket: 'other',
  'ticket sharing': 'other',
  ticket_sharing: 'other',
  'side conversation': 'other',
  side_conversation: 'other',
  rule: 'other',
  'sample ticket': 'other',
  sample_ticket: 'other',
};

export const zendeskTickets: Preset = {
  id: 'zendesk-tickets',
  name: 'Zendesk tickets with satisfaction',
  description:
    "Zendesk Support's ticket CSV export (Admin Center: Account, Tools, Reports, Export; one row per ticket). " +
    'Each ticket becomes an interaction: its group is the team and its assignee the agent (both created when new; ' +
    "a ticket with no group goes to a team named 'No group'), Via is the channel, the first reply time (calendar " +
    'minutes) is the wait, and solved or closed tickets count as resolved. Each rated ticket becomes a survey linked ' +
    "to it: Zendesk's rating is binary, so Good becomes csat 5 and Bad csat 1 (our csat counts 4–5 as satisfied, so " +
    'the satisfied share keeps its meaning; the csat mean of such ratings is only ever 1 or 5). Offered and unoffered ' +
    'tickets give no survey. The export has no rating time, so the survey is dated when the ticket was solved. ' +
    'Ratings are never quotable by default (the export carries no consent).',
  fields: [
    {
      column: 'Id',
      becomes: 'interactions.external_id; surveys.interaction; surveys.external_id',
      note: "the survey's id is the ticket id with '-csat'",
    },
    { column: 'Created at', becomes: 'interactions.occurred_at', note: "in the help desk account's time zone" },
    { column: 'Group', becomes: 'interactions.team', note: "by name, created when new; empty: 'No group'" },
    { column: 'Assignee', becomes: 'interactions.agent', note: "by name, created in the ticket's team when new" },
    {
      column: 'Via',
      becomes: 'interactions.channel',
      note: 'Web form, Web Widget, Help Center → web; Email → email; Chat → chat; Phone call, Voicemail → phone; Mobile → app; Text → sms; WhatsApp, LINE, WeChat, messaging → messaging; Twitter, Facebook, Instagram → social; Answer Bot → self_service; API, Closed ticket (follow-up), Ticket sharing → other. Any other value is a problem to add to the mapping.',
    },
    {
      column: 'First reply time in minutes',
      becomes: 'interactions.wait_seconds',
      note: "calendar minutes; use the 'within business hours' column instead to leave nights and weekends out",
    },
    {
      column: 'Status',
      becomes: 'interactions.resolved',
      note: 'solved, closed → resolved; new, open, pending, hold → not (yet) resolved',
    },
    {
      column: 'Satisfaction Score',
      becomes: 'surveys.csat',
      note: 'Good → 5, Bad → 1; Offered, Not Offered, Unoffered → no survey',
    },
    {
      column: 'Satisfaction Comment',
      becomes: 'surveys.comment',
      note: 'not in every Zendesk export: when a file lacks it, the import names the column; remove this field in the wizard',
    },
    {
      column: 'Solved at',
      becomes: 'surveys.responded_at',
      note: 'the export has no rating time; ratings arrive after the ticket is solved',
    },
    { column: 'Requester', becomes: NOT_IMPORTED, note: "a person's name" },
    {
      column: 'Requester id',
      becomes: NOT_IMPORTED,
      note: 'a customer only links when customers are imported first with these ids',
    },
    { column: 'Requester email', becomes: NOT_IMPORTED, note: 'personal data' },
    {
      column: 'Full resolution time in minutes',
      becomes: NOT_IMPORTED,
      note: 'elapsed time to solve, not time spent handling: handle_seconds stays empty',
    },
    {
      column: 'Ticket type',
      becomes: NOT_IMPORTED,
      note: "map a contact-reason field of your own ('… [list]') to contact_reason in the wizard",
    },
  ],
  mapping: {
    version: 1,
    format: { type: 'csv', delimiter: ',', encoding: 'utf-8', skip_rows: 0 },
    outputs: [
      {
        kind: 'interactions',
        fields: {
          external_id: { column: 'Id' },
          occurred_at: { column: 'Created at', transform: { type: 'datetime', order: 'iso' } },
          team: {
            column: 'Group',
            transform: { type: 'map', values: { '': 'No group' }, otherwise: 'keep' },
            lookup: { by: 'name', create: true },
          },
          agent: { column: 'Assignee', lookup: { by: 'name', create: true } },
          channel: { column: 'Via', transform: { type: 'map', values: VIA, otherwise: 'error' } },
          wait_seconds: { column: 'First reply time in minutes', transform: { type: 'duration', unit: 'minutes' } },
          resolved: {
            column: 'Status',
            transform: {
              type: 'boolean',
              true: ['solved', 'closed'],
              false: ['new', 'open', 'pending', 'hold', 'on-hold'],
            },
          },
        },
      },
      {
        kind: 'surveys',
        fields: {
          external_id: { template: '{Id}-csat' },
          responded_at: { column: 'Solved at', transform: { type: 'datetime', order: 'iso' } },
          interaction: { column: 'Id' },
          csat: {
            column: 'Satisfaction Score',
            transform: {
              type: 'map',
              values: { good: '5', bad: '1', offered: null, 'not offered': null, unoffered: null },
              otherwise: 'error',
            },
          },
          comment: { column: 'Satisfaction Comment' },
        },
        only_when_any: ['csat'],
      },
    ],
  },
};
