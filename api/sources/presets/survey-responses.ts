// A survey tool's response export: one row per response, linked to the interaction it asked
// about by the id the survey link carried. Its CSV has three header rows (question ids, question
// texts, import ids); the ids are the header and the other two are skipped.
import { NOT_IMPORTED, type Preset } from './types';

export const surveyResponses: Preset = {
  id: 'survey-responses',
  name: 'Survey responses (Qualtrics-style CSV)',
  description:
    "A Qualtrics response export as CSV with 'Use numeric values' (the first header row holds the question ids, " +
    'the two rows under it are skipped). Each response with any answer becomes a survey: Q1 is satisfaction on 1–5 ' +
    '(1 very dissatisfied … 5 very satisfied), Q2 the 0–10 likelihood to recommend (NPS), Q3 the comment and Q4 the ' +
    'permission to quote it (1 yes, 2 no). ExternalReference names the interaction the survey asked about (pass the ' +
    'ticket or call id in the survey link); those interactions must be imported first. Times are in the zone the ' +
    "export was made in (its third header row says which): set the mapping's zone when it is not the organisation's. " +
    'If your questions have other ids or scales, change them in the wizard. Previews and test responses are imported ' +
    'like any other: leave them out of the export.',
  fields: [
    { column: 'ResponseId', becomes: 'surveys.external_id' },
    { column: 'RecordedDate', becomes: 'surveys.responded_at', note: 'when the response was recorded' },
    {
      column: 'ExternalReference',
      becomes: 'surveys.interaction',
      note: 'the external id of an interaction already imported; its team, agent and customer carry over',
    },
    { column: 'Q1', becomes: 'surveys.csat', note: '1–5; any other value is a problem' },
    { column: 'Q2', becomes: 'surveys.nps', note: '0–10' },
    { column: 'Q3', becomes: 'surveys.comment' },
    { column: 'Q4', becomes: 'surveys.may_quote', note: '1 or Yes → may quote; 2, 0 or No → not' },
    { column: 'Q2_NPS_GROUP', becomes: NOT_IMPORTED, note: 'promoter, passive and detractor come from the score' },
    { column: 'Finished', becomes: NOT_IMPORTED, note: 'partial responses count with the answers they have' },
    {
      column: 'Status',
      becomes: NOT_IMPORTED,
      note: 'survey previews and tests (status 1 and 2) are not told apart yet',
    },
    { column: 'RecipientEmail', becomes: NOT_IMPORTED, note: 'personal data' },
    { column: 'RecipientFirstName', becomes: NOT_IMPORTED, note: 'personal data' },
    { column: 'RecipientLastName', becomes: NOT_IMPORTED, note: 'personal data' },
    { column: 'IPAddress', becomes: NOT_IMPORTED, note: 'personal data' },
    { column: 'LocationLatitude', becomes: NOT_IMPORTED, note: 'personal data' },
    { column: 'LocationLongitude', becomes: NOT_IMPORTED, note: 'personal data' },
  ],
  mapping: {
    version: 1,
    format: { type: 'csv', delimiter: ',', encoding: 'utf-8', skip_rows: 2 },
    outputs: [
      {
        kind: 'surveys',
        fields: {
          external_id: { column: 'ResponseId' },
          responded_at: { column: 'RecordedDate', transform: { type: 'datetime', order: 'iso' } },
          interaction: { column: 'ExternalReference' },
          csat: { column: 'Q1', transform: { type: 'scale', from: [1, 5], to: [1, 5], method: 'linear' } },
          nps: { column: 'Q2', transform: { type: 'scale', from: [0, 10], to: [0, 10], method: 'linear' } },
          comment: { column: 'Q3' },
          may_quote: { column: 'Q4', transform: { type: 'boolean', true: ['1', 'yes'], false: ['2', '0', 'no'] } },
        },
        only_when_any: ['csat', 'nps', 'comment'],
      },
    ],
  },
};
