// The shape of a preset, apart from the list so each preset's module can use it.
import type { Mapping } from '../mapping';

/** What `becomes` says of a vendor field the preset leaves out on purpose. */
export const NOT_IMPORTED = 'not imported';

export interface PresetField {
  /** The vendor's column (a header, or a dotted JSON path). */
  column: string;
  /** The contract fields it feeds, as `kind.field` (several joined by '; '), or NOT_IMPORTED. */
  becomes: string;
  note?: string;
}

export interface Preset {
  id: string;
  name: string;
  description: string;
  /** the vendor fields it reads and what each becomes, for the docs page and the wizard */
  fields: PresetField[];
  mapping: Mapping;
}
