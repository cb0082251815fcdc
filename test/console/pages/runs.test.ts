import { describe, expect, it } from 'vitest';
import { renderRuns } from '../../../src/console/pages/runs.js';

describe('renderRuns', () => {
  it('says there is no run yet, and keeps the filters chosen in the form', () => {
    expect(renderRuns({ query: { page: 1 }, total: 0, perPage: 50, runs: [] }).text).toContain('No runs yet.');
    const filtered = renderRuns({ query: { page: 1, outcome: 'failed', user: '"><b>' }, total: 0, perPage: 50, runs: [] }).text;
    expect(filtered).toContain('No run matches these filters.');
    expect(filtered).toContain('<option value="failed" selected>failed</option>');
    expect(filtered).toContain('value="&quot;&gt;&lt;b&gt;"');
  });

  it('links the older and newer pages, keeping the filters', () => {
    const page = renderRuns({ query: { page: 2, kind: 'full' }, total: 120, perPage: 50, runs: [] }).text;
    expect(page).toContain('<a rel="prev" href="/runs?kind=full&amp;page=1">');
    expect(page).toContain('<a rel="next" href="/runs?kind=full&amp;page=3">');
    expect(page).toContain('Page 2 of 3 (120 in all)');
  });
});
