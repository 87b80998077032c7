import { describe, expect, it } from 'vitest';
import { SeenIds } from '../../api/ingest/seen-ids';

describe('SeenIds', () => {
  it('answers true for a new id and false for one it has seen, across growth', () => {
    const seen = new SeenIds();
    // 300,000 ids: the table starts at 65,536 slots, so it grows three times on the way.
    for (let i = 0; i < 300_000; i++) expect(seen.add(`c${i}`)).toBe(true);
    let repeatsFound = 0;
    for (let i = 0; i < 300_000; i += 7) if (!seen.add(`c${i}`)) repeatsFound++;
    expect(repeatsFound).toBe(Math.ceil(300_000 / 7));
  });

  it('tells apart ids that differ only by order, length or case', () => {
    const seen = new SeenIds();
    for (const id of ['ab', 'ba', 'a', 'aa', 'AB', '', 'ab ', 'é', 'e\u0301']) expect(seen.add(id)).toBe(true);
    expect(seen.add('')).toBe(false);
    expect(seen.add('e\u0301')).toBe(false);
  });
});
