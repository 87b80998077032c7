// A plain call log kept in a spreadsheet, with the caller's rating on the calls that got one:
// each call an interaction, each rating a survey linked to its call.
import type { FieldMapping, Transform } from '../mapping';
import type { Preset } from './types';

const yesNo = (): Transform => ({ type: 'boolean', true: ['y', 'yes'], false: ['n', 'no'] });
/** The call's date and time, day first: the survey has no time of its own. */
const callTime = (): FieldMapping => ({ columns: ['Date', 'Time'], transform: { type: 'datetime', order: 'dmy' } });

export const callLogCsat: Preset = {
  id: 'call-log-csat',
  name: 'Call log with satisfaction ratings',
  description:
    'A call log with one row per call (Call Id, Agent, Date, Time, Topic, Answered (Y/N), Resolved, Speed of answer ' +
    'in seconds, AvgTalkDuration, Satisfaction rating), dates written day first. Each call becomes a phone ' +
    "interaction of the team 'Contact centre' (created when new), with its agent by first name (created in that " +
    'team when new), its topic as the contact reason, its speed of answer as the wait and its talk time as the ' +
    "handle time. Each call with a 1–5 rating also becomes a survey '{Call Id}-survey' linked to it and dated at the " +
    'call; calls without a rating give no survey.',
  fields: [
    {
      column: 'Call Id',
      becomes: 'interactions.external_id; surveys.interaction; surveys.external_id',
      note: "the survey's id is the call id with '-survey'",
    },
    {
      column: 'Date',
      becomes: 'interactions.occurred_at; surveys.responded_at',
      note: 'day first (04/03/2025 is 4 March), with Time',
    },
    {
      column: 'Time',
      becomes: 'interactions.occurred_at; surveys.responded_at',
      note: "in the organisation's time zone",
    },
    { column: 'Agent', becomes: 'interactions.agent', note: "by name, created in the team 'Contact centre' when new" },
    { column: 'Topic', becomes: 'interactions.contact_reason' },
    { column: 'Answered (Y/N)', becomes: 'interactions.answered', note: 'Y or N' },
    { column: 'Resolved', becomes: 'interactions.resolved', note: 'Y or N' },
    { column: 'Speed of answer in seconds', becomes: 'interactions.wait_seconds' },
    { column: 'AvgTalkDuration', becomes: 'interactions.handle_seconds', note: 'h:mm:ss (0:02:23)' },
    { column: 'Satisfaction rating', becomes: 'surveys.csat', note: '1–5; empty: no survey' },
  ],
  mapping: {
    version: 1,
    format: { type: 'csv', delimiter: ',', encoding: 'utf-8', skip_rows: 0 },
    outputs: [
      {
        kind: 'interactions',
        fields: {
          external_id: { column: 'Call Id' },
          occurred_at: callTime(),
          team: { constant: 'Contact centre', lookup: { by: 'name', create: true } },
          channel: { constant: 'phone' },
          agent: { column: 'Agent', lookup: { by: 'name', create: true } },
          contact_reason: { column: 'Topic' },
          answered: { column: 'Answered (Y/N)', transform: yesNo() },
          resolved: { column: 'Resolved', transform: yesNo() },
          wait_seconds: { column: 'Speed of answer in seconds', transform: { type: 'duration', unit: 'seconds' } },
          handle_seconds: { column: 'AvgTalkDuration', transform: { type: 'duration', unit: 'h:mm:ss' } },
        },
      },
      {
        kind: 'surveys',
        fields: {
          external_id: { template: '{Call Id}-survey' },
          responded_at: callTime(),
          interaction: { column: 'Call Id' },
          csat: {
            column: 'Satisfaction rating',
            transform: { type: 'scale', from: [1, 5], to: [1, 5], method: 'linear' },
          },
        },
        only_when_any: ['csat'],
      },
    ],
  },
};
