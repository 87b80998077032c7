// A contact centre's contact records, one JSON object per line, nested objects read as dotted
// columns (Agent.Username). Phone numbers and other endpoints are never read.
import { NOT_IMPORTED, type Preset } from './types';

export const amazonConnectCtr: Preset = {
  id: 'amazon-connect-ctr',
  name: 'Amazon Connect contact records',
  description:
    'Amazon Connect contact records (CTRs) from the contact record data stream, one JSON record per line (NDJSON). ' +
    'Each contact that reached a queue becomes an interaction: the queue is the team and the agent (by user name) is ' +
    'the agent, both created when new; the time in queue is the wait and the agent interaction time is the handle ' +
    'time (talk time only: hold and after-contact work are not added). Contacts that never reached a queue (ended in ' +
    'the flow or self-served) are left out. A contact was answered when an agent was connected. Not yet: ' +
    'leaving out transfers and outbound calls, which count as contacts of their own. Customer ' +
    'phone numbers are never read.',
  fields: [
    { column: 'ContactId', becomes: 'interactions.external_id' },
    { column: 'InitiationTimestamp', becomes: 'interactions.occurred_at', note: 'UTC' },
    {
      column: 'Queue.Name',
      becomes: 'interactions.team',
      note: 'by name, created when new; a contact without a queue is left out',
    },
    {
      column: 'Channel',
      becomes: 'interactions.channel',
      note: 'VOICE → phone, CHAT → chat, EMAIL → email, TASK → other',
    },
    {
      column: 'Agent.Username',
      becomes: 'interactions.agent',
      note: "by name (the agent's user name), created in the contact's queue team when new",
    },
    {
      column: 'Queue.Duration',
      becomes: 'interactions.wait_seconds',
      note: 'seconds between entering and leaving the queue',
    },
    {
      column: 'Agent.AgentInteractionDuration',
      becomes: 'interactions.handle_seconds',
      note: 'seconds with the customer, without hold and after-contact work',
    },
    {
      column: 'Agent.ConnectedToAgentTimestamp',
      becomes: 'interactions.answered',
      note: 'present → answered, absent → abandoned in the queue',
    },
    {
      column: 'InitiationMethod',
      becomes: NOT_IMPORTED,
      note: 'transfers, callbacks and outbound calls are imported as contacts too: the mapping cannot yet leave rows out by a value',
    },
    { column: 'DisconnectTimestamp', becomes: NOT_IMPORTED },
    { column: 'Agent.CustomerHoldDuration', becomes: NOT_IMPORTED, note: 'a sum of columns cannot be mapped yet' },
    { column: 'Agent.AfterContactWorkDuration', becomes: NOT_IMPORTED, note: 'a sum of columns cannot be mapped yet' },
    { column: 'CustomerEndpoint.Address', becomes: NOT_IMPORTED, note: "the customer's phone number: never read" },
    { column: 'SystemEndpoint.Address', becomes: NOT_IMPORTED, note: 'the number dialled' },
    {
      column: 'Attributes.*',
      becomes: NOT_IMPORTED,
      note: 'your own contact attributes: map one to contact_reason or journey_stage in the wizard',
    },
  ],
  mapping: {
    version: 1,
    format: { type: 'ndjson' },
    outputs: [
      {
        kind: 'interactions',
        fields: {
          external_id: { column: 'ContactId' },
          occurred_at: { column: 'InitiationTimestamp', transform: { type: 'datetime', order: 'iso' } },
          team: { column: 'Queue.Name', lookup: { by: 'name', create: true } },
          channel: {
            column: 'Channel',
            transform: {
              type: 'map',
              values: { VOICE: 'phone', CHAT: 'chat', EMAIL: 'email', TASK: 'other' },
              otherwise: 'error',
            },
          },
          agent: { column: 'Agent.Username', lookup: { by: 'name', create: true } },
          wait_seconds: { column: 'Queue.Duration', transform: { type: 'duration', unit: 'seconds' } },
          handle_seconds: {
            column: 'Agent.AgentInteractionDuration',
            transform: { type: 'duration', unit: 'seconds' },
          },
          answered: { column: 'Agent.ConnectedToAgentTimestamp', transform: { type: 'present' } },
        },
        only_when_any: ['team'],
      },
    ],
  },
};
