import { describe, expect, it } from 'vitest';
import { formatFigure, formulasOf, placeholdersOf, renderPage, resolveResult } from './render';

const PAGE = [
  '# Test method',
  '',
  'Step $\\gamma$ now {{hyper:lr}}; momentum {{hyper:momentum}}; flag {{hyper:probe}}.',
  '',
  'Measured {{results:bench/results/x.json#a.b}} and {{results:bench/results/x.json#a.missing}} and {{results:bench/results/none.json#a}}.',
  '',
  'Literal `{{hyper:lr}}` in code stays text.',
  '',
  '$$',
  'x_{k+1} = x_k - \\gamma \\nabla f(x_k)',
  '$$',
  '',
  '{{plot:my-plot}} **My plot.** What it shows, with $\\alpha$.',
  '',
  'See [the other page](other.md) and [a paper](https://example.org/p).',
].join('\n');

describe('method page renderer', () => {
  const results = { 'bench/results/x.json': { a: { b: 0.000123456 } } };
  const page = renderPage(PAGE, { hyper: { lr: 0.01, momentum: 0.9, probe: true }, hyperSource: 'run', results });

  it('substitutes the run’s current hyperparameter values', () => {
    expect(page.html).toContain('<code class="hyper-value" data-hyper="lr">0.01</code>');
    expect(page.html).toContain('data-hyper="momentum">0.9</code>');
    expect(page.html).toContain('data-hyper="probe">on</code>');
    expect(page.html).not.toContain('(default)');
    expect(renderPage(PAGE, { hyper: { lr: 1, momentum: 0, probe: false }, hyperSource: 'defaults' }).html).toContain('1</code> (default)');
  });

  it('fills measured figures from results files, and marks the missing ones visibly and in `unresolved`', () => {
    expect(page.html).toContain('>1.23e-4</span>');
    expect((page.html.match(/not measured yet/g) ?? []).length).toBe(2);
    expect(page.unresolved).toEqual([
      'results:bench/results/x.json#a.missing (no value at a.missing in bench/results/x.json)',
      'results:bench/results/none.json#a (no results file bench/results/none.json)',
    ]);
  });

  it('leaves placeholders inside code spans alone', () => {
    expect(page.html).toContain('<code>{{hyper:lr}}</code>');
    expect(placeholdersOf(PAGE).filter((p) => p.kind === 'hyper').length).toBe(3);
  });

  it('renders inline and display math with KaTeX', () => {
    expect(page.html).toContain('class="katex"');
    expect(page.html).toContain('katex-display');
    expect(formulasOf(PAGE).map((f) => f.display)).toEqual([false, true, false]);
  });

  it('extracts the paragraph of each plot, with its math, and anchors it in the page', () => {
    expect(Object.keys(page.plots)).toEqual(['my-plot']);
    expect(page.plots['my-plot']).toContain('<strong>My plot.</strong>');
    expect(page.plots['my-plot']).toContain('class="katex"');
    expect(page.plots['my-plot']).not.toContain('Step');
    expect(page.html).toContain('data-plot-paragraph="my-plot"');
  });

  it('marks links between pages for the in-app view and opens outside links in a new tab', () => {
    expect(page.html).toContain('data-page="other"');
    expect(page.html).toMatch(/href="https:\/\/example.org\/p"[^>]*target="_blank"/);
    expect(page.title).toBe('Test method');
  });

  it('reports a hyperparameter the page names but the method lacks', () => {
    const p = renderPage('{{hyper:nope}}', { hyper: { lr: 1 } });
    expect(p.unresolved).toEqual(['hyper:nope (no such setting)']);
    expect(p.html).toContain('no such setting');
  });

  it('refuses raw HTML in pages', () => {
    expect(renderPage('<script>alert(1)</script>').html).not.toContain('<script>');
  });

  it('formats figures with three significant digits', () => {
    expect(formatFigure(0.91534)).toBe('0.915');
    expect(formatFigure(1.5e-7)).toBe('1.5e-7');
    expect(formatFigure(725)).toBe('725');
    expect(resolveResult('bench/results/x.json', {}).error).toMatch(/#path/);
  });
});
