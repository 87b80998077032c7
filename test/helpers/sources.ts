// The call export the sources tests share: a contact-centre platform's own columns (agents by
// first name, day-first dates with the time apart, Y/N, talk time as h:mm:ss, a 1–5 rating on
// rated calls) and the mapping a user saves for it (interactions, and surveys for rated calls).
export const CALL_EXPORT_COLUMNS = [
  'Call Id',
  'Agent',
  'Date',
  'Time',
  'Topic',
  'Answered (Y/N)',
  'Resolved',
  'Speed of answer in seconds',
  'AvgTalkDuration',
  'Satisfaction rating',
];

/** As JSON would carry it (defaults not filled in). */
export const CALL_EXPORT_MAPPING = {
  version: 1,
  format: { type: 'csv' },
  outputs: [
    {
      kind: 'interactions',
      fields: {
        external_id: { column: 'Call Id' },
        occurred_at: { columns: ['Date', 'Time'], transform: { type: 'datetime', order: 'dmy' } },
        team: { constant: 'Contact centre', lookup: { by: 'name', create: true } },
        agent: { column: 'Agent', lookup: { by: 'name', create: true } },
        contact_reason: { column: 'Topic' },
        answered: { column: 'Answered (Y/N)', transform: { type: 'boolean', true: ['Y'], false: ['N'] } },
        resolved: { column: 'Resolved', transform: { type: 'boolean', true: ['Y'], false: ['N'] } },
        wait_seconds: { column: 'Speed of answer in seconds', transform: { type: 'duration', unit: 'seconds' } },
        handle_seconds: { column: 'AvgTalkDuration', transform: { type: 'duration', unit: 'h:mm:ss' } },
      },
    },
    {
      kind: 'surveys',
      only_when_any: ['csat'],
      fields: {
        external_id: { template: '{Call Id}-survey' },
        responded_at: { columns: ['Date', 'Time'], transform: { type: 'datetime', order: 'dmy' } },
        interaction: { column: 'Call Id' },
        csat: { column: 'Satisfaction rating' },
      },
    },
  ],
};
