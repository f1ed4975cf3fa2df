import { describe, expect, it } from 'vitest';

import { hashWebSources } from './web-build';

describe('hashWebSources', () => {
  it('is stable for the same sources and environment', () => {
    expect(hashWebSources({})).toMatch(/^[0-9a-f]{16}$/);
    expect(hashWebSources({})).toBe(hashWebSources({}));
  });

  it('changes with what Next bakes into a build (NEXT_PUBLIC_*)', () => {
    expect(hashWebSources({ NEXT_PUBLIC_TITLE: 'a' })).not.toBe(hashWebSources({ NEXT_PUBLIC_TITLE: 'b' }));
  });

  it('ignores what the server reads when it runs (API_URL, PORT)', () => {
    expect(hashWebSources({ API_URL: 'http://127.0.0.1:4000', PORT: '3000' })).toBe(hashWebSources({ API_URL: 'http://10.0.0.2:4100', PORT: '3100' }));
  });
});
