// The Import wizard's state and steps: the file, the mapping being edited, its dry run, the save, the import.
import { tick } from 'svelte';
import { invalidate } from '$app/navigation';
import { ApiError, errorText } from '$lib/api';
import { dayIn, fmtInt, isoWeekLabel, orgTimeZone, plural } from '$lib/format';
import {
  cloneJson,
  createSource,
  getSource,
  inferMapping,
  ingestThroughSource,
  KINDS,
  previewMapping,
  problemLines,
  refusalOf,
  updateSource,
  type FieldMapping,
  type InferResult,
  type Kind,
  type Mapping,
  type Preset,
  type PreviewResult,
  type PreviewRow,
  type Question,
  type Refusal,
  type SourceIngestResult,
} from '$lib/sources';
import {
  answered,
  baseName,
  questionsWithoutOutput,
  withField,
  withFormat,
  withOnly,
  withoutOutput,
  withZone,
} from './mapping-edits';

export const STEPS = ['Choose a file', 'Map the columns', 'Problems per row', 'Save the source', 'Import'];

export type Origin =
  | { type: 'proposed' }
  | { type: 'preset'; id: string; name: string }
  | { type: 'source'; id: number; name: string; version: number };

export type Phase = 'idle' | 'uploading' | 'processing';

/** One wizard per page: its step components read and change this state. */
export class ImportWizard {
  step = $state(0);

  // Step 1: the file and what the inference made of it.
  file = $state<File | null>(null);
  inferPhase = $state<Phase>('idle');
  inferSent = $state(0);
  inferTotal = $state(0);
  inferError = $state<string | null>(null);
  inferred = $state<InferResult | null>(null);
  useSourceId = $state<number | null>(null);

  // Step 2: the mapping being edited; every change is a new revision, checked again.
  mapping = $state<Mapping | null>(null);
  questions = $state<Question[]>([]);
  origin = $state<Origin>({ type: 'proposed' });
  revision = $state(0);
  addKind = $state<Kind | ''>('');

  // The whole-file dry run of the current mapping (POST /sources/preview).
  check = $state<PreviewResult | null>(null);
  checkRevision = $state(-1);
  checking = $state(false);
  checkError = $state<{ detail: string; lines: string[] } | null>(null);
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private checkAbort: AbortController | null = null;

  // Step 4: the source the wizard saves to (a new one, or the one being changed).
  sourceName = $state('');
  saved = $state<{ id: number; name: string; version: number } | null>(null);
  savedRevision = $state(-1);
  saving = $state(false);
  saveError = $state<string | null>(null);
  nameTaken = $state(false);
  justSaved = $state<string | null>(null);

  // Step 5: the import.
  importPhase = $state<Phase>('idle');
  importSent = $state(0);
  importTotal = $state(0);
  imported = $state<
    | { type: 'ok'; result: SourceIngestResult }
    | { type: 'problems'; refusal: Refusal }
    | { type: 'error'; detail: string }
    | null
  >(null);
  importAbort: AbortController | null = null;

  readonly busyInfer = $derived(this.inferPhase !== 'idle');
  readonly current = $derived(this.checkRevision === this.revision && !!this.check);
  readonly clean = $derived(this.current && !!this.check?.ok);
  readonly previewRows = $derived<PreviewRow[]>(this.check?.preview ?? this.inferred?.preview ?? []);
  readonly wholeProblems = $derived(this.current ? (this.check?.problems ?? []) : []);
  readonly previewCaption = $derived.by(() => {
    const total = this.check?.rows ?? this.inferred?.rows ?? 0;
    const n = this.previewRows.length;
    return n < total
      ? `The first ${fmtInt(n)} of ${fmtInt(total)} rows and what each becomes`
      : `All ${plural(n, 'row')} and what each becomes`;
  });
  readonly missingKinds = $derived(
    this.mapping ? KINDS.filter((k) => !this.mapping!.outputs.some((o) => o.kind === k)) : [],
  );

  /** The latest week the preview's rows fall in (the weekly review to look at after importing). */
  readonly week = $derived.by(() => {
    let latest: number | null = null;
    for (const r of this.previewRows) {
      for (const at of [r.records.interactions?.occurred_at, r.records.surveys?.responded_at]) {
        const t = at ? Date.parse(at) : NaN;
        if (Number.isFinite(t) && (latest === null || t > latest)) latest = t;
      }
    }
    return latest === null ? null : isoWeekLabel(dayIn(orgTimeZone(), latest));
  });

  reachable = (i: number): boolean => {
    if (i === 0) return true;
    if (!this.mapping || !this.file) return false;
    if (i <= 2) return true;
    if (i === 3) return this.clean;
    return this.clean && !!this.saved && this.savedRevision === this.revision;
  };

  go = async (i: number) => {
    if (!this.reachable(i)) return;
    this.step = i;
    if (i === 2 && !this.current) this.runCheck();
    await tick();
    document.getElementById(`step-${i}-h`)?.focus();
  };

  // ---- Step 1 -------------------------------------------------------------------------------

  infer = async (sheet: string | null = null): Promise<boolean> => {
    if (!this.file) return false;
    this.inferPhase = 'uploading';
    this.inferSent = 0;
    this.inferTotal = this.file.size;
    this.inferError = null;
    try {
      this.inferred = await inferMapping(this.file, sheet, {
        onProgress: (s, t) => {
          this.inferSent = s;
          this.inferTotal = t || this.inferTotal;
        },
        onSent: () => (this.inferPhase = 'processing'),
      });
      return true;
    } catch (e) {
      this.inferError = errorText(e);
      return false;
    } finally {
      this.inferPhase = 'idle';
    }
  };

  private resetLater() {
    this.check = null;
    this.checkRevision = -1;
    this.checkError = null;
    this.saved = null;
    this.savedRevision = -1;
    this.saveError = null;
    this.nameTaken = false;
    this.justSaved = null;
    this.imported = null;
  }

  propose = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!(await this.infer())) return;
    this.startEditing(cloneJson(this.inferred!.mapping), { type: 'proposed' });
    this.questions = cloneJson(this.inferred!.questions);
    this.sourceName = baseName(this.file!.name);
    await this.go(1);
  };

  private startEditing(m: Mapping, from: Origin) {
    this.resetLater();
    this.mapping = m;
    this.origin = from;
    this.revision++;
    // The inference answered with the first rows already; the whole-file dry run follows.
    this.runCheck();
  }

  /** A saved source's mapping with a new file: the file's columns come from the inference. */
  editSource = async (id: number, f: File) => {
    this.file = f;
    try {
      const source = await getSource(fetch, id);
      if (!(await this.infer())) return;
      this.startEditing(cloneJson(source.mapping), {
        type: 'source',
        id: source.id,
        name: source.name,
        version: source.version,
      });
      this.questions = [];
      this.saved = { id: source.id, name: source.name, version: source.version };
      this.sourceName = source.name;
      await this.go(1);
    } catch (err) {
      this.inferError = errorText(err);
    }
  };

  // ---- Step 2: editing ----------------------------------------------------------------------

  private change(next: Mapping) {
    this.mapping = next;
    this.revision++;
    this.justSaved = null;
    this.imported = null;
    this.scheduleCheck();
  }

  answer = (q: Question, i: number) => {
    if (!this.mapping) return;
    this.change(answered(this.mapping, q, i));
  };

  setField = (oi: number, name: string, next: FieldMapping | undefined) =>
    this.change(withField(this.mapping!, oi, name, next));

  setOnly = (oi: number, list: string[] | undefined) => this.change(withOnly(this.mapping!, oi, list));

  removeOutput = (oi: number) => {
    const m = withoutOutput(this.mapping!, oi);
    this.questions = questionsWithoutOutput(this.questions, oi);
    this.change(m);
  };

  addOutput = () => {
    if (!this.addKind || !this.mapping) return;
    const m = cloneJson(this.mapping);
    m.outputs.push({ kind: this.addKind, fields: {} });
    this.addKind = '';
    this.change(m);
  };

  usePreset = (p: Preset) => {
    if (!this.mapping) return;
    // The file's own format (detected) stays; the preset says what the columns mean.
    const m: Mapping = { ...cloneJson(p.mapping), format: cloneJson(this.mapping.format) };
    this.origin = { type: 'preset', id: p.id, name: p.name };
    if (!this.saved) this.sourceName = p.name;
    this.change(m);
  };

  backToProposed = () => {
    if (!this.inferred) return;
    this.origin = { type: 'proposed' };
    this.questions = cloneJson(this.inferred.questions);
    this.change(cloneJson(this.inferred.mapping));
  };

  setFormat = (patch: Record<string, unknown>) => this.change(withFormat(this.mapping!, patch));

  setZone = (z: string) => this.change(withZone(this.mapping!, z));

  changeSheet = async (sheet: string) => {
    if (!(await this.infer(sheet))) return;
    this.questions = cloneJson(this.inferred!.questions);
    this.startEditing(cloneJson(this.inferred!.mapping), { type: 'proposed' });
  };

  // ---- The dry run (the preview of the first rows comes with it) ----------------------------

  private scheduleCheck() {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(this.runCheck, 450);
  }

  runCheck = async () => {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = null;
    if (!this.mapping || !this.file) return;
    this.checkAbort?.abort();
    const abort = (this.checkAbort = new AbortController());
    const rev = this.revision;
    this.checking = true;
    try {
      const res = await previewMapping($state.snapshot(this.mapping) as Mapping, this.file, abort.signal);
      if (rev !== this.revision) return;
      this.check = res;
      this.checkRevision = rev;
      this.checkError = null;
    } catch (e) {
      if (abort.signal.aborted || rev !== this.revision) return;
      this.checkError = { detail: errorText(e), lines: problemLines(e) };
      this.check = null;
      this.checkRevision = -1;
    } finally {
      if (rev === this.revision) this.checking = false;
    }
  };

  // ---- Step 4: save -------------------------------------------------------------------------

  save = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!this.mapping || !this.clean) return;
    this.saving = true;
    this.saveError = null;
    this.nameTaken = false;
    const name = this.sourceName.trim();
    try {
      const body = { name, mapping: $state.snapshot(this.mapping) as Mapping };
      const result = this.saved ? await updateSource(this.saved.id, body) : await createSource(body);
      this.saved = result;
      this.savedRevision = this.revision;
      this.justSaved =
        this.saved && result.version > 1
          ? `Saved “${result.name}” as version ${result.version}.`
          : `Saved “${result.name}”.`;
      await invalidate('admin:sources');
      await this.go(4);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        this.nameTaken = true;
        await tick();
        document.getElementById('source-name')?.focus();
      } else this.saveError = errorText(err);
    } finally {
      this.saving = false;
    }
  };

  // ---- Step 5: import -----------------------------------------------------------------------

  runImport = async () => {
    if (!this.file || !this.saved) return;
    this.importPhase = 'uploading';
    this.importSent = 0;
    this.importTotal = this.file.size;
    this.imported = null;
    this.importAbort = new AbortController();
    try {
      const result = await ingestThroughSource(this.saved.id, this.file, false, {
        signal: this.importAbort.signal,
        onProgress: (s, t) => {
          this.importSent = s;
          this.importTotal = t || this.importTotal;
        },
        onSent: () => (this.importPhase = 'processing'),
      });
      this.imported = { type: 'ok', result };
    } catch (e) {
      const refusal = refusalOf(e);
      this.imported = refusal ? { type: 'problems', refusal } : { type: 'error', detail: errorText(e) };
    } finally {
      this.importPhase = 'idle';
      this.importAbort = null;
      await invalidate('admin:imports');
    }
  };

  anotherFile = async () => {
    this.useSourceId = this.saved?.id ?? null;
    await this.go(0);
    document.getElementById('use-source-file')?.focus();
  };
}
