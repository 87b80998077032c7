// The contract's fields per kind (api/ingest/kinds.ts), with what a value looks like.
import { CHANNELS, TEAM_KINDS, type Kind } from '../../../api/shared/constants';

export const KIND_LABELS: Record<Kind, string> = {
  teams: 'Teams',
  agents: 'Agents',
  customers: 'Customers',
  interactions: 'Interactions (contacts)',
  surveys: 'Surveys',
  referrals: 'Referrals',
};

export type FieldType = 'id' | 'text' | 'timestamp' | 'boolean' | 'seconds' | 'score' | 'date' | 'money' | 'choice';

export interface ContractField {
  name: string;
  required: boolean;
  type: FieldType;
  /** For references: the kind named (team and agent may be looked up by name). */
  ref?: Kind;
  /** For a choice: the values the contract knows. */
  values?: readonly string[];
  hint: string;
}

/** The contract's closed lists, the API's own. */
export { TEAM_KINDS };
export const CHANNEL_VALUES = CHANNELS;

const f = (name: string, type: FieldType, hint: string, extra: Partial<ContractField> = {}): ContractField => ({
  name,
  type,
  hint,
  required: false,
  ...extra,
});
const req = { required: true };

export const CONTRACT: Record<Kind, ContractField[]> = {
  teams: [
    f('external_id', 'id', 'the team’s id', req),
    f('name', 'text', 'its name', req),
    f('kind', 'choice', 'support, sales…', { values: TEAM_KINDS }),
  ],
  agents: [
    f('external_id', 'id', 'the agent’s id', req),
    f('name', 'text', 'their name', req),
    f('team', 'id', 'their team', { ...req, ref: 'teams' }),
    f('hired_on', 'date', 'a date'),
    f('left_on', 'date', 'a date'),
  ],
  customers: [
    f('external_id', 'id', 'the customer’s id', req),
    f('segment', 'text', 'free text'),
    f('started_on', 'date', 'a date'),
    f('churned_on', 'date', 'a date'),
    f('monthly_value', 'money', 'a number ≥ 0'),
  ],
  interactions: [
    f('external_id', 'id', 'the contact’s id', req),
    f('occurred_at', 'timestamp', 'when it happened', req),
    f('team', 'id', 'the team that took it', { ...req, ref: 'teams' }),
    f('channel', 'choice', 'phone, chat…', { values: CHANNEL_VALUES }),
    f('agent', 'id', 'who took it', { ref: 'agents' }),
    f('customer', 'id', 'the customer’s id', { ref: 'customers' }),
    f('journey_stage', 'text', 'free text'),
    f('contact_reason', 'text', 'free text'),
    f('answered', 'boolean', 'yes or no'),
    f('wait_seconds', 'seconds', 'seconds waited'),
    f('handle_seconds', 'seconds', 'seconds handled'),
    f('resolved', 'boolean', 'yes or no'),
  ],
  surveys: [
    f('external_id', 'id', 'the response’s id', req),
    f('responded_at', 'timestamp', 'when answered', req),
    f('interaction', 'id', 'the contact it rates', { ref: 'interactions' }),
    f('customer', 'id', 'the customer’s id', { ref: 'customers' }),
    f('agent', 'id', 'the agent rated', { ref: 'agents' }),
    f('team', 'id', 'the team rated', { ref: 'teams' }),
    f('csat', 'score', '1–5'),
    f('nps', 'score', '0–10'),
    f('effort', 'score', '1–7'),
    f('comment', 'text', 'free text'),
    f('may_quote', 'boolean', 'yes or no'),
    f('customer_name', 'text', 'only to hide it in quotes'),
  ],
  referrals: [
    f('external_id', 'id', 'the referral’s id', req),
    f('referred_at', 'timestamp', 'when', req),
    f('customer', 'id', 'the customer’s id', { ...req, ref: 'customers' }),
    f('converted', 'boolean', 'yes or no'),
  ],
};

/** Team and agent references may name the record instead of giving its id. */
export const canLookUp = (field: ContractField) => field.ref === 'teams' || field.ref === 'agents';
