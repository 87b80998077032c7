// Fields read more than one way: channels, teams and agents, references by id, and rating scales.
import type { Kind } from '../ingest/kinds';
import { FieldInferrer } from './infer-fields';
import { code, KNOWN, PROBE, teamFromFileName, type OutputChoice, type Pick } from './infer-types';
import { channelValues, fmt, plural } from './infer-values';
import { columnsOf, type FieldMapping, type Output, type Transform } from './mapping';
import { CHANNELS, CSAT_WORDS, EFFORT_WORDS, normalizeHeader, NPS_WORDS, type Channel } from './synonyms';

/** Fields whose column may not settle them: each guess that could be wrong comes with a question. */
export class ChoiceInferrer extends FieldInferrer {
  channelField(o: Output, i: number, pick: Pick | undefined) {
    if (!pick) return this.channelConstant(o, i);
    const c = pick.column;
    const name = this.columns[c]!;
    const cv = channelValues(this.scan.profiles[c]!)!;
    this.used.add(c);
    const at = { kind: o.kind, field: 'channel', column: name };
    if (cv.same) {
      o.fields.channel = { column: name };
      this.note(
        `\`${name}\` → ${this.label(o.kind, 'channel')} (${this.matched(pick)}): its values are the contract's channels already`,
        at,
      );
      return;
    }
    o.fields.channel = { column: name, transform: { type: 'map', values: cv.values, otherwise: 'error' } };
    const shown = Object.entries(cv.values)
      .filter(([v]) => !cv.unmapped.includes(v))
      .slice(0, 12)
      .map(([v, ch]) => `${code(v)} → ${ch}`)
      .join(', ');
    this.note(
      `\`${name}\` → ${this.label(o.kind, 'channel')} (${this.matched(pick)}): ${shown}${cv.unmapped.length ? `; ${cv.unmapped.map(code).join(', ')} not known: a question each (default other)` : ''}`,
      at,
    );
    for (const v of cv.unmapped) {
      this.questions.push({
        id: `channel:${v}`,
        question: `Which channel is ${code(v)} in \`${name}\`?`,
        kind: o.kind,
        field: 'channel',
        column: name,
        path: this.ptr(i, 'channel', 'transform', 'values', v),
        options: CHANNELS.map((ch) => ({ label: ch, value: ch })),
        default: CHANNELS.indexOf('other'),
      });
    }
  }

  /** No channel column: what the file is about says which channel, or a question does. */
  channelConstant(o: Output, i: number) {
    const s = this.signals;
    const at = { kind: o.kind, field: 'channel' };
    if (s.call) {
      o.fields.channel = { constant: 'phone' };
      this.note(
        `No channel column; the file is about calls (${this.evidenceHeaders(/\b(call|calls|caller|talk|ivr|asa|speed of answer|ring time)\b/)}) → ${this.label(o.kind, 'channel')} phone`,
        at,
      );
      return;
    }
    const [channel, why]: [Channel, string] = s.order
      ? ['web', 'orders placed online']
      : s.chat
        ? ['chat', 'chats']
        : s.ticket
          ? ['email', 'tickets, most often by email']
          : ['phone', "nothing in the file says which channel; phone is the contract's default"];
    o.fields.channel = { constant: channel };
    this.note(`No channel column: ${why} → ${this.label(o.kind, 'channel')} ${channel}; a question asks`, at);
    const options: Channel[] = [channel, ...CHANNELS.filter((ch) => ch !== channel)];
    this.questions.push({
      id: 'channel',
      question: 'The file has no channel column: by which channel did these contacts come?',
      kind: o.kind,
      field: 'channel',
      path: this.ptr(i, 'channel'),
      options: options.map((ch) => ({ label: ch, value: { constant: ch } })),
      default: 0,
    });
  }

  evidenceHeaders(re: RegExp) {
    return this.columns
      .filter((_, k) => re.test(this.headers[k]!))
      .slice(0, 3)
      .map((n) => `\`${n}\``)
      .join(', ');
  }

  /** A team or agent: external ids when they are known ones, else names looked up (and created). */
  async nameRef(o: Output, i: number, field: string, kind: 'teams' | 'agents', pick: Pick) {
    const c = pick.column;
    const name = this.columns[c]!;
    const f = this.facts[c]!;
    const p = this.scan.profiles[c]!;
    this.used.add(c);
    const at = { kind: o.kind, field, column: name };
    const one = kind.replace(/s$/, '');
    const ids = await this.probe(kind, c);
    const target = this.label(o.kind, field);
    if (ids && ids.of > 0 && ids.known.length >= KNOWN * ids.of) {
      o.fields[field] = { column: name };
      this.note(
        `\`${name}\`: ${fmt(ids.known.length)} of ${plural(ids.of, 'value')} sampled are external ids of ${kind} already imported → ${target}`,
        at,
      );
      return;
    }
    const header = this.headers[c]!;
    const byName = { column: name, lookup: { by: 'name' as const, create: true } };
    const ratio = ids && ids.of > 0 ? ids.known.length / ids.of : null;
    if (!/\b(id|ids|code|number|no|key)\b/.test(header) && (f.names || /\bname\b/.test(header))) {
      o.fields[field] = byName;
      const known = this.options.knownNames ? await this.options.knownNames(kind, p.sample.slice(0, PROBE)) : null;
      const sampled = Math.min(p.sample.length, PROBE);
      const knownText = known
        ? known.length === 0
          ? `; none is ${one === 'agent' ? 'an' : 'a'} ${one} already in: they will be created`
          : `; ${fmt(new Set(known).size)} of ${fmt(sampled)} are ${kind} already in, the others will be created`
        : '; new names will be created';
      this.note(
        `\`${name}\`: ${plural(p.distinct.size > 0 && !p.many ? p.distinct.size : sampled, 'name')} like ${p.sample.slice(0, 2).map(code).join(', ')}${ids ? ` (not external ids of ${kind} already imported)` : ''} → ${target}, found by name${knownText}`,
        at,
      );
      return;
    }
    o.fields[field] = { column: name };
    if (ratio === null) {
      this.note(
        `\`${name}\` → ${target} (${this.matched(pick)}): ${this.values(c)}, read as external ids of ${kind} (not checked: they must be imported first)`,
        at,
      );
      return;
    }
    const preferIds = ratio >= 0.5;
    if (!preferIds) o.fields[field] = byName;
    this.note(
      `\`${name}\`: ${fmt(ids!.known.length)} of ${plural(ids!.of, 'value')} sampled are external ids of ${kind} already imported → ${target}; a question asks whether they are ids or names`,
      at,
    );
    this.questions.push({
      id: `ref:${o.kind}.${field}`,
      question: `Does \`${name}\` hold the external ids of ${kind} or their names? (${fmt(ids!.known.length)} of ${fmt(ids!.of)} sampled values are ids already imported)`,
      kind: o.kind,
      field,
      column: name,
      path: this.ptr(i, field),
      options: [
        { label: `External ids of ${kind} (import the others first)`, value: { column: name } },
        { label: `Names: find ${kind} by name, creating the new ones`, value: byName },
      ],
      default: preferIds ? 0 : 1,
    });
  }

  /** A reference by external id (customer, interaction): checked against what is imported. */
  async idRef(o: Output, i: number, field: string, kind: Kind, pick: Pick | undefined) {
    let c = pick?.column;
    if (c === undefined) {
      c = await this.findByValue(kind, field);
      if (c === undefined) return;
    }
    const name = this.columns[c]!;
    this.used.add(c);
    const at = { kind: o.kind, field, column: name };
    const target = this.label(o.kind, field);
    const ids = await this.probe(kind, c);
    const how = pick ? this.matched(pick) : 'by value';
    o.fields[field] = { column: name };
    if (!ids) {
      this.note(`\`${name}\` → ${target} (${how}): ${this.values(c)}; not checked: ${kind} must be imported first`, at);
      return;
    }
    const ratio = ids.of > 0 ? ids.known.length / ids.of : 0;
    if (ratio >= KNOWN) {
      this.note(
        `\`${name}\`: ${fmt(ids.known.length)} of ${plural(ids.of, 'value')} sampled (like ${code(ids.known[0] ?? '')}) are ${kind} already imported → ${target}`,
        at,
      );
      if (ratio < 1)
        this.note(
          `\`${name}\`: ${fmt(ids.of - ids.known.length)} sampled values are not ${kind} yet: the import will report them`,
          at,
        );
      return;
    }
    // Some or none known: linking would make the import report each row whose id is not in yet.
    const keep = ratio >= 0.5;
    if (!keep) delete o.fields[field];
    this.note(
      `\`${name}\` (${how}): only ${fmt(ids.known.length)} of ${plural(ids.of, 'value')} sampled are ${kind} already imported: ${keep ? 'linked' : 'left out'}, and a question asks`,
      at,
    );
    this.questions.push({
      id: `ref:${o.kind}.${field}`,
      question: `Link ${target} by \`${name}\`? ${fmt(ids.known.length)} of ${fmt(ids.of)} sampled values are ${kind} already imported; the others would be reported until their ${kind} are imported.`,
      kind: o.kind,
      field,
      column: name,
      path: this.ptr(i, field),
      options: [
        { label: `Link by \`${name}\` (import the ${kind} first)`, value: { column: name } },
        { label: 'Leave it out', value: undefined },
      ],
      default: keep ? 0 : 1,
    });
  }

  /** A team for a file with no team column: one named after the file, or 'Contact centre'. */
  async teamConstant(o: Output, i: number) {
    const fromFile = teamFromFileName(this.options.fileName);
    const names = [
      ...new Set(this.signals.call || !fromFile ? ['Contact centre', fromFile] : [fromFile, 'Contact centre']),
    ].filter((n): n is string => n !== null);
    const known = this.options.knownNames
      ? new Set((await this.options.knownNames('teams', names)).map((n) => n.toLowerCase()))
      : new Set<string>();
    const def = Math.max(
      0,
      names.findIndex((n) => known.has(n.toLowerCase())),
    );
    const value = (n: string): FieldMapping => ({ constant: n, lookup: { by: 'name', create: true } });
    o.fields.team = value(names[def]!);
    const what = o.kind === 'agents' ? 'agent' : 'interaction';
    this.note(
      `No team column: every ${what} goes to the team '${names[def]}' (${known.has(names[def]!.toLowerCase()) ? 'already in' : 'created when new'}); a question asks which`,
      { kind: o.kind, field: 'team' },
    );
    this.questions.push({
      id: o.kind === 'interactions' ? 'team' : `team:${o.kind}`,
      question: `The file has no team column: which team do its ${o.kind} belong to?`,
      kind: o.kind,
      field: 'team',
      path: this.ptr(i, 'team'),
      options: names.map((n) => ({
        label: `The team '${n}' (${known.has(n.toLowerCase()) ? 'already in' : 'created when new'})`,
        value: value(n),
      })),
      default: def,
    });
  }

  /** A rating column: csat, nps or effort by its header and scale, or a question. */
  ratingField(o: Output, pick: Pick) {
    const c = pick.column;
    const name = this.columns[c]!;
    // What the header (and a survey tool's question text) says of the scale.
    const header = `${this.headers[c]!} ${normalizeHeader(this.texts[c] ?? '')}`;
    const { min, max } = this.facts[c]!.scale!;
    const p = this.scan.profiles[c]!;
    this.used.add(c);
    const lo = min === 0 ? 0 : 1;
    const hi = max <= 5 ? 5 : max <= 7 ? 7 : 10;
    const seen = `${plural(p.filled, 'rating')} from ${min} to ${max}${p.empty > 0 ? ` (${fmt(p.empty)} rows without)` : ''}`;
    const at = { kind: o.kind, column: name };
    const taken = (field: string) => {
      const other = o.fields[field] ? columnsOf(o.fields[field]).join(', ') : null;
      if (other)
        this.note(`\`${name}\`: ${seen}, but ${this.label(o.kind, field)} is \`${other}\` already: not used`, {
          ...at,
          field,
        });
      return other !== null;
    };
    const decided = (field: string, why: string, transform?: Transform) => {
      if (taken(field)) return;
      o.fields[field] = transform ? { column: name, transform } : { column: name };
      this.note(`\`${name}\`: ${seen}, ${why} → ${this.label(o.kind, field)}`, { ...at, field });
    };
    if (NPS_WORDS.test(header) && hi === 10) return decided('nps', 'a 0–10 likelihood to recommend');
    if (EFFORT_WORDS.test(header) && lo === 1 && hi <= 7) return decided('effort', 'a 1–7 effort score');
    const named = NPS_WORDS.test(header) || (EFFORT_WORDS.test(header) && hi > 7);
    if (lo === 1 && hi === 5 && !named) return decided('csat', 'a 1–5 scale');
    // Anything else could be read more than one way.
    const options: OutputChoice['options'] = [];
    const csatLinear = {
      label: `CSAT: rescale ${lo}–${hi} to 1–5 (${hi} → 5, ${lo} → 1)`,
      field: 'csat',
      transform: { type: 'scale', from: [lo, hi], to: [1, 5], method: 'linear' } as Transform,
    };
    const csatRefuse = {
      label: `CSAT as it is: values above 5${lo === 0 ? ' or below 1' : ''} are reported as problems`,
      field: 'csat',
      transform: { type: 'scale', from: [lo, hi], to: [1, 5], method: 'refuse' } as Transform,
    };
    const nps = { label: 'NPS (0–10) as it is', field: 'nps' };
    const effort = { label: 'Customer effort (1–7) as it is', field: 'effort' };
    options.push(csatLinear);
    if (hi > 5) options.push(csatRefuse);
    options.push(nps);
    if (lo === 1 && hi <= 7) options.push(effort);
    const prefer: OutputChoice['options'][number] = NPS_WORDS.test(header)
      ? nps
      : EFFORT_WORDS.test(header) && options.includes(effort)
        ? effort
        : CSAT_WORDS.test(header)
          ? csatLinear
          : lo === 0 && hi === 10
            ? nps
            : csatLinear;
    const def = options.indexOf(prefer);
    if (taken(prefer.field)) return;
    if (this.choices.some((ch) => ch.output === o)) {
      // One question per output replaces it whole: a second would undo the first's answer.
      this.note(
        `\`${name}\`: ${seen}, a ${lo}–${hi} scale that could be read more than one way, and another rating already asks: not used; map it by hand`,
        at,
      );
      return;
    }
    o.fields[prefer.field] = prefer.transform ? { column: name, transform: prefer.transform } : { column: name };
    this.note(
      `\`${name}\`: ${seen}, a ${lo}–${hi} scale that could be read more than one way → ${this.label(o.kind, prefer.field)} for now; a question asks`,
      { ...at, field: prefer.field },
    );
    this.choices.push({
      output: o,
      column: name,
      field: prefer.field,
      id: `scale:${name}`,
      question: `\`${name}\` holds ratings from ${min} to ${max}: what are they?`,
      options,
      default: def,
    });
  }
}
