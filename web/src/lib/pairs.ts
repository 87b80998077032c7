// The five pairs from the product brief: every operational metric beside the
// experiential metric that tells what the customer felt.

export interface PairSide {
  key: string;
  label: string;
}

export interface Pair {
  id: 'waiting' | 'time_on_call' | 'resolution' | 'loyalty' | 'people';
  name: string;
  question: string;
  operational: PairSide;
  experiential: PairSide;
}

export const PAIRS: readonly Pair[] = [
  {
    id: 'waiting',
    name: 'Waiting',
    question: 'Does waiting cost satisfaction?',
    operational: { key: 'wait_avg', label: 'Average wait' },
    experiential: { key: 'csat', label: 'CSAT' },
  },
  {
    id: 'time_on_call',
    name: 'Time on call',
    question: 'Is a quick call a good call?',
    operational: { key: 'handle_avg', label: 'Average handle time' },
    experiential: { key: 'csat', label: 'CSAT' },
  },
  {
    id: 'resolution',
    name: 'Resolution',
    question: 'Does fixing it first time show?',
    operational: { key: 'resolution_rate', label: 'Resolution rate' },
    experiential: { key: 'csat', label: 'CSAT' },
  },
  {
    id: 'loyalty',
    name: 'Loyalty',
    question: 'Are we keeping and growing customers?',
    operational: { key: 'churn_rate', label: 'Churn rate' },
    experiential: { key: 'referral_rate', label: 'Referral rate' },
  },
  {
    id: 'people',
    name: 'People',
    question: 'Do stable teams serve better?',
    operational: { key: 'employee_retention', label: 'Employee retention' },
    experiential: { key: 'csat', label: 'CSAT' },
  },
];
