import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../methods/registry';
import { formulasOf, placeholdersOf, renderFormulaStrict, renderPage, resolveResult, sectionOf } from './render';
import { pageNames, pagePath } from './sources';

/**
 * The method pages (src/methods/<name>/*.md, and the overview docs/methods/index.md) against the code: every method
 * of the catalogue has its page, every key of its hyperparameter schema is described there with the schema's range,
 * every formula renders in KaTeX without an error, every placeholder is well formed and resolves (or is reported as not measured yet), and every plot of the
 * app has its explanation.
 */

const ROOT = join(__dirname, '..', '..');
const METHODS_DIR = join(ROOT, 'src', 'methods');
/** Every page on disk, by name: the overview in docs/methods/ and each method folder's Markdown. */
const PAGE_FILES: [string, string][] = [
  ...readdirSync(join(ROOT, 'docs', 'methods')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', 'methods', f)),
  ...readdirSync(METHODS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(METHODS_DIR, d.name)).filter((f) => f.endsWith('.md')).map((f) => join(METHODS_DIR, d.name, f))),
].map((p) => [p.replace(/^.*\/(.+)\.md$/, '$1'), p]);
const PATHS = new Map(PAGE_FILES);
const read = (name: string) => readFileSync(PATHS.get(name) ?? join(ROOT, 'missing', `${name}.md`), 'utf8');
const pages = PAGE_FILES.map(([name]) => name);

/** Results files as the app bundles them (bench/results/*.json), read from disk. */
function resultsOnDisk(): Record<string, unknown> {
  const dir = join(ROOT, 'bench', 'results');
  if (!existsSync(dir)) return {};
  const out: Record<string, unknown> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) out[`bench/results/${f}`] = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  return out;
}

/** The bullet of `key` in a page's Hyperparameters section (from "- `key`" to the next bullet). */
function bulletOf(section: string, key: string): string | undefined {
  const m = new RegExp('^- `' + key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '`[\\s\\S]*?(?=^- `|^\\S|(?![\\s\\S]))', 'm').exec(section);
  return m?.[0];
}

describe('method pages', () => {
  it('Vite bundles exactly the pages on disk (import.meta.glob ?raw), each known by a name no other page has', () => {
    expect(new Set(pages).size, pages.join(' ')).toBe(pages.length);
    expect(pageNames()).toEqual([...pages].sort());
    for (const [name, path] of PAGE_FILES) expect(pagePath(name), name).toBe(relative(ROOT, path));
  });

  it('every link from a page to another page (x.md) points at a file that exists, so it works on a code host too', () => {
    for (const [name, path] of PAGE_FILES)
      for (const m of readFileSync(path, 'utf8').matchAll(/\]\(([^)\s]+\.md)\)/g)) {
        if (/^https?:/.test(m[1])) continue;
        expect(existsSync(join(path, '..', m[1])), `${name}.md links ${m[1]}`).toBe(true);
      }
  });

  it('every method of the catalogue has its page, with a title', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(7);
    for (const spec of CATALOG) {
      expect(pages, `${spec.id}: the page ${spec.docsPage}.md`).toContain(spec.docsPage);
      expect(read(spec.docsPage), spec.id).toMatch(/^# \S/);
    }
  });

  it('every page has the sections a reader looks for', () => {
    for (const spec of CATALOG) {
      const src = read(spec.docsPage);
      for (const h of ['The problem it solves', 'Pseudocode', 'Hyperparameters', 'Cost unit', 'Diagnostic plots', 'Known limits', 'Citation'])
        expect(sectionOf(src, h), `${spec.docsPage}.md: ## ${h}`).toBeDefined();
      expect(/^## Update rules?\b/m.test(src), `${spec.docsPage}.md: ## Update rule(s)`).toBe(true);
    }
  });

  it('every hyperparameter of a method’s schema is described on its page, with the schema’s range', () => {
    for (const spec of CATALOG) {
      const section = sectionOf(read(spec.docsPage), 'Hyperparameters')!;
      for (const h of spec.hyper) {
        const bullet = bulletOf(section, h.key);
        expect(bullet, `${spec.docsPage}.md describes \`${h.key}\``).toBeDefined();
        // a description, not just the name
        expect(bullet!.replace(/\s+/g, ' ').length, `${spec.docsPage}.md: \`${h.key}\` is explained`).toBeGreaterThan(40);
        if (h.kind === 'number' || h.kind === 'int') {
          const range = /range\s+\[([^,\]]+),\s*([^\]]+)\]/.exec(bullet!);
          expect(range, `${spec.docsPage}.md: \`${h.key}\` states its range`).not.toBeNull();
          expect([Number(range![1]), Number(range![2])], `${spec.docsPage}.md: range of \`${h.key}\``).toEqual([h.min, h.max]);
        }
        if (h.kind === 'choice') for (const o of h.options) expect(bullet, `${spec.docsPage}.md: \`${h.key}\` option ${o.value}`).toContain(o.value);
      }
    }
  });

  it('the bullet parser finds a key and not its neighbour (so the test above can fail)', () => {
    const section = '- `a` — first, a long enough explanation of the setting a, range [0, 1].\n- `b` — second.\n';
    expect(bulletOf(section, 'a')).toContain('range [0, 1]');
    expect(bulletOf(section, 'a')).not.toContain('second');
    expect(bulletOf(section, 'c')).toBeUndefined();
  });

  it('every formula on every page renders in KaTeX with throwOnError', () => {
    let n = 0;
    for (const name of pages)
      for (const f of formulasOf(read(name))) {
        n++;
        expect(() => renderFormulaStrict(f.tex, f.display), `${name}.md: $${f.tex}$`).not.toThrow();
      }
    expect(n).toBeGreaterThan(40);
    expect(() => renderFormulaStrict('\\frac{1}{', false)).toThrow();
  });

  it('every placeholder is well formed; hyper placeholders name settings of the page’s method', () => {
    for (const name of pages) {
      const spec = CATALOG.find((s) => s.docsPage === name);
      for (const p of placeholdersOf(read(name))) {
        if (p.kind === 'results') expect(p.arg, `${name}.md`).toMatch(/^bench\/results\/[\w.-]+\.json#[\w.-]+$/);
        if (p.kind === 'plot') expect(p.arg, `${name}.md`).toMatch(/^[\w-]+$/);
        if (p.kind === 'hyper' && spec) expect(spec.hyper.map((h) => h.key), `${name}.md: {{hyper:${p.arg}}}`).toContain(p.arg);
      }
    }
  });

  it('every results placeholder resolves from bench/results (an unresolved one would be reported and shown as "not measured yet")', () => {
    const results = resultsOnDisk();
    const missing: string[] = [];
    for (const name of pages) {
      const src = read(name);
      const expected = placeholdersOf(src)
        .filter((p) => p.kind === 'results')
        .filter((p) => resolveResult(p.arg, results).error !== undefined)
        .map((p) => p.arg);
      const page = renderPage(src, { results });
      // the renderer reports exactly the placeholders that do not resolve, and marks each of them visibly
      expect(page.unresolved.map((u) => u.replace(/^results:(\S+) .*$/, '$1')).sort(), name).toEqual([...new Set(expected)].sort());
      expect((page.html.match(/class="not-measured"/g) ?? []).length, name).toBeGreaterThanOrEqual(new Set(expected).size);
      missing.push(...expected.map((e) => `${name}.md: ${e}`));
    }
    // The renderer copes with a missing figure, but a shipped page quotes only figures a benchmark has written.
    expect(missing, 'figures not measured yet: run the benchmark named in bench/results/README or `npm run bench:methods`').toEqual([]);
  });

  it('pages contain no measured figure typed by hand in their "Known limits"', () => {
    // Limits quote measurements only through {{results:…}}; a decimal such as 0.87 or 1.5e-6 typed there fails.
    for (const name of pages) {
      const limits = sectionOf(read(name), 'Known limits');
      if (!limits) continue;
      const text = limits.replace(/\{\{[^}]*\}\}/g, '').replace(/\$[^$]*\$/g, '');
      expect(text.match(/\b\d+\.\d+(e-?\d+)?\b|\b\d+e-?\d+\b|\d+\s?%/g), `${name}.md`).toBeNull();
    }
  });

  it('every plot of the app is explained by exactly one paragraph, and every plot paragraph names a plot of the app', () => {
    // Plots drawn by the Plot component (which carries the (i)): id="literal" or id={CONSTANT}.
    const ids = new Set<string>();
    const constants = new Map<string, string>();
    const byConstant: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, f.name);
        if (f.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f.name) && !/\.test\.tsx?$/.test(f.name)) {
          const src = readFileSync(p, 'utf8');
          for (const m of src.matchAll(/const (\w+_PLOT_ID)\s*=\s*'([\w-]+)'/g)) constants.set(m[1], m[2]);
          for (const m of src.matchAll(/<(?:Plot|ExtraPlot|LayerPlot)\b[^>]*?\bid="([\w-]+)"/g)) ids.add(m[1]);
          // Method panels declared as data in src/methods/<name>/panels.ts (drawn by MethodPanels through Plot).
          for (const m of src.matchAll(/kind: '(?:series|perLayer|custom)', id: '([\w-]+)'/g)) ids.add(m[1]);
          for (const m of src.matchAll(/<(?:Plot|ExtraPlot|LayerPlot)\b[^>]*?\bid=\{(\w+)\}/g)) byConstant.push(m[1]);
        }
      }
    };
    walk(join(ROOT, 'src'));
    for (const c of byConstant) {
      expect(constants.has(c), `plot id constant ${c}`).toBe(true);
      ids.add(constants.get(c)!);
    }

    expect(ids.size, relative(ROOT, 'src')).toBeGreaterThan(15);
    const explained = new Map<string, string[]>();
    for (const name of pages)
      for (const p of placeholdersOf(read(name))) if (p.kind === 'plot') explained.set(p.arg, [...(explained.get(p.arg) ?? []), name]);
    for (const id of ids) expect(explained.get(id), `plot "${id}" has a paragraph in a method page`).toBeDefined();
    for (const [id, where] of explained) {
      expect(ids, `${where.join(', ')}: {{plot:${id}}} is a plot of the app`).toContain(id);
      expect(where.length, `plot "${id}" is explained once (${where.join(', ')})`).toBe(1);
    }
  });
});
