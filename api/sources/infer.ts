// Inference's entry (inferMapping) and its last step, the outputs; the steps before are infer-*.ts.
// Proposing a source's mapping from the file itself: headers matched by name and common synonyms,
// formats read from the values (durations, date order, yes/no, rating scales), references found by
// value (a column of ids already imported) as well as by name, keys checked over the whole scan.
// Every guess comes with its evidence, and what the file cannot settle comes back as a question
// whose default option is already in the mapping, so accepting every default gives a working source.
import { KINDS, SPECS, type Kind } from '../ingest/kinds';
import { ChoiceInferrer } from './infer-choices';
import { scanTable } from './infer-scan';
import {
  code,
  fieldType,
  InferenceError,
  MAX_ROWS,
  type Inference,
  type InferOptions,
  type OutputChoice,
  type Pick,
  type Question,
} from './infer-types';
import { columnFacts, fmt, plural } from './infer-values';
import { columnsOf, KIND_ORDER, MAPPING_VERSION, MappingSchema, type Output } from './mapping';
import { FIELD_HINTS, fieldScore, ID_WORDS, normalizeHeader } from './synonyms';
import type { Table } from './read';

export type { Evidence, Inference, InferOptions, Question } from './infer-types';
export { InferenceError, teamFromFileName } from './infer-types';

/** The last step: outputs built from the fields, a survey derived from rated rows, unused columns noted. */
class Inferrer extends ChoiceInferrer {
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
