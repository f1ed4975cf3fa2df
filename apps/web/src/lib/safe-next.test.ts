import { describe, expect, it } from 'vitest';

import { safeNextPath } from './safe-next';

describe('safeNextPath', () => {
  it('keeps paths on this site', () => {
    expect(safeNextPath('/teams/demo/runs')).toBe('/teams/demo/runs');
    expect(safeNextPath('/runs/1?tab=epochs#best')).toBe('/runs/1?tab=epochs#best');
  });

  it('sends every way off the site to /', () => {
    for (const next of [null, '', 'https://evil.example/x', '//evil.example', '/\\127.0.0.1:8126/b', '/\t/127.0.0.1:8126/c', '/%09/x'.replace('%09', '\t'), '/\n/evil', 'javascript:alert(1)', '\\\\evil']) {
      expect(safeNextPath(next)).toBe('/');
    }
  });
});
