import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REDACTION_MARKERS,
  containsPersonalData,
  originalSpan,
  pieces,
  redact,
  type RedactionKind,
} from '../../api/quotes/redact';

// ---------------------------------------------------------------------------------------------
// The table: [input, exact expected output]
// ---------------------------------------------------------------------------------------------

const REDACTED: ReadonlyArray<readonly [string, string]> = [
  // e-mail
  ['Email me at jane.doe@example.com thanks', 'Email me at [email] thanks'],
  ['JANE.DOE+returns@Mail.Shop.Example.CO.UK.', '[email].'],
  ['(contact: j_smith-99@sub.example.org)', '(contact: [email])'],
  ['write to jane (at) example (dot) com', 'write to [email]'],
  ['jane at example dot com works', '[email] works'],
  ['jane dot doe at gmail dot co dot uk', '[email]'],
  ['mail jane[at]example.com or <bob@example.net>', 'mail [email] or <[email]>'],
  // phone
  ['Call me on +44 20 7946 0958 please', 'Call me on [phone] please'],
  ['+1 (555) 123-4567', '[phone]'],
  ['my number is (555) 123-4567.', 'my number is [phone].'],
  ['555-123-4567 or 555.123.4567', '[phone] or [phone]'],
  ['Mobile 07700 900123, ring after 6', 'Mobile [phone], ring after 6'],
  ['Tel. +33 1 23 45 67 89', 'Tel. [phone]'],
  ['Germany: 0049 30 1234567', 'Germany: [phone]'],
  ['+91-98765-43210 is my WhatsApp', '[phone] is my WhatsApp'],
  ['US: 1-555-123-4567', 'US: [phone]'],
  ['Ring 07700900123 anytime', 'Ring [phone] anytime'],
  ['London (020) 7946 0958 or +44 (0)20 7946 0958', 'London [phone] or [phone]'],
  ['order 58213 then 07700 900123', 'order 58213 then [phone]'],
  // cards
  ['card 4111 1111 1111 1111 was charged twice', 'card [card] was charged twice'],
  ['4111-1111-1111-1111', '[card]'],
  ['number 4111111111111111.', 'number [card].'],
  ['Amex 3782 822463 10005 declined', 'Amex [card] declined'],
  ['1234567890123 (13 digits, not Luhn-valid)', '[card] (13 digits, not Luhn-valid)'],
  // IBAN
  ['refund to GB82 WEST 1234 5698 7654 32 please', 'refund to [iban] please'],
  ['IBAN DE89370400440532013000.', 'IBAN [iban].'],
  ['NL91 ABNA 0417 1643 00 thanks', '[iban] thanks'],
  // URLs with a query string
  ['track it: https://shop.example.com/track?order=123&email=x', 'track it: [link]'],
  ['see www.example.com/reset?token=abc123, it failed', 'see [link], it failed'],
  ['(https://example.com/a?b=1)', '([link])'],
  ['shop.example.com/track?order=1 is broken', '[link] is broken'],
  // several at once, glued to words or punctuation
  ['Jane here: jane@example.com / 07700 900123', 'Jane here: [email] / [phone]'],
  ['tel:07700900123, or uk+44 7700 900123', 'tel:[phone], or uk[phone]'],
  ['card 4111111111111111. 12 days later', 'card [card]. 12 days later'],
];

const NOT_REDACTED: readonly string[] = [
  'Paid £49.99, then $1,299.00 and € 15 — or 1.299,00 € in Germany',
  'Delivered 2024-02-13, not 13/02/2024 or Feb 13, 2024 as promised',
  'Arrived at 10:30, then 10:30am again, left 14:05:59',
  'Waited 45 minutes, then 2 hours on hold',
  'order 58213, ticket #1234567, ref 12345678',
  'Customer since 2019, 99.5% happy, 100% again',
  '3 x 250ml bottles and 2x 500 g',
  'Version v2.3.1 of the app crashed',
  'Steps 1 2 3 were fine',
  'Store at SW1A 1AA and one in 90210',
  'Thanks to Sarah, the agent!',
  'https://example.com/help was useful',
  'Is it on https://example.com/faq?',
  'bought it at amazon.com, arrived at home',
  '2024-02-13 - 2024-02-20 was the outage week',
  'pi is 3.14159265358979 apparently',
  'they quoted 12 345 678 901 dong',
  'Rated 10/10, 5 stars, room 101, desk 12-14',
  'At 9am we had 1,234,567 views',
  'Calls on 01/02 and 03/04 at 10.30, ok',
  'Total $1234567.89 is wrong, IP 192.168.100.200',
  'Q3 2024 and FY2024-25 plans, SKU AB-1234-XY',
  'meet me at 10 or at 11, the dot on the map',
  'parcel 1Z999AA10123456784 and serial SN0123456789 arrived',
];

describe('redact: the table', () => {
  it('has at least 40 strings, at least 15 of them not redacted', () => {
    expect(REDACTED.length + NOT_REDACTED.length).toBeGreaterThanOrEqual(40);
    expect(NOT_REDACTED.length).toBeGreaterThanOrEqual(15);
  });

  it.each(REDACTED)('%j', (input, expected) => {
    expect(redact(input).text).toBe(expected);
    expect(containsPersonalData(input)).toBe(true);
  });

  it.each(NOT_REDACTED)('leaves %j as is', (input) => {
    expect(redact(input)).toEqual({ text: input, redactions: [] });
    expect(containsPersonalData(input)).toBe(false);
  });
});

describe('redact: kinds and offsets', () => {
  it('reports each kind with offsets into the original text', () => {
    const input =
      'A jane@x.com B +44 20 7946 0958 C 4111 1111 1111 1111 D DE89370400440532013000 E https://x.com/?q=1 F';
    const { text, redactions } = redact(input);
    expect(text).toBe('A [email] B [phone] C [card] D [iban] E [link] F');
    expect(redactions.map((r) => [r.kind, input.slice(r.start, r.end)])).toEqual([
      ['email', 'jane@x.com'],
      ['phone', '+44 20 7946 0958'],
      ['card', '4111 1111 1111 1111'],
      ['iban', 'DE89370400440532013000'],
      ['url', 'https://x.com/?q=1'],
    ]);
  });

  it('rebuilds the output from the original text and the redactions', () => {
    for (const [input] of REDACTED) {
      const { text, redactions } = redact(input, { names: ['Jane Doe'] });
      let rebuilt = '';
      let at = 0;
      for (const r of redactions) {
        expect(r.start).toBeGreaterThanOrEqual(at);
        expect(r.end).toBeGreaterThan(r.start);
        expect(r.end).toBeLessThanOrEqual(input.length);
        rebuilt += input.slice(at, r.start) + REDACTION_MARKERS[r.kind];
        at = r.end;
      }
      expect(rebuilt + input.slice(at)).toBe(text);
    }
  });

  it('exports a marker per kind', () => {
    expect(REDACTION_MARKERS).toEqual({
      email: '[email]',
      phone: '[phone]',
      card: '[card]',
      iban: '[iban]',
      url: '[link]',
      name: '[name]',
      hidden: '[hidden]',
    } satisfies Record<RedactionKind, string>);
  });

  it('handles empty text', () => {
    expect(redact('')).toEqual({ text: '', redactions: [] });
    expect(containsPersonalData('')).toBe(false);
  });
});

describe('redact: pieces of the shown text', () => {
  const input = 'Mail jane.doe@example.com now, Jane';
  const { text, redactions } = redact(input, { names: ['Jane Doe'] });
  const parts = pieces(input, redactions);

  it('cuts the shown text into plain stretches and markers, with offsets into both texts', () => {
    expect(text).toBe('Mail [email] now, [name]');
    expect(parts).toEqual([
      { start: 0, end: 5, from: 0, to: 5, kind: null },
      { start: 5, end: 12, from: 5, to: 25, kind: 'email' },
      { start: 12, end: 18, from: 25, to: 31, kind: null },
      { start: 18, end: 24, from: 31, to: 35, kind: 'name' },
    ]);
    for (const p of parts) if (p.kind === null) expect(text.slice(p.start, p.end)).toBe(input.slice(p.from, p.to));
  });

  it('maps a range of the shown text to the original; touching a marker takes all it hides', () => {
    expect(originalSpan(parts, 0, 4)).toEqual([0, 4]); // "Mail"
    expect(originalSpan(parts, 13, 16)).toEqual([26, 29]); // "now"
    expect(originalSpan(parts, 5, 12)).toEqual([5, 25]); // "[email]"
    expect(originalSpan(parts, 7, 9)).toEqual([5, 25]); // inside "[email]"
    expect(originalSpan(parts, 0, 16)).toEqual([0, 29]); // "Mail [email] now"
    expect(originalSpan(parts, 13, 20)).toEqual([26, 35]); // "now, [n"
  });

  it('gives a marker the same width whatever the length of what it hides', () => {
    for (const address of ['a@b.io', 'a.much.longer.address+tag@mail.example.co.uk']) {
      const r = redact(`Mail ${address} now`);
      expect(r.text).toBe('Mail [email] now');
      expect(pieces(`Mail ${address} now`, r.redactions).map((p) => [p.start, p.end, p.kind])).toEqual([
        [0, 5, null],
        [5, 12, 'email'],
        [12, 16, null],
      ]);
    }
  });
});

describe('redact: names', () => {
  const names = ['Jane Doe'];

  it('redacts the full name, each part, in any case, whole words only', () => {
    const input = "Jane Doe was great, jane too, DOE and Doe; Janet, Mary-Jane and Janedoe not; Jane's call";
    expect(redact(input, { names }).text).toBe(
      "[name] was great, [name] too, [name] and [name]; Janet, Mary-Jane and Janedoe not; [name]'s call",
    );
  });

  it('redacts a full name across a line break as one span', () => {
    const { text, redactions } = redact('thanks JANE\nDOE!', { names });
    expect(text).toBe('thanks [name]!');
    expect(redactions).toEqual([{ kind: 'name', start: 7, end: 15 }]);
  });

  it("never redacts an agent's name, only options.names", () => {
    expect(redact('Sarah and Tom helped Jane', { names }).text).toBe('Sarah and Tom helped [name]');
    expect(redact('Sarah and Tom helped Jane').text).toBe('Sarah and Tom helped Jane');
    expect(containsPersonalData('Sarah and Tom helped Jane')).toBe(false);
  });

  it('ignores names shorter than 2 characters, particles and titles alone', () => {
    expect(redact('J was here, a J Doe', { names: ['J', 'J Doe'] }).text).toBe('J was here, a [name]');
    expect(redact('Ludwig van Beethoven; the van came', { names: ['Ludwig van Beethoven'] }).text).toBe(
      '[name]; the van came',
    );
    expect(redact('Dr Who and the dr', { names: ['Dr Smith'] }).text).toBe('Dr Who and the dr');
    expect(redact('text', { names: ['', ' ', 'x'] }).text).toBe('text');
  });

  it('escapes regex characters and matches both apostrophes', () => {
    expect(redact("Seán O’Brien and o'brien (O.K.)", { names: ["Seán O'Brien"] }).text).toBe(
      '[name] and [name] (O.K.)',
    );
    expect(redact('a.b and aXb', { names: ['a.b'] }).text).toBe('[name] and aXb');
  });

  it('redacts several names', () => {
    expect(redact('Jane and John Smith, jane and smith', { names: ['Jane Doe', 'John Smith'] }).text).toBe(
      '[name] and [name], [name] and [name]',
    );
  });

  it('redacts a name that is an everyday word only when capitalised', () => {
    expect(
      redact('Will Price said: I will come back, the price was fair. Thanks Will!', { names: ['Will Price'] }).text,
    ).toBe('[name] said: I will come back, the price was fair. Thanks [name]!');
  });
});

describe('redact: hidden spans', () => {
  it('replaces a curator span by [hidden] without changing the other words', () => {
    const input = 'The parcel was late and the driver was rude';
    const { text, redactions } = redact(input, { hiddenSpans: [[24, 34]] });
    expect(text).toBe('The parcel was late and [hidden] was rude');
    expect(redactions).toEqual([{ kind: 'hidden', start: 24, end: 34 }]);
  });

  it('clamps spans to the text and ignores empty, reversed or non-finite spans', () => {
    expect(redact('Hello world', { hiddenSpans: [[-5, 4]] }).text).toBe('[hidden]o world');
    expect(redact('Hello world', { hiddenSpans: [[6, 100]] }).text).toBe('Hello [hidden]');
    expect(redact('Hello world', { hiddenSpans: [[-10, 1e9]] })).toEqual({
      text: '[hidden]',
      redactions: [{ kind: 'hidden', start: 0, end: 11 }],
    });
    expect(
      redact('Hello world', {
        hiddenSpans: [
          [5, 5],
          [8, 3],
          [Number.NaN, 4],
          [2, Infinity],
          [20, 30],
        ],
      }).text,
    ).toBe('Hello world');
  });

  it('merges overlapping and touching hidden spans', () => {
    expect(
      redact('Hello brave new world', {
        hiddenSpans: [
          [6, 12],
          [10, 15],
        ],
      }),
    ).toEqual({
      text: 'Hello [hidden] world',
      redactions: [{ kind: 'hidden', start: 6, end: 15 }],
    });
    expect(
      redact('Hello brave new world', {
        hiddenSpans: [
          [6, 11],
          [11, 15],
        ],
      }).redactions,
    ).toEqual([{ kind: 'hidden', start: 6, end: 15 }]);
  });

  it('merges with an e-mail inside: the wider span wins', () => {
    const input = 'Write to jane@example.com today';
    expect(redact(input, { hiddenSpans: [[0, 25]] })).toEqual({
      text: '[hidden] today',
      redactions: [{ kind: 'hidden', start: 0, end: 25 }],
    });
    // a hidden span inside the e-mail: the e-mail is wider
    expect(redact(input, { hiddenSpans: [[9, 13]] })).toEqual({
      text: 'Write to [email] today',
      redactions: [{ kind: 'email', start: 9, end: 25 }],
    });
    // partly overlapping: one merged span covering both, of the wider kind
    expect(redact(input, { hiddenSpans: [[20, 31]] })).toEqual({
      text: 'Write to [email]',
      redactions: [{ kind: 'email', start: 9, end: 31 }],
    });
  });
});

describe('redact: overlaps', () => {
  it('merges an e-mail and a card inside a URL into one [link]', () => {
    const input = 'go https://x.example.com/p?email=jane@example.com&card=4111111111111111 now';
    const { text, redactions } = redact(input);
    expect(text).toBe('go [link] now');
    expect(redactions).toEqual([{ kind: 'url', start: 3, end: input.length - 4 }]);
  });

  it('a name inside an e-mail is part of the e-mail', () => {
    expect(redact('jane.doe@example.com, Jane', { names: ['Jane Doe'] }).text).toBe('[email], [name]');
  });

  it('breaks ties of equal width deterministically (hidden first)', () => {
    const input = 'mail jane@x.com';
    const a = redact(input, { hiddenSpans: [[5, 15]] });
    const b = redact(input, {
      hiddenSpans: [
        [5, 15],
        [5, 15],
      ],
    });
    expect(a).toEqual({ text: 'mail [hidden]', redactions: [{ kind: 'hidden', start: 5, end: 15 }] });
    expect(b).toEqual(a);
  });

  it('keeps adjacent spans of different kinds apart', () => {
    expect(redact('jane@x.com 07700 900123').text).toBe('[email] [phone]');
  });
});

describe('redact: idempotence', () => {
  it('changes nothing in an already-redacted text', () => {
    const opts = { names: ['Jane Doe', 'Name Link', 'Email Hidden'] };
    for (const [input] of REDACTED) {
      const once = redact(input, opts).text;
      expect(redact(once, opts)).toEqual({ text: once, redactions: [] });
    }
    const markers = Object.values(REDACTION_MARKERS).join(' ');
    expect(redact(markers, opts)).toEqual({ text: markers, redactions: [] });
    expect(containsPersonalData(markers)).toBe(false);
  });

  it('holds for random mixes of tricky fragments', () => {
    const fragments = [
      ...REDACTED.map(([input]) => input),
      ...NOT_REDACTED,
      ' ',
      ', ',
      '.',
      '1',
      '12',
      '+',
      '(',
      ')',
      '-',
      '@',
      'at ',
      ' dot ',
      '?',
      'Jane',
      '[name]',
      '[',
      ']',
      'x',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 8 }), (parts) => {
        const input = parts.join('');
        const once = redact(input, { names: ['Jane Doe'] }).text;
        expect(redact(once, { names: ['Jane Doe'] }).text).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('redact: speed (printed, not asserted)', () => {
  it('redacts 10,000 typical comments', () => {
    const templates = [
      'The agent was really helpful and sorted my refund in 10 minutes. Order 58213 arrived on 2024-02-13, paid £49.99. I would recommend the shop to anyone, the staff at the store were lovely too.',
      'Waited 45 minutes on hold, then got cut off twice. Please call me back on 07700 900123 or email jane.doe@example.com, I have been a customer since 2019 and this is not good enough at all.',
      'Great service from Sarah! She explained the new plan (v2.3.1 of the app) and saved me $12.50 a month. Jane was also kind at the desk at 10:30am. Would give 10/10 again, thanks to the whole team!',
      'My card 4111 1111 1111 1111 was charged twice for ticket #1234567, see https://shop.example.com/track?order=123 thanks. Please refund it to GB82 WEST 1234 5698 7654 32 as soon as you can, thanks.',
      'Delivery was late again, third time this month. The driver left the parcel at the wrong door at 10:30am and did not ring. Not happy at all, I expect better from a company of this size. 3 x 250ml.',
    ];
    const comments = Array.from({ length: 10_000 }, (_, i) => `${templates[i % templates.length]!} #${i}`);
    const avg = comments.reduce((s, c) => s + c.length, 0) / comments.length;
    const w0 = performance.now();
    for (const c of comments) redact(c, { names: ['Jane Doe'] }); // cold run (JIT warm-up)
    const cold = performance.now() - w0;
    const t0 = performance.now();
    let changed = 0;
    for (const c of comments) if (redact(c, { names: ['Jane Doe'] }).redactions.length > 0) changed++;
    const ms = performance.now() - t0;
    console.log(
      `redact: 10,000 comments of ~${Math.round(avg)} chars in ${ms.toFixed(1)} ms warm, ${cold.toFixed(1)} ms cold (${changed} changed)`,
    );
    expect(changed).toBe(6_000);
  });
});
