import { describe, expect, it } from 'vitest';

import { compareHref, parseRunIds } from './run-ids';

const A = '0b6c2a0e-8f1e-4a57-9d5c-2f0f8f1a0b11';
const B = '5d0e0c9a-1b2c-4d3e-8f4a-5b6c7d8e9f00';

describe('parseRunIds', () => {
  it('keeps run ids in order, once each, and drops anything else', () => {
    expect(parseRunIds(`${A},${B.toUpperCase()},${A},nope,,`)).toEqual([A, B]);
    expect(parseRunIds(null)).toEqual([]);
  });

  it('round-trips with compareHref', () => {
    const href = compareHref('vision', [A, B]);
    expect(parseRunIds(new URL(href, 'http://x').searchParams.get('runs'))).toEqual([A, B]);
  });
});
