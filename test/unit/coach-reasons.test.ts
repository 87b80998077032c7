// The agent page's contact reasons: most contacts first, ties by name, no reason after named ones.
import { describe, expect, it } from 'vitest';
import { sortReasons } from '../../web/src/lib/components/coach/reasons';

describe('sortReasons', () => {
  it('orders by contacts, then by name, and a missing reason after the named ones at a tie', () => {
    const sorted = sortReasons([
      { reason: 'Billing', contacts: 3 },
      { reason: null, contacts: 5 },
      { reason: 'Delivery', contacts: 5 },
      { reason: 'Returns', contacts: 3 },
      { reason: 'Account', contacts: 5 },
    ]);
    // A tie between a null reason and named ones used to throw (null.localeCompare).
    expect(sorted.map((r) => r.reason)).toEqual(['Account', 'Delivery', null, 'Billing', 'Returns']);
  });

  it('leaves its input alone', () => {
    const input = [
      { reason: 'b', contacts: 1 },
      { reason: 'a', contacts: 2 },
    ];
    sortReasons(input);
    expect(input.map((r) => r.reason)).toEqual(['b', 'a']);
  });
});
