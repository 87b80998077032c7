// Reading one field from its column: the id, dates and times, yes/no, durations, numbers and text.
import { Invalid } from '../ingest/fields';
import { SPECS } from '../ingest/kinds';
import { ColumnInferrer } from './infer-columns';
import { code, fits, InferenceError, MONTHS, type Pick, type Question } from './infer-types';
import { dateFact, fmt, plural, type DateFact } from './infer-values';
import { columnsOf, type FieldMapping, type Output, type Transform } from './mapping';
import { FIELD_HINTS, fieldScore } from './synonyms';
import { compileTransform, readMoment } from './transforms';

/** Fields whose column settles them, save a date order or a duration unit that a question asks. */
export class FieldInferrer extends ColumnInferrer {
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
}
