// Survey comments that read like customers wrote them: praise, complaints and neutral remarks,
// composed from many templates and fragments chosen to fit what happened on the contact (long
// wait, rushed call, unresolved, the phone-menu incident, a praised agent…). Some carry
// personal data (e-mail addresses, phone numbers, card numbers) for redaction to find, and some
// carry harmless numbers (prices, times, order numbers) that redaction must leave alone.
import { CITIES, CUSTOMER_EMAIL_LOCALS, EMAIL_DOMAINS } from './names';
import type { Rng } from './random';

export type Sentiment = 'praise' | 'neutral' | 'complaint';
export type CommentArea = 'contact' | 'product' | 'digital' | 'facilities';

export interface CommentContext {
  sentiment: Sentiment;
  area: CommentArea;
  channel: string;
  /** What the contact was about, as a customer would say it ("invoice", "broadband"). */
  topic: string;
  waitSeconds: number | null;
  handleSeconds: number | null;
  resolved: boolean | null;
  /** A phone call during the week of the new phone menu. */
  incident: boolean;
  /** The agent's first name when this comment praises the agent by name. */
  praisedName: string | null;
}

const PRAISE_OPENERS = [
  'Brilliant service.',
  'Really happy with the help I got today.',
  'Great experience from start to finish.',
  'Thank you so much!',
  "Couldn't fault it.",
  'Top marks.',
  'Excellent, as always.',
  "Honestly the best support call I've had in ages.",
  'Very impressed.',
  'Lovely experience, thank you.',
  'Quick, friendly and sorted.',
  'Five stars.',
  'So much better than last time.',
  'Really good service, thanks.',
  'Genuinely impressed.',
  'Spot on.',
  'Fantastic help today.',
  'What a relief!',
  'Superb.',
  'Faultless.',
];

const NAMED_PRAISE = [
  '{name} sorted it in minutes.',
  '{name} was patient and explained everything clearly.',
  '{name} went above and beyond to fix my {topic}.',
  '{name} called me back exactly when promised.',
  '{name} really knows their stuff.',
  'Special thanks to {name}, who stayed on the line until it worked.',
  '{name} made a stressful day so much easier.',
  '{name} was friendly, calm and quick.',
  'Please pass on my thanks to {name}.',
  '{name} said "leave it with me", and actually did.',
  "Ask for {name}, they're brilliant.",
  "{name} didn't rush me at all, even though I had loads of questions.",
  '{name} fixed the {topic} problem on the first call.',
  'If I could give {name} a pay rise I would.',
  '{name} was a star.',
  '{name} explained my {topic} better than your website does.',
  'Huge thanks to {name} for sorting out the {topic}.',
  '{name} was lovely and got it done.',
];

const GENERIC_PRAISE = [
  'The agent knew exactly what to do.',
  'The person I spoke to was patient and clear.',
  'They explained the {topic} step by step.',
  'Sorted on the first call, no need to repeat myself.',
  'They followed up by email the same day.',
  "Friendly and helpful, and they didn't rush me.",
  'The adviser took the time to understand what I needed.',
  'Clear answers, no jargon.',
  'My {topic} issue is finally fixed.',
  'Everything was resolved in one go.',
  'Polite, knowledgeable and quick.',
  'They checked everything was working before ending the call.',
  'Easy to deal with and very professional.',
  'Felt like they actually cared about my {topic}.',
];

const FAST_ANSWER = [
  'Got through straight away.',
  "Didn't have to wait at all.",
  'Answered within seconds.',
  'No queue, which was a nice surprise.',
];

const DIGITAL_PRAISE = [
  'The new app made it easy to {task}.',
  'Being able to {task} online saved me a phone call.',
  'The website is much clearer since the redesign.',
  'Loved that I could {task} in the app at midnight.',
  'The app notifications kept me updated the whole way.',
  'Online chat was quick and the bot actually handed me to a human.',
  'The new app is so much faster.',
  'Managed to {task} on my phone in about a minute.',
];

const FACILITIES_PRAISE = [
  'The branch was spotless.',
  'Lovely clean waiting area at the {city} branch.',
  'The {city} store was tidy and the staff were welcoming.',
  'Plenty of seating and the branch was easy to find.',
  'Great accessible entrance at the {city} branch, thank you.',
  'The new self-service kiosk in {city} was easy to use.',
  'Nice bright space in the {city} branch, and the coffee was a lovely touch.',
];

const PRODUCT_PRAISE = [
  'The product itself is great, it just works.',
  'The new {feature} is exactly what we needed.',
  'Setup took five minutes, very intuitive.',
  'Since the last update everything is noticeably faster.',
  'The {feature} is a game changer for our team.',
  'Really like the new {feature}.',
];

const NEUTRAL = [
  'It was fine.',
  'OK in the end.',
  'Got there eventually.',
  'Average, nothing special.',
  "Took a while but it's sorted now.",
  'The service was alright but the {topic} process is confusing.',
  'Fine, though I had to explain the problem twice.',
  'Agent was polite; the policy on {topic} less so.',
  'Not bad, not great.',
  "Answered my question, but I'm not sure it's fixed yet.",
  'Reasonable, although the hold music is awful.',
  'Does the job.',
  'No complaints really.',
  'Helpful enough.',
  'Somewhat helpful.',
  'Mixed feelings about this one.',
];

const SUGGESTIONS = [
  "Would be nice to get a text when it's done.",
  'Please add live chat in the evenings.',
  'A callback option would help.',
  'Your website should explain this better.',
  'Emails could be clearer about what happens next.',
  'Let me do this in the app next time, please.',
  'An estimated wait time would be useful.',
];

const COMPLAINT_OPENERS = [
  'Very disappointing.',
  'Not good enough.',
  'Frustrating experience.',
  'Really unhappy with how this was handled.',
  'Poor.',
  'Terrible service, honestly.',
  'I expected better.',
  "This is the third time I've had to contact you.",
  'Shocking.',
  'Not impressed at all.',
  'Awful experience.',
  'Why is this so hard?',
];

const WAIT_COMPLAINTS = [
  'I waited {minutes} minutes to get through.',
  'On hold for ages ({minutes} minutes!).',
  'Far too long in the queue.',
  '{minutes} minutes of hold music before anyone answered.',
  'The wait was ridiculous.',
  'Nearly gave up waiting.',
];

const SLOW_REPLY_COMPLAINTS = [
  'Took {days} to reply to a simple email.',
  'No reply for {hours} hours.',
  'Slow to respond, again.',
];

const RUSHED = [
  'Felt rushed off the phone.',
  'The call was over before I could explain the problem.',
  'They hung up before it was fixed.',
  'The agent seemed more interested in ending the call than helping.',
  'Quick call, but nothing was actually done.',
  'Rushed and dismissive.',
];

const UNRESOLVED = [
  'Still not fixed.',
  'Nobody actually solved the problem.',
  "I'll have to call again about my {topic}.",
  'Promised a callback that never came.',
  'Still waiting for my {topic} to be sorted.',
  'Problem still there after all that.',
];

const INCIDENT = [
  'The new phone menu is a maze.',
  'Your new automated menu sent me round in circles.',
  'Pressed 2 for billing and ended up in sales, twice.',
  'Whoever designed the new phone options has never used them.',
  'The menu kept saying "I didn\'t catch that", so I gave up and pressed 0.',
  'What happened to the phone menu? None of the options fit.',
];

const OTHER_COMPLAINTS = [
  'I was transferred three times.',
  'Passed from one department to another.',
  'Nobody seemed to know who should deal with it.',
  'Had to repeat my details to every person.',
  'The agent read from a script and did not listen.',
];

const CHURN_THREATS = [
  'Thinking about switching provider.',
  "If this happens again I'm leaving.",
  'Seriously considering cancelling.',
];

const AREA_COMPLAINTS: Record<Exclude<CommentArea, 'contact'>, string[]> = {
  digital: [
    'The app keeps logging me out.',
    "Couldn't find where to {task} on the website.",
    'The app crashed halfway through.',
    'The website kept timing out when I tried to {task}.',
    'Two-step login codes arrive ten minutes late.',
  ],
  facilities: [
    'The branch was closed when the website said it was open.',
    'No parking at the {city} branch.',
    'The {city} branch was filthy and the toilets were out of order.',
    'Far too cold in the waiting area.',
  ],
  product: [
    'The latest update broke the {feature}.',
    'The {feature} is confusing and slow.',
    'Setup instructions are missing a step.',
  ],
};

const AREA_NEUTRAL: Record<Exclude<CommentArea, 'contact'>, string[]> = {
  digital: ['The app is OK but a bit slow.', 'Website works, just hard to find things.'],
  facilities: ['Branch was fine, a bit busy.', 'The {city} branch is OK, parking is tricky.'],
  product: ['Does what it says.', 'The {feature} is fine, not sure I need it.'],
};

const CLOSERS = ['Thanks again.', 'Cheers!', 'Keep it up.', 'Thank you.', 'Much appreciated.', 'Well done.'];

const LETTERS: Record<Sentiment, string[]> = {
  praise: [
    'Hi,\nI just wanted to say "thank you". {body}',
    'Hello team,\n{body}\nAs my mum would say, "that\'s proper service".',
  ],
  neutral: ['Hi,\nThe agent said "it should be fixed by Friday", so we\'ll see.\n{body}'],
  complaint: [
    'To whom it may concern,\nI was told "someone will call you back" three times. {body}',
    'Hello,\n{body}\nYour website says "we\'re here to help", really?',
  ],
};

const TASKS = [
  'update my address',
  'change my direct debit',
  'download my invoices',
  'track my delivery',
  'reset my password',
  'book an engineer',
  'upgrade my plan',
  'report a fault',
];

const FEATURES = ['usage dashboard', 'auto top-up', 'shared calendar', 'bulk export', 'two-step login', 'offline mode'];

const HARMLESS = [
  'I paid £{price} and got the refund the next day.',
  'The engineer came at {time} as booked.',
  'Re order {order}: all fine now.',
  'My bill went up to £{price} without warning.',
  'Been a customer for {years} years.',
  'Ticket {ticket} has all the details.',
  'Called at {time} and it was sorted by {time2}.',
  'Order {order} arrived on time.',
  'The {price} charge has been taken off.',
];

const PERSONAL = [
  'You can reach me at {email}.',
  'Please call me back on {phone}.',
  'My card {card} was charged twice.',
  'Email me at {email} if you need anything else.',
  'My mobile is {phone}, text is fine.',
  'Card number {card} still shows the old payment.',
  'Best number is {phone} after 5pm.',
];

const PRICES = ['49.99', '12.50', '129.00', '7.99', '19.99', '24', '89.95', '249.00', '4.50'];
const TIMES = ['10:30', '14:15', '9:00', '16:45', '11:20', '8:30'];
const CARDS = [
  '4111 1111 1111 1111',
  '5555 5555 5555 4444',
  '4012-8888-8888-1881',
  '378282246310005',
  '4000 0566 5566 5556',
];

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

function phoneNumber(rng: Rng): string {
  switch (rng.int(0, 5)) {
    case 0:
      return `+44 20 7946 0${digits(rng, 3)}`;
    case 1:
      return `(555) ${digits(rng, 3)}-${digits(rng, 4)}`;
    case 2:
      return `07700 900${digits(rng, 3)}`;
    case 3:
      return `+1 415 555 01${digits(rng, 2)}`;
    case 4:
      return `+61 491 570 ${digits(rng, 3)}`;
    default:
      return `+353 1 555 ${digits(rng, 4)}`;
  }
}

function fill(rng: Rng, template: string, ctx: CommentContext): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'name':
        return ctx.praisedName ?? 'the agent';
      case 'topic':
        return ctx.topic;
      case 'minutes':
        return String(Math.max(5, Math.round((ctx.waitSeconds ?? 600) / 60)));
      case 'hours':
        return String(Math.max(2, Math.round((ctx.waitSeconds ?? 7200) / 3600)));
      case 'days': {
        const days = Math.max(1, Math.round((ctx.waitSeconds ?? 86400) / 86400));
        return days === 1 ? 'a whole day' : `${days} days`;
      }
      case 'task':
        return rng.pick(TASKS);
      case 'feature':
        return rng.pick(FEATURES);
      case 'city':
        return rng.pick(CITIES);
      case 'price':
        return rng.pick(PRICES);
      case 'time':
        return rng.pick(TIMES);
      case 'time2':
        return rng.pick(['11:00', '15:30', '12:10', '17:05']);
      case 'order':
        return String(rng.int(10000, 99999));
      case 'ticket':
        return `#${rng.int(1000, 9999)}`;
      case 'years':
        return String(rng.int(2, 15));
      case 'email':
        return `${rng.pick(CUSTOMER_EMAIL_LOCALS)}@${rng.pick(EMAIL_DOMAINS)}`;
      case 'phone':
        return phoneNumber(rng);
      case 'card':
        return rng.pick(CARDS);
      default:
        return `{${key}}`;
    }
  });
}

function praiseParts(rng: Rng, ctx: CommentContext): string[] {
  const parts: string[] = [];
  if (ctx.area === 'digital') return [rng.chance(0.4) ? rng.pick(PRAISE_OPENERS) : '', rng.pick(DIGITAL_PRAISE)];
  if (ctx.area === 'facilities') return [rng.chance(0.3) ? rng.pick(PRAISE_OPENERS) : '', rng.pick(FACILITIES_PRAISE)];
  if (ctx.area === 'product') return [rng.chance(0.3) ? rng.pick(PRAISE_OPENERS) : '', rng.pick(PRODUCT_PRAISE)];
  if (rng.chance(0.6)) parts.push(rng.pick(PRAISE_OPENERS));
  if (ctx.praisedName) parts.push(rng.pick(NAMED_PRAISE));
  else if (rng.chance(0.7)) parts.push(rng.pick(GENERIC_PRAISE));
  if (
    ctx.waitSeconds !== null &&
    ctx.waitSeconds < 30 &&
    (ctx.channel === 'phone' || ctx.channel === 'chat') &&
    rng.chance(0.3)
  )
    parts.push(rng.pick(FAST_ANSWER));
  if (rng.chance(0.06)) parts.push(rng.pick(DIGITAL_PRAISE));
  if (parts.length === 0) parts.push(rng.pick(PRAISE_OPENERS));
  if (rng.chance(0.2)) parts.push(rng.pick(CLOSERS));
  return parts;
}

function complaintParts(rng: Rng, ctx: CommentContext): string[] {
  const parts: string[] = [];
  if (ctx.area !== 'contact')
    return [rng.chance(0.4) ? rng.pick(COMPLAINT_OPENERS) : '', rng.pick(AREA_COMPLAINTS[ctx.area])];
  if (rng.chance(0.5)) parts.push(rng.pick(COMPLAINT_OPENERS));
  const slowChannel = ctx.channel === 'email' || ctx.channel === 'social';
  if (ctx.incident && rng.chance(0.75)) parts.push(rng.pick(INCIDENT));
  if (ctx.waitSeconds !== null) {
    if (!slowChannel && ctx.waitSeconds >= 180 && rng.chance(0.75)) parts.push(rng.pick(WAIT_COMPLAINTS));
    else if (slowChannel && ctx.waitSeconds >= 8 * 3600 && rng.chance(0.7)) parts.push(rng.pick(SLOW_REPLY_COMPLAINTS));
  }
  if (ctx.handleSeconds !== null && ctx.handleSeconds < 120 && rng.chance(0.7)) parts.push(rng.pick(RUSHED));
  if (ctx.resolved === false && rng.chance(0.7)) parts.push(rng.pick(UNRESOLVED));
  if (parts.length < 2 && rng.chance(0.5)) parts.push(rng.pick(OTHER_COMPLAINTS));
  if (parts.length === 0) parts.push(rng.pick(COMPLAINT_OPENERS));
  if (rng.chance(0.12)) parts.push(rng.pick(CHURN_THREATS));
  if (rng.chance(0.12)) parts.push(rng.pick(SUGGESTIONS));
  return parts;
}

function neutralParts(rng: Rng, ctx: CommentContext): string[] {
  if (ctx.area !== 'contact') return [rng.pick(AREA_NEUTRAL[ctx.area]), rng.chance(0.3) ? rng.pick(SUGGESTIONS) : ''];
  const parts = [rng.pick(NEUTRAL)];
  if (ctx.waitSeconds !== null && ctx.channel === 'phone' && ctx.waitSeconds >= 180 && rng.chance(0.4))
    parts.push(rng.pick(WAIT_COMPLAINTS));
  if (ctx.incident && rng.chance(0.4)) parts.push(rng.pick(INCIDENT));
  if (rng.chance(0.35)) parts.push(rng.pick(SUGGESTIONS));
  return parts;
}

/** One comment for a survey. */
export function composeComment(rng: Rng, ctx: CommentContext): string {
  const parts =
    ctx.sentiment === 'praise'
      ? praiseParts(rng, ctx)
      : ctx.sentiment === 'complaint'
        ? complaintParts(rng, ctx)
        : neutralParts(rng, ctx);
  if (rng.chance(0.09)) parts.push(rng.pick(HARMLESS));
  if (rng.chance(0.04)) parts.push(rng.pick(PERSONAL));
  let body = parts
    .filter((p) => p.length > 0)
    .map((p) => fill(rng, p, ctx))
    .join(rng.chance(0.04) ? '\n' : ' ');
  if (ctx.area === 'contact' && rng.chance(0.025))
    body = fill(rng, rng.pick(LETTERS[ctx.sentiment]), ctx).replace('{body}', body);
  // How people actually type: now and then all lower case, no final stop, extra exclamation.
  const style = rng.float();
  if (style < 0.05) body = body.toLowerCase();
  else if (style < 0.09) body = body.replace(/[.!]$/, '');
  else if (style < 0.11 && ctx.sentiment !== 'neutral') body = body.replace(/[.!]$/, '!!');
  return body;
}
