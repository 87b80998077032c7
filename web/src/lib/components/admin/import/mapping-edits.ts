// The wizard's edits of a mapping as pure functions: each returns a new mapping (or question list).
// Relative imports of modules free of SvelteKit's aliases, so unit tests load this file as it is.
import type { Question } from '../../../sources-answers';
import { cloneJson, withValueAt } from '../../../sources-edit';
import type { FieldMapping, Mapping } from '../../../sources-mapping';

/** The mapping with a question's option taken (at its path and the paths that share the answer). */
export function answered(mapping: Mapping, q: Question, i: number): Mapping {
  const value = q.options[i]!.value;
  return [q.path, ...(q.also ?? [])].reduce((m, path) => withValueAt(m, path, value), cloneJson(mapping));
}

/** A field set, or removed (and dropped from the output's only-when-any list). */
export function withField(mapping: Mapping, oi: number, name: string, next: FieldMapping | undefined): Mapping {
  const m = cloneJson(mapping);
  const out = m.outputs[oi]!;
  if (next) out.fields[name] = cloneJson(next);
  else {
    delete out.fields[name];
    if (out.only_when_any) {
      const left = out.only_when_any.filter((n) => n !== name);
      if (left.length) out.only_when_any = left;
      else delete out.only_when_any;
    }
  }
  return m;
}

export function withOnly(mapping: Mapping, oi: number, list: string[] | undefined): Mapping {
  const m = cloneJson(mapping);
  if (list) m.outputs[oi]!.only_when_any = list;
  else delete m.outputs[oi]!.only_when_any;
  return m;
}

export function withoutOutput(mapping: Mapping, oi: number): Mapping {
  const m = cloneJson(mapping);
  m.outputs.splice(oi, 1);
  return m;
}

/** Questions point into outputs by index: those of the removed one go, later ones move up. */
export function questionsWithoutOutput(questions: Question[], oi: number): Question[] {
  const moved = (path: string): string | null => {
    const hit = /^\/outputs\/(\d+)(\/.*)?$/.exec(path);
    if (!hit) return path;
    const i = Number(hit[1]);
    if (i === oi) return null;
    return i > oi ? `/outputs/${i - 1}${hit[2] ?? ''}` : path;
  };
  return questions.flatMap((q) => {
    const path = moved(q.path);
    if (path === null) return [];
    return [{ ...q, path, also: q.also?.map(moved).filter((p): p is string => p !== null) }];
  });
}

export function withFormat(mapping: Mapping, patch: Record<string, unknown>): Mapping {
  const m = cloneJson(mapping);
  m.format = { ...m.format, ...patch } as Mapping['format'];
  return m;
}

/** The time zone set, or removed when blank (the organisation's applies). */
export function withZone(mapping: Mapping, z: string): Mapping {
  const m = cloneJson(mapping);
  if (z.trim()) m.time_zone = z.trim();
  else delete m.time_zone;
  return m;
}

/** A source's name from its file's (`call_export.csv` → `Call export`). */
export function baseName(name: string) {
  const stem = name
    .replace(/\.[^.]+$/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return stem ? stem[0]!.toUpperCase() + stem.slice(1) : 'New source';
}
