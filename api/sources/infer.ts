// Proposing a source's mapping from the file itself: headers matched by name and common synonyms,
// formats read from the values (durations, date order, yes/no, rating scales), references found by
// value (a column of ids already imported) as well as by name, keys checked over the whole scan.
// Every guess comes with its evidence, and what the file cannot settle comes back as a question
// whose default option is already in the mapping, so accepting every default gives a working source.
import { Invalid } from '../ingest/fields';
import { KINDS, SPECS, type Kind } from '../ingest/kinds';
import { SourceError } from '../ingest/sources';
import { scanTable, type Scan } from './infer-scan';
import { channelValues, columnFacts, dateFact, fmt, plural, type ColumnFacts, type DateFact } from './infer-values';
import {
  columnsOf,
  KIND_ORDER,
  MAPPING_VERSION,
  MappingSchema,
  type FieldMapping,
  type Mapping,
  type Output,
  type Transform,
} from './mapping';
import {
  CHANNELS,
  CSAT_WORDS,
  EFFORT_WORDS,
  FIELD_HINTS,
  fieldScore,
  ID_WORDS,
  normalizeHeader,
  NPS_WORDS,
  textScore,
  type Channel,
} from './synonyms';
import type { Table } from './read';
import { compileTransform, readMoment } from './transforms';

export interface Evidence {
  kind?: Kind;
  field?: string;
  column?: string;
  message: string;
}

export interface Question {
  id: string;
  question: string;
  kind?: Kind;
  field?: string;
  column?: string;
  /** JSON pointer into the mapping (e.g. /outputs/0/fields/occurred_at); the mapping already holds the default option's value there. */
  path: string;
  /** Further pointers that take the same answer (the survey's copy of its call's date order). */
  also?: string[];
  options: Array<{ label: string; value: unknown /* undefined = remove the key */ }>;
  /** Index into options. */
  default: number;
}

export interface Inference {
  mapping: Mapping;
  evidence: Evidence[];
  /** In the order to apply answers: a question about a whole output comes before those inside it. */
  questions: Question[];
  /** Rows scanned. */
  rows: number;
  columns: string[];
}

export interface InferOptions {
  /** The organisation's zone, in which times without an offset are read. */
  timeZone: string;
  fileName?: string;
  /** Which of these values are external ids of records of `kind` already imported. */
  knownIds?: (kind: Kind, values: string[]) => Promise<string[]>;
  /** Which of these names are names of teams or agents already imported. */
  knownNames?: (kind: 'teams' | 'agents', names: string[]) => Promise<string[]>;
  /** Rows scanned at most (default 1,000,000). */
  maxRows?: number;
}

/**
 * The file cannot be mapped: no kind of the contract fits its columns. A SourceError (row 0: the
 * file as a whole), so callers that answer unreadable files answer this too.
 */
export class InferenceError extends SourceError {
  constructor(reason: string) {
    super(0, reason);
    this.name = 'InferenceError';
  }
}

const MAX_ROWS = 1_000_000;
const NOT_RATING = /\b(group|category|segment|type|code|id|label|bucket)\b/;
/** Values sent to knownIds / knownNames per column. */
const PROBE = 200;
/** A header score from which a match counts at all (0–100). */
const MIN_SCORE = 30;
/** Share of sampled values that must be known for a reference to be proposed without a question. */
const KNOWN = 0.9;

type FieldType = 'id' | 'ref' | 'timestamp' | 'date' | 'bool' | 'seconds' | 'score' | 'money' | 'choice' | 'text';

function fieldType(kind: Kind, field: string): FieldType {
  const spec = SPECS[kind].fields.find((f) => f.name === field)!;
  if (field === 'external_id') return 'id';
  if (spec.ref) return 'ref';
  if (spec.stage === 'bigint') return 'timestamp';
  if (spec.stage === 'date') return 'date';
  if (spec.stage === 'boolean') return 'bool';
  if (spec.stage === 'int') return field.endsWith('_seconds') ? 'seconds' : 'score';
  if (spec.stage === 'numeric') return 'money';
  if (field === 'channel' || (kind === 'teams' && field === 'kind')) return 'choice';
  return 'text';
}

/** Whether a column's values can be a field of that type. */
function fits(type: FieldType, f: ColumnFacts): boolean {
  const p = f.p;
  if (p.filled === 0) return false;
  const colon = f.duration?.colon ?? false;
  switch (type) {
    case 'id':
    case 'ref':
      return p.maxLength <= 200 && !(f.date && !f.numeric) && !f.clock && !colon && !f.bool;
    case 'timestamp':
    case 'date':
      return f.date !== null;
    case 'bool':
      return f.bool !== null;
    case 'seconds':
      return f.duration !== null;
    case 'score':
      return f.scale !== null;
    case 'money':
      return f.numeric;
    case 'choice':
      return !p.many;
    case 'text':
      return !f.date && !f.numeric && !f.clock && !colon;
  }
}

interface Pick {
  field: string;
  column: number;
  score: number;
  synonym: string;
  /** Matched by the column's question text (a row under the header) rather than its header. */
  byText?: boolean;
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const code = (s: string) => `\`${s.length > 60 ? `${s.slice(0, 60)}…` : s}\``;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const STOP_WORDS = new Set(
  'export exports exported dataset data report extract download final copy csv xlsx json file files all full latest new sheet table list jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december q1 q2 q3 q4'.split(
    ' ',
  ),
);

/** A team name from a file name (`olist_orders_dataset.csv` → `Olist orders`), or null. */
export function teamFromFileName(fileName: string | undefined): string | null {
  if (!fileName) return null;
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[a-z0-9]{1,5}$/i, '');
  const words = base
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.+()[\]]+/)
    .filter((w) => w !== '' && !/\d/.test(w) && !STOP_WORDS.has(w.toLowerCase()));
  const text = words.join(' ').toLowerCase();
  if (text.replace(/[^\p{L}]/gu, '').length < 3) return null;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a file is about, from all its headers: calls, orders, tickets, chats. */
function signals(headers: string[]) {
  const all = headers.join(' | ');
  return {
    call: /\b(call|calls|caller|talk|ivr|asa|speed of answer|ring time|dialled|dialed)\b/.test(all),
    order: /\b(order|orders|purchase|basket|cart)\b/.test(all),
    ticket: /\b(ticket|tickets)\b/.test(all),
    chat: /\b(chat|chats|conversation)\b/.test(all),
  };
}

/** A pending question about a whole output (a rating's scale moves it to another field). */
interface OutputChoice {
  output: Output;
  column: string;
  field: string;
  question: string;
  id: string;
  options: Array<{ label: string; field: string; transform?: Transform }>;
  default: number;
}

class Inferrer {
  readonly evidence: Evidence[] = [];
  readonly questions: Question[] = [];
  readonly outputs: Output[] = [];
  readonly used = new Set<number>();
  /** Columns read only as the second part of a composite key (still free for other fields). */
  readonly keyed = new Set<number>();
  readonly choices: OutputChoice[] = [];
  /** Date-order questions by the columns they read, for a survey that copies its call's time. */
  readonly dateQuestions = new Map<string, Question>();
  readonly probes = new Map<string, Promise<{ known: string[]; of: number } | null>>();
  readonly signals: ReturnType<typeof signals>;
  /** Per column, the text of the rows under the header that are not records (survey questions). */
  readonly texts: string[];
  primary: Kind = 'interactions';

  constructor(
    readonly table: Table,
    readonly options: InferOptions,
    readonly headers: string[],
    readonly scan: Scan,
    readonly facts: ColumnFacts[],
  ) {
    this.signals = signals(headers);
    this.texts = table.columns.map((_, c) =>
      scan.skipped
        .map((cells) => (cells[c] ?? '').trim())
        .filter((v) => v !== '' && !v.startsWith('{'))
        .join(' '),
    );
  }

  get columns() {
    return this.table.columns;
  }

  note(message: string, where: Omit<Evidence, 'message'> = {}) {
    this.evidence.push({ ...where, message });
  }

  ptr(i: number, field: string, ...rest: string[]) {
    return [`/outputs/${i}/fields/${esc(field)}`, ...rest.map(esc)].join('/');
  }

  /** `handle_seconds` in the first output, `surveys.csat` in another. */
  label(kind: Kind, field: string) {
    return kind === this.primary ? field : `${kind}.${field}`;
  }

  /** `4,054 values like `0:02:23`` (and how many rows were empty). */
  values(c: number, n = 1) {
    const p = this.scan.profiles[c]!;
    const like = p.sample.slice(0, n).map(code).join(', ');
    return `${plural(p.filled, 'value')}${like ? ` like ${like}` : ''}${p.empty > 0 ? `; ${fmt(p.empty)} empty` : ''}`;
  }

  // ---- Which columns are which fields -------------------------------------------------------

  /** Greedy: the best-scoring (field, column) pairs whose values fit, each field and column once. */
  assign(kind: Kind, taken: Set<number> = new Set()): { picks: Map<string, Pick>; score: number } {
    const cands: Pick[] = [];
    for (const spec of SPECS[kind].fields) {
      const type = fieldType(kind, spec.name);
      const hint = FIELD_HINTS[kind][spec.name];
      for (let c = 0; c < this.columns.length; c++) {
        if (taken.has(c)) continue;
        let { score, synonym } = fieldScore(this.headers[c]!, hint, spec.name);
        let byText = false;
        // A survey tool's column `Q1` says what it is in its question text, less surely than a header would.
        // Not for references: a question text that says 'group' does not name a team.
        const text = this.texts[c] && type !== 'ref' ? textScore(this.texts[c]!, hint) : null;
        if (text && 0.7 * text.score >= 50 && 0.7 * text.score > score)
          [score, synonym, byText] = [0.7 * text.score, text.synonym, true];
        // An NPS group or a rating's category is a label, not a rating.
        if (type === 'score' && NOT_RATING.test(this.headers[c]!)) continue;
        // People's names are not external ids: a customer is referred to by id only.
        if (type === 'ref' && spec.ref !== 'teams' && spec.ref !== 'agents' && this.facts[c]!.names) score *= 0.5;
        const min = type === 'ref' ? 60 : MIN_SCORE;
        if (score >= min && fits(type, this.facts[c]!))
          cands.push({ field: spec.name, column: c, score, synonym, byText });
        else if (spec.name === 'channel' && score < MIN_SCORE) {
          // By value: a column whose values are mostly channel names (`Type`: Voice, Chat, Email).
          const cv = channelValues(this.scan.profiles[c]!);
          const size = this.scan.profiles[c]!.distinct.size;
          if (cv && size >= 2 && size - cv.unmapped.length >= 0.8 * size)
            cands.push({ field: 'channel', column: c, score: 45, synonym: '' });
        }
      }
    }
    cands.sort((a, b) => b.score - a.score || a.column - b.column);
    const picks = new Map<string, Pick>();
    const usedCols = new Set<number>();
    let score = 0;
    for (const cand of cands) {
      if (picks.has(cand.field) || usedCols.has(cand.column)) continue;
      picks.set(cand.field, cand);
      usedCols.add(cand.column);
      score += ((FIELD_HINTS[kind][cand.field]?.weight ?? 1) * cand.score) / 100;
    }
    return { picks, score };
  }

  /** How a header matched, for evidence. */
  matched(pick: Pick) {
    return pick.byText
      ? `its question text says '${pick.synonym}'`
      : pick.synonym
        ? `header matches '${pick.synonym}'`
        : 'its values name channels';
  }

  // ---- References checked against what is already imported ----------------------------------

  probe(kind: Kind, c: number): Promise<{ known: string[]; of: number } | null> {
    const knownIds = this.options.knownIds;
    if (!knownIds) return Promise.resolve(null);
    const key = `${kind}\u0000${c}`;
    let p = this.probes.get(key);
    if (!p) {
      const values = this.scan.profiles[c]!.sample.slice(0, PROBE);
      p =
        values.length === 0
          ? Promise.resolve({ known: [], of: 0 })
          : knownIds(kind, values).then((known) => ({
              known: [...new Set(known)].filter((v) => values.includes(v)),
              of: values.length,
            }));
      this.probes.set(key, p);
    }
    return p;
  }

  /** An unused column whose values are mostly external ids of `kind` already imported. */
  async findByValue(kind: Kind, field: string): Promise<number | undefined> {
    if (!this.options.knownIds) return undefined;
    const cands = this.columns
      .map((_, c) => c)
      .filter(
        (c) =>
          !this.used.has(c) &&
          fits('id', this.facts[c]!) &&
          (ID_WORDS.test(this.headers[c]!) || this.scan.profiles[c]!.many),
      )
      .slice(0, 8);
    let best: { c: number; ratio: number } | undefined;
    for (const c of cands) {
      const r = await this.probe(kind, c);
      if (!r || r.of === 0) continue;
      const ratio = r.known.length / r.of;
      if (ratio >= 0.5 && (!best || ratio > best.ratio)) best = { c, ratio };
    }
    if (best)
      this.note(`\`${this.columns[best.c]}\` is not named as ${field}, but its values are ${kind} already imported`, {
        field,
        column: this.columns[best.c],
      });
    return best?.c;
  }

  // ---- Fields -------------------------------------------------------------------------------

  /** The external id: a column, or a composite template when the column repeats with other data. */
  idField(o: Output, i: number, pick: Pick | undefined): { template: string; columns: number[] } {
    const kind = o.kind;
    let c = pick?.column;
    let why = pick ? this.matched(pick) : '';
    if (c === undefined) {
      // No header names an id: a column with a different value on every row will do.
      c = this.columns.findIndex(
        (_, k) =>
          !this.used.has(k) &&
          this.scan.profiles[k]!.unique &&
          this.scan.profiles[k]!.empty === 0 &&
          fits('id', this.facts[k]!) &&
          !this.facts[k]!.date,
      );
      if (c < 0)
        throw new InferenceError(
          `no column identifies a ${kind.replace(/s$/, '')}: name one with an id (${SPECS[kind].fields[0]!.name}), or add one to the export`,
        );
      why = 'no header names an id, but it has a different value on every row';
    }
    const name = this.columns[c]!;
    const p = this.scan.profiles[c]!;
    const key = this.scan.keys.get(c);
    this.used.add(c);
    const at = { kind, field: 'external_id', column: name };
    if (p.empty > 0)
      this.note(`\`${name}\`: ${plural(p.empty, 'row')} without a value: the import will report them`, at);
    if (key && key.otherData > 0) {
      const partner = key.uniqueWith.find((k) => !/[{}]/.test(this.columns[k]!));
      const example = key.example ? ` (e.g. ${code(key.example)})` : '';
      if (partner !== undefined && !/[{}]/.test(name)) {
        const other = this.columns[partner]!;
        const template = `{${name}}:{${other}}`;
        o.fields.external_id = { template };
        this.keyed.add(partner);
        const same =
          key.sameRows > 0
            ? ` (${plural(key.sameRows, 'row')} repeating an earlier row exactly ${key.sameRows === 1 ? 'counts' : 'count'} once)`
            : '';
        this.note(
          `\`${name}\` (${why}) repeats with different data: ${plural(key.repeatedIds, 'id')} on more than one row${example}; \`${name}\` with \`${other}\` never repeats over ${plural(this.scan.rows, 'row')}${same} → ${this.label(kind, 'external_id')} ${code(template)}`,
          at,
        );
        return { template, columns: [c, partner] };
      }
      this.note(
        `\`${name}\` repeats with different data: ${plural(key.repeatedIds, 'id')} on more than one row${example}, and no other id column makes it unique: the import will report those rows`,
        at,
      );
    } else if (!key && !p.unique) {
      this.note(
        `\`${name}\` repeats (e.g. ${code(p.firstRepeat ?? '')}): rows with the same id must hold the same data, or the import reports them`,
        at,
      );
    } else {
      const same =
        key && key.sameRows > 0
          ? `; ${plural(key.sameRows, 'row')} ${key.sameRows === 1 ? 'repeats an earlier row exactly and counts' : 'repeat an earlier row exactly and count'} once`
          : '';
      this.note(
        `\`${name}\` → ${this.label(kind, 'external_id')} (${why}): ${plural(p.filled, 'value')}, ${key && key.sameRows > 0 ? 'no id with different data twice' : 'none repeated'}${same}`,
        at,
      );
    }
    o.fields.external_id = { column: name };
    return { template: `{${name}}`, columns: [c] };
  }

  /** Tries a field on the first rows, as the import reads it. */
  tryField(fm: FieldMapping): { bad: number; tried: number; example: string | null } {
    const compiled = compileTransform(fm.transform, this.options.timeZone);
    const at = (name: string) => this.columns.indexOf(name);
    let bad = 0;
    let tried = 0;
    let example: string | null = null;
    for (const cells of this.scan.sampleRows) {
      const cell = (name: string) => (cells[at(name)] ?? '').trim();
      const raw = fm.column
        ? cell(fm.column)
        : fm.columns
          ? fm.columns
              .map(cell)
              .filter((v) => v !== '')
              .join(' ')
          : '';
      if (raw === '') continue;
      tried++;
      if (compiled(raw) instanceof Invalid) {
        bad++;
        example ??= raw;
      }
    }
    return { bad, tried, example };
  }

  /** A first example value of a field, as the import joins its columns. */
  exampleOf(fm: FieldMapping): string {
    for (const cells of this.scan.sampleRows) {
      const v = columnsOf(fm)
        .map((n) => (cells[this.columns.indexOf(n)] ?? '').trim())
        .filter((x) => x !== '')
        .join(' ');
      if (v !== '') return v;
    }
    return '';
  }

  /** A timestamp or date: a column (with a time column beside it when it has no time of its own). */
  timeField(o: Output, i: number, field: string, pick: Pick, type: 'timestamp' | 'date') {
    const c = pick.column;
    const name = this.columns[c]!;
    this.used.add(c);
    let clock: number | undefined;
    let fact = this.facts[c]!.date!;
    if (type === 'timestamp' && !fact.withTime && !['epoch_seconds', 'epoch_millis', 'excel'].includes(fact.order)) {
      // A separate time column: the nearest unused column of clock times, one named as a time first.
      const clocks = this.columns.map((_, k) => k).filter((k) => !this.used.has(k) && this.facts[k]!.clock);
      clocks.sort(
        (a, b) =>
          Number(/\btime\b/.test(this.headers[b]!)) - Number(/\btime\b/.test(this.headers[a]!)) ||
          Math.abs(a - c) - Math.abs(b - c),
      );
      clock = clocks[0];
      if (clock !== undefined) {
        this.used.add(clock);
        fact = dateFact(this.scan.profiles[c]!, this.headers[c]!, this.scan.profiles[clock]!.clockAmPm > 0) ?? fact;
      }
    }
    const transform: Transform = { type: type === 'timestamp' ? 'datetime' : 'date', order: fact.order };
    const fm: FieldMapping =
      clock !== undefined ? { columns: [name, this.columns[clock]!], transform } : { column: name, transform };
    o.fields[field] = fm;
    const names = columnsOf(fm)
      .map((n) => `\`${n}\``)
      .join(' + ');
    const ex = this.exampleOf(fm);
    const zone =
      fact.offset || fact.order.startsWith('epoch')
        ? ''
        : type === 'timestamp'
          ? `; times without an offset are read in ${this.options.timeZone}`
          : '';
    const why = fact.decided ? fact.why : `${fact.why}: a question`;
    const at = { kind: o.kind, field, column: name };
    this.note(
      `${names}: ${plural(fact.read, 'value')} like ${code(ex)}, ${why} → ${this.label(o.kind, field)}${zone}`,
      at,
    );
    const t = this.tryField(fm);
    if (t.bad > 0)
      this.note(
        `${names}: ${fmt(t.bad)} of the first ${plural(t.tried, 'value')} do not read as ${fact.order} (e.g. ${code(t.example!)}): the import will report them`,
        at,
      );
    if (!fact.decided) this.askDateOrder(o, i, field, fm, fact, ex);
  }

  askDateOrder(o: Output, i: number, field: string, fm: FieldMapping, fact: DateFact, ex: string) {
    const read = (order: 'dmy' | 'mdy') => {
      const m = readMoment(ex, order);
      return m && m.mo >= 1 && m.mo <= 12 ? `${m.d} ${MONTHS[m.mo - 1]} ${m.y}` : 'not a date';
    };
    const cols = columnsOf(fm);
    const q: Question = {
      id: `date-order:${cols.join('+')}`,
      question: `Are the dates in ${cols.map((n) => `\`${n}\``).join(' + ')} written day first or month first? (${fact.why})`,
      kind: o.kind,
      field,
      column: cols[0],
      path: this.ptr(i, field, 'transform', 'order'),
      options: [
        { label: `Day first: ${code(ex)} is ${read('dmy')}`, value: 'dmy' },
        { label: `Month first: ${code(ex)} is ${read('mdy')}`, value: 'mdy' },
      ],
      default: fact.order === 'mdy' ? 1 : 0,
    };
    this.questions.push(q);
    this.dateQuestions.set(cols.join('\u0000'), q);
  }

  boolField(o: Output, field: string, pick: Pick) {
    const c = pick.column;
    const name = this.columns[c]!;
    const b = this.facts[c]!.bool!;
    this.used.add(c);
    // `Abandoned` answers the opposite question to `answered`.
    const inverted = field === 'answered' && /^abandon/.test(pick.synonym);
    const transform: Transform = {
      type: 'boolean',
      true: inverted ? b.false : b.true,
      false: inverted ? b.true : b.false,
    };
    o.fields[field] = { column: name, transform };
    const counts = [...this.scan.profiles[c]!.distinct.values()]
      .map((d) => `${code(d.value)} ${fmt(d.count)}`)
      .join(', ');
    const reading = `${transform.true.map(code).join('/')} true, ${transform.false.map(code).join('/')} false`;
    this.note(
      `\`${name}\`: ${plural(this.scan.profiles[c]!.filled, 'value')} (${counts}), ${this.matched(pick)} → ${this.label(o.kind, field)} (${reading}${inverted ? ': abandoned means not answered' : ''})`,
      {
        kind: o.kind,
        field,
        column: name,
      },
    );
  }

  durationField(o: Output, i: number, field: string, pick: Pick) {
    const c = pick.column;
    const name = this.columns[c]!;
    const d = this.facts[c]!.duration!;
    this.used.add(c);
    const unit = d.unit ?? d.guess;
    o.fields[field] = { column: name, transform: { type: 'duration', unit } };
    const at = { kind: o.kind, field, column: name };
    this.note(
      `\`${name}\`: ${plural(d.read, 'value')} like ${code(this.scan.profiles[c]!.sample[0] ?? '')}, ${d.why} → ${this.label(o.kind, field)}`,
      at,
    );
    const t = this.tryField(o.fields[field]!);
    if (t.bad > 0)
      this.note(
        `\`${name}\`: ${fmt(t.bad)} of the first ${plural(t.tried, 'value')} do not read as ${unit} (e.g. ${code(t.example!)}): the import will report them`,
        at,
      );
    if (d.unit === null) {
      const units = ['seconds', 'minutes', 'milliseconds'] as const;
      const ex = this.scan.profiles[c]!.sample[0] ?? '';
      this.questions.push({
        id: `duration-unit:${name}`,
        question: `In what unit is \`${name}\` written? (${d.why})`,
        kind: o.kind,
        field,
        column: name,
        path: this.ptr(i, field, 'transform', 'unit'),
        options: units.map((u) => ({
          label: `${u}: ${code(ex)} is ${u === 'seconds' ? ex : u === 'minutes' ? fmt(Number(ex) * 60) : fmt(Number(ex) / 1000)} seconds`,
          value: u,
        })),
        default: units.indexOf(d.guess as (typeof units)[number]),
      });
    }
  }

  numberField(o: Output, field: string, pick: Pick) {
    const c = pick.column;
    const name = this.columns[c]!;
    const p = this.scan.profiles[c]!;
    this.used.add(c);
    const decimal = p.commaDecimals > 0 ? ',' : '.';
    o.fields[field] = { column: name, transform: { type: 'number', decimal } };
    this.note(
      `\`${name}\`: ${this.values(c)}, ${this.matched(pick)}${decimal === ',' ? ', with a decimal comma' : ''} → ${this.label(o.kind, field)}`,
      { kind: o.kind, field, column: name },
    );
  }

  textField(o: Output, field: string, pick: Pick) {
    const c = pick.column;
    const name = this.columns[c]!;
    this.used.add(c);
    // Two comment columns (a title and a message) read as one comment.
    if (field === 'comment') {
      const more = this.columns
        .map((_, k) => k)
        .filter(
          (k) =>
            k !== c &&
            !this.used.has(k) &&
            fits('text', this.facts[k]!) &&
            fieldScore(this.headers[k]!, FIELD_HINTS[o.kind].comment, 'comment').score >= 50,
        );
      if (more.length > 0 && ![c, ...more].some((k) => /[{}]/.test(this.columns[k]!))) {
        const all = [c, ...more].sort((a, b) => a - b).slice(0, 4);
        for (const k of all) this.used.add(k);
        const template = all.map((k) => `{${this.columns[k]}}`).join(' ');
        o.fields.comment = { template };
        this.note(
          `${all.map((k) => `\`${this.columns[k]}\``).join(' + ')}: comment columns, joined as ${code(template)} (empty when all are) → ${this.label(o.kind, 'comment')}`,
          { kind: o.kind, field, column: name },
        );
        return;
      }
    }
    o.fields[field] = { column: name };
    this.note(`\`${name}\` → ${this.label(o.kind, field)} (${this.matched(pick)}): ${this.values(c, 2)}`, {
      kind: o.kind,
      field,
      column: name,
    });
  }

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

  // ---- Outputs ------------------------------------------------------------------------------

  async build(
    kind: Kind,
    picks: Map<string, Pick>,
  ): Promise<{ index: number; id: { template: string; columns: number[] } }> {
    const i = this.outputs.length;
    const o: Output = { kind, fields: {} };
    this.outputs.push(o);
    let id: { template: string; columns: number[] } = { template: '', columns: [] };
    // The id first (its columns are not free for other fields), then the time, then the rest.
    const order = [...SPECS[kind].fields].sort((a, b) => rank(kind, a.name) - rank(kind, b.name));
    for (const spec of order) {
      const field = spec.name;
      const type = fieldType(kind, field);
      let pick = picks.get(field);
      if (pick && this.used.has(pick.column)) pick = undefined;
      if (type === 'id') id = this.idField(o, i, pick);
      else if (type === 'timestamp' || type === 'date') {
        if (pick) this.timeField(o, i, field, pick, type);
        else if (spec.required)
          throw new InferenceError(
            `no column reads as the date and time of ${kind === 'interactions' ? 'an interaction' : `a ${kind.replace(/s$/, '')}`} (${field}): dates such as 2024-03-13 09:14 or 13/03/2024 in a column named as a date`,
          );
      } else if (type === 'ref') {
        const ref = spec.ref!;
        if (ref === 'teams' || ref === 'agents') {
          if (pick) await this.nameRef(o, i, field, ref, pick);
          else if (field === 'team' && spec.required) await this.teamConstant(o, i);
        } else await this.idRef(o, i, field, ref, pick);
      } else if (!pick) {
        if (field === 'channel') this.channelField(o, i, undefined);
      } else if (type === 'bool') this.boolField(o, field, pick);
      else if (type === 'seconds') this.durationField(o, i, field, pick);
      else if (type === 'score') this.ratingField(o, pick);
      else if (type === 'money') this.numberField(o, field, pick);
      else if (field === 'channel') this.channelField(o, i, pick);
      else this.textField(o, field, pick);
    }
    if (kind === 'surveys') this.onlyWhenAny(o);
    return { index: i, id };
  }

  /** A survey only for rows with an answer (a call export rates some calls, a survey tool skips questions). */
  onlyWhenAny(o: Output) {
    const answers = ['csat', 'nps', 'effort', 'comment'].filter((f) => o.fields[f]);
    if (answers.length > 0) o.only_when_any = answers;
    else delete o.only_when_any;
  }

  /** Rated rows of an interactions file also give surveys, linked to their interaction. */
  async derivedSurvey(interactions: number, id: { template: string; columns: number[] }) {
    const { picks } = this.assign('surveys', this.used);
    const answers = ['csat', 'nps', 'effort'].filter((f) => picks.has(f));
    if (answers.length === 0) return;
    const i = this.outputs.length;
    const o: Output = { kind: 'surveys', fields: {} };
    this.outputs.push(o);
    const from = this.outputs[interactions]!;
    const single = id.columns.length === 1;
    // A survey may share its call's id (kinds keep their own ids); a header with braces cannot be templated.
    const safe = id.columns.every((k) => !/[{}]/.test(this.columns[k]!));
    o.fields.external_id = safe ? { template: `${id.template}-survey` } : { column: this.columns[id.columns[0]!]! };
    o.fields.interaction = single ? { column: this.columns[id.columns[0]!]! } : { template: id.template };
    const own = picks.get('responded_at');
    if (own && own.score >= 80) this.timeField(o, i, 'responded_at', own, 'timestamp');
    else {
      o.fields.responded_at = structuredClone(from.fields.occurred_at!);
      const q = this.dateQuestions.get(columnsOf(o.fields.responded_at).join('\u0000'));
      if (q) (q.also ??= []).push(this.ptr(i, 'responded_at', 'transform', 'order'));
    }
    for (const field of ['csat', 'nps', 'effort']) {
      const pick = picks.get(field);
      if (pick && !this.used.has(pick.column)) this.ratingField(o, pick);
    }
    for (const field of ['comment', 'may_quote']) {
      const pick = picks.get(field);
      if (!pick || this.used.has(pick.column)) continue;
      if (field === 'comment') this.textField(o, field, pick);
      else this.boolField(o, field, pick);
    }
    this.onlyWhenAny(o);
    const rated = Math.max(...answers.map((f) => this.scan.profiles[picks.get(f)!.column]!.filled));
    const time = columnsOf(o.fields.responded_at!)
      .map((n) => `\`${n}\``)
      .join(' + ');
    this.note(
      `Rows with a rating also give a survey (${fmt(rated)} of ${plural(this.scan.rows, 'row')}): ${code(o.fields.external_id.template ?? o.fields.external_id.column!)}, linked to its interaction by ${id.columns.map((k) => `\`${this.columns[k]}\``).join(' + ')}, dated by ${time}`,
      { kind: 'surveys' },
    );
  }

  /** Whole-output questions (a rating's scale decides its field): each option is the output so answered. */
  finishChoices(): Question[] {
    return this.choices.map((ch) => {
      const i = this.outputs.indexOf(ch.output);
      const base = ch.output;
      const variant = (opt: OutputChoice['options'][number]): Output => {
        const o = structuredClone(base);
        delete o.fields[ch.field];
        o.fields[opt.field] = opt.transform ? { column: ch.column, transform: opt.transform } : { column: ch.column };
        if (o.only_when_any) {
          const answers = ['csat', 'nps', 'effort', 'comment'].filter((f) => o.fields[f]);
          o.only_when_any = answers.length > 0 ? answers : undefined;
          if (!o.only_when_any) delete o.only_when_any;
        }
        return o;
      };
      return {
        id: ch.id,
        question: ch.question,
        kind: base.kind,
        field: ch.field,
        column: ch.column,
        path: `/outputs/${i}`,
        options: ch.options.map((opt) => ({ label: opt.label, value: variant(opt) })),
        default: ch.default,
      };
    });
  }

  unused() {
    this.columns.forEach((name, c) => {
      if (this.used.has(c) || this.keyed.has(c)) return;
      const p = this.scan.profiles[c]!;
      if (p.filled === 0) this.note(`\`${name}\`: empty on every row; not used`, { column: name });
      else this.note(`\`${name}\`: not used (${this.values(c, 2)})`, { column: name });
    });
  }
}

/** Fields in the order they are decided: the id, the time, references, then the rest. */
function rank(kind: Kind, field: string) {
  const type = fieldType(kind, field);
  return type === 'id' ? 0 : type === 'timestamp' ? 1 : field === 'interaction' ? 2 : type === 'score' ? 3 : 4;
}

/** The fields a kind cannot do without, team aside (a constant can stand in for it). */
function buildable(kind: Kind, picks: Map<string, Pick>) {
  return SPECS[kind].fields.every(
    (f) => !f.required || f.name === 'external_id' || f.name === 'team' || picks.has(f.name),
  );
}

/** Candidate id columns, tracked over the scan for repeats: headers that name an id, at most three. */
function idColumns(headers: string[]): number[] {
  const scored = headers
    .map((h, c) => {
      let best = ID_WORDS.test(h) ? 60 : 0;
      for (const kind of KINDS) {
        for (const spec of SPECS[kind].fields) {
          if (spec.name !== 'external_id' && !spec.ref) continue;
          best = Math.max(
            best,
            fieldScore(h, FIELD_HINTS[kind][spec.name], spec.name).score * (spec.name === 'external_id' ? 1 : 0.9),
          );
        }
      }
      return { c, best };
    })
    .filter((x) => x.best >= 60 && ID_WORDS.test(headers[x.c]!));
  scored.sort((a, b) => b.best - a.best || a.c - b.c);
  return scored.slice(0, 3).map((x) => x.c);
}

/**
 * Proposes a mapping for a file: which kinds it holds, which column is which field and how its
 * values are written, with the evidence for each guess and a question for each thing the file
 * does not settle.
 */
export async function inferMapping(table: Table, options: InferOptions): Promise<Inference> {
  const headers = table.columns.map(normalizeHeader);
  const scan = await scanTable(table, { maxRows: options.maxRows ?? MAX_ROWS, idColumns: idColumns(headers) });
  const facts = scan.profiles.map((p, c) => columnFacts(p, headers[c]!));
  const inf = new Inferrer(table, options, headers, scan, facts);
  if (scan.rows === 0)
    throw new InferenceError('the file has no rows under its header: there is nothing to read formats from');

  const ranked = KINDS.map((kind) => ({ kind, ...inf.assign(kind) }))
    .filter((k) => buildable(k.kind, k.picks) && k.score > 0)
    // A file of teams, agents, customers or referrals names its ids as theirs.
    .filter((k) => k.kind === 'interactions' || k.kind === 'surveys' || (k.picks.get('external_id')?.score ?? 0) >= 60)
    .sort((a, b) => b.score - a.score || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  const best = ranked[0];
  if (!best)
    throw new InferenceError(
      `none of the columns (${table.columns.slice(0, 8).join(', ')}${table.columns.length > 8 ? ', …' : ''}) reads as interactions, surveys, agents, teams, customers or referrals: no date column or no id`,
    );
  inf.primary = best.kind;
  const why = [...best.picks.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, 4)
    .map((p) => `\`${table.columns[p.column]}\``)
    .join(', ');
  const runnerUp = ranked[1] ? ` (next: ${ranked[1].kind})` : '';
  inf.note(`The file reads as ${best.kind}${runnerUp}: ${why} name ${best.kind} fields`, { kind: best.kind });
  const format = { ...table.format };
  if (scan.skipped.length > 0 && (format.type === 'csv' || format.type === 'xlsx')) {
    format.skip_rows = scan.skipped.length;
    const shown = scan.skipped
      .map((cells) => code(cells.find((v) => v.trim() !== '' && !table.columns.includes(v.trim())) ?? cells[0] ?? ''))
      .join(', ');
    inf.note(
      `The first ${plural(scan.skipped.length, 'row')} under the header ${scan.skipped.length === 1 ? 'is' : 'are'} more header, not records (${shown}) → skipped (skip_rows ${scan.skipped.length})`,
    );
  }
  if (scan.truncated)
    inf.note(`Scanned the first ${plural(scan.rows, 'row')} of the file: keys and formats are checked over those`);

  const built = await inf.build(best.kind, best.picks);
  if (best.kind === 'interactions') await inf.derivedSurvey(built.index, built.id);
  const choices = inf.finishChoices();
  inf.unused();

  const mapping = MappingSchema.parse({ version: MAPPING_VERSION, format, outputs: inf.outputs });
  return {
    mapping,
    evidence: inf.evidence,
    questions: [...choices, ...inf.questions],
    rows: scan.rows,
    columns: table.columns,
  };
}
