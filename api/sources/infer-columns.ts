// The inferrer's state and its first step: which column is which field, by header, text and value.
import { SPECS, type Kind } from '../ingest/kinds';
import type { Scan } from './infer-scan';
import {
  code,
  esc,
  fieldType,
  fits,
  MIN_SCORE,
  NOT_RATING,
  PROBE,
  signals,
  type Evidence,
  type InferOptions,
  type OutputChoice,
  type Pick,
  type Question,
} from './infer-types';
import { channelValues, fmt, plural, type ColumnFacts } from './infer-values';
import type { Output } from './mapping';
import type { Table } from './read';
import { FIELD_HINTS, fieldScore, ID_WORDS, textScore } from './synonyms';

/** State shared by every step; the field readers and the output builder extend it. */
export class ColumnInferrer {
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
}
