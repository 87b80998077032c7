// Ready-made mappings for exports many organisations already have (a help desk's ticket export,
// a contact centre's contact records, a survey tool's responses, a plain call log): the wizard
// starts from one instead of a blank mapping, and the docs page lists what each reads.
import { amazonConnectCtr } from './amazon-connect-ctr';
import { callLogCsat } from './call-log-csat';
import { surveyResponses } from './survey-responses';
import type { Preset } from './types';
import { zendeskTickets } from './zendesk-tickets';

export { NOT_IMPORTED, type Preset, type PresetField } from './types';

export const PRESETS: Preset[] = [zendeskTickets, amazonConnectCtr, surveyResponses, callLogCsat];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
