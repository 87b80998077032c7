// The contract's channels and how people read them: one list for every view (weekly filters,
// coaching, quotes, the TV), so a channel added to the contract shows its name everywhere.
export { CHANNELS, type Channel } from '../../../api/shared/constants';

export const CHANNEL_LABELS: Record<string, string> = {
  phone: 'Phone',
  chat: 'Chat',
  email: 'E-mail',
  social: 'Social',
  in_person: 'In person',
  other: 'Other',
  web: 'Web',
  app: 'App',
  sms: 'SMS',
  messaging: 'Messaging',
  video: 'Video',
  self_service: 'Self-service',
};

/** A channel's name as shown; an unknown value as it is. */
export const channelLabel = (c: string) => CHANNEL_LABELS[c] ?? c;
