import katex from 'katex';
import markdownIt, { type MarkdownIt, type StateInline, type Token } from 'markdown-it';
import texmath from 'markdown-it-texmath';

/**
 * Renders a method page (src/methods/<name>/<page>.md, or the overview docs/methods/index.md) to HTML: Markdown by markdown-it, $…$ and $$…$$ by KaTeX, and the
 * pages' placeholders:
 *   {{hyper:<key>}}                      the run's current value of a hyperparameter (or the catalogue default)
 *   {{results:<file>.json#<a.b.c>}}      a measured figure read from a results file written by a benchmark;
 *                                        missing file or key → a visible "not measured yet" marker
 *   {{plot:<id>}}                        at the start of a paragraph: that paragraph explains the plot <id>
 * Figures shown to users come only from results files, never from the page text (the trust rule of the brief).
 * Pure: no DOM, no fetching; the caller supplies the results files (see sources.ts).
 */

export type HyperValue = number | string | boolean;

export interface RenderContext {
  /** Current hyperparameter values of the run the page is opened from. */
  hyper?: Record<string, HyperValue>;
  /** Where `hyper` comes from: a live run, or catalogue/preset defaults (the text says which). */
  hyperSource?: 'run' | 'defaults';
  /** Results files by repository path, e.g. "bench/results/<name>.json" → parsed JSON. */
  results?: Record<string, unknown>;
}

export interface RenderedPage {
  html: string;
  /** Rendered paragraph of each plot id the page explains. */
  plots: Record<string, string>;
  /** Placeholders that could not be filled, e.g. "results:bench/results/x.json#a.b (no such file)". */
  unresolved: string[];
  title: string;
}

export interface Placeholder {
  kind: 'hyper' | 'results' | 'plot';
  arg: string;
}

const metaOf = (t: Token): Placeholder => t.meta as unknown as Placeholder;

const PLACEHOLDER = /^\{\{(hyper|results|plot):([^{}\s]+)\}\}/;

/** markdown-it inline rule: a `{{kind:arg}}` token (code spans are parsed first, so examples in backticks stay text). */
function placeholderRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x7b /* { */) return false;
  const m = PLACEHOLDER.exec(state.src.slice(state.pos));
  if (!m) return false;
  if (!silent) {
    const t = state.push('placeholder', '', 0);
    t.meta = { kind: m[1] as Placeholder['kind'], arg: m[2] } satisfies Placeholder as unknown as Token['meta'];
  }
  state.pos += m[0].length;
  return true;
}

function makeParser(katexOptions: Record<string, unknown>): MarkdownIt {
  // html: false — pages cannot inject markup; links open outside the app.
  const md = markdownIt({ html: false, linkify: false, typographer: false });
  md.use(texmath, { engine: katex, delimiters: 'dollars', katexOptions });
  md.inline.ruler.before('emphasis', 'placeholder', placeholderRule);
  return md;
}

const parser = makeParser({ throwOnError: false });
// Links out of the app open in a new tab; links between pages (relative paths to x.md, as they read on a code host:
// ../cg/cg.md between method folders) are handled by the view (data-page, the page name x).
parser.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const href = tokens[idx].attrGet('href') ?? '';
  const page = /^(?:[.\w-]+\/)*([\w-]+)\.md$/.exec(String(href));
  if (page) tokens[idx].attrSet('data-page', page[1]);
  else if (/^https?:/.test(String(href))) {
    tokens[idx].attrSet('target', '_blank');
    tokens[idx].attrSet('rel', 'noopener noreferrer');
  }
  return self.renderToken(tokens, idx, options);
};

/** Look up `a.b.0.c` in parsed JSON. */
export function lookupPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in (cur as Record<string, unknown>))) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A measured figure as shown: three significant digits, exponent notation for very small or large values. */
export function formatFigure(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(3)));
}

function formatHyper(v: HyperValue): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v);
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Resolve one results placeholder; `error` names what is missing. */
export function resolveResult(arg: string, results: Record<string, unknown> | undefined): { value?: string; error?: string } {
  const hash = arg.indexOf('#');
  if (hash < 0) return { error: 'no #path after the file name' };
  const file = arg.slice(0, hash);
  const path = arg.slice(hash + 1);
  const data = results?.[file];
  if (data === undefined) return { error: `no results file ${file}` };
  const v = lookupPath(data, path);
  if (typeof v === 'number') return { value: formatFigure(v) };
  if (typeof v === 'string') return { value: v };
  return { error: v === undefined ? `no value at ${path} in ${file}` : `the value at ${path} in ${file} is not a number or text` };
}

/** The plot id of a paragraph that starts with {{plot:id}}, given the paragraph's inline token. */
function plotIdOf(inline: Token | undefined): string | undefined {
  const first = inline?.children?.[0];
  return first?.type === 'placeholder' && metaOf(first).kind === 'plot' ? metaOf(first).arg : undefined;
}

export function renderPage(source: string, ctx: RenderContext = {}): RenderedPage {
  const unresolved: string[] = [];
  const env = {};
  const tokens = parser.parse(source, env);
  let title = '';
  const h1 = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1');
  if (h1 >= 0) title = tokens[h1 + 1]?.content ?? '';

  const rules = parser.renderer.rules;
  rules.placeholder = (toks, idx) => {
    const { kind, arg } = metaOf(toks[idx]);
    if (kind === 'plot') return `<span class="plot-anchor" id="plot-${escapeHtml(arg)}" aria-hidden="true"></span>`;
    if (kind === 'hyper') {
      // A page opened without a method (e.g. by a link from another page): name the setting, no value.
      if (!ctx.hyper) return `<code class="hyper-name">${escapeHtml(arg)}</code>`;
      const v = ctx.hyper[arg];
      if (v === undefined) {
        unresolved.push(`hyper:${arg} (no such setting)`);
        return `<span class="hyper-value missing">${escapeHtml(arg)}: no such setting</span>`;
      }
      const note = ctx.hyperSource === 'defaults' ? ' (default)' : '';
      return `<code class="hyper-value" data-hyper="${escapeHtml(arg)}">${escapeHtml(formatHyper(v))}</code>${note}`;
    }
    const r = resolveResult(arg, ctx.results);
    if (r.value !== undefined) return `<span class="measured" title="${escapeHtml(arg)}">${escapeHtml(r.value)}</span>`;
    unresolved.push(`results:${arg} (${r.error})`);
    return `<span class="not-measured" title="${escapeHtml(`${arg}: ${r.error}`)}">not measured yet</span>`;
  };

  // Mark plot paragraphs so that the page can be scrolled to one, and render each on its own for the (i) popups.
  const plots: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'paragraph_open') continue;
    const id = plotIdOf(tokens[i + 1]);
    if (!id) continue;
    tokens[i].attrSet('class', 'plot-paragraph');
    tokens[i].attrSet('data-plot-paragraph', id);
    let j = i;
    while (j < tokens.length && tokens[j].type !== 'paragraph_close') j++;
    plots[id] = parser.renderer.render(tokens.slice(i, j + 1), parser.options, env);
  }
  // The popups were rendered above: count their placeholders once, from the full page below.
  unresolved.length = 0;
  const html = parser.renderer.render(tokens, parser.options, env);
  return { html, plots, unresolved: Array.from(new Set(unresolved)), title };
}

/** Every placeholder of a page, in order (code spans excluded). */
export function placeholdersOf(source: string): Placeholder[] {
  const out: Placeholder[] = [];
  const walk = (toks: Token[]) => {
    for (const t of toks) {
      if (t.type === 'placeholder') out.push(metaOf(t));
      if (t.children) walk(t.children);
    }
  };
  walk(parser.parse(source, {}));
  return out;
}

/** Every formula of a page as KaTeX will see it (for the test that renders them with throwOnError). */
export function formulasOf(source: string): { tex: string; display: boolean }[] {
  const out: { tex: string; display: boolean }[] = [];
  const walk = (toks: Token[]) => {
    for (const t of toks) {
      if (t.type.startsWith('math_')) out.push({ tex: t.content, display: t.type.includes('block') || t.type.includes('double') });
      if (t.children) walk(t.children);
    }
  };
  walk(parser.parse(source, {}));
  return out;
}

/** Render one formula strictly: throws a KaTeX ParseError naming the problem. */
export function renderFormulaStrict(tex: string, display: boolean): string {
  return katex.renderToString(tex, { throwOnError: true, displayMode: display });
}

/** The Markdown source of the section under `## <heading>` (up to the next level-2 heading). */
export function sectionOf(source: string, heading: string): string | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim().toLowerCase() === `## ${heading}`.toLowerCase());
  if (start < 0) return undefined;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) if (/^## /.test(lines[i])) { end = i; break; }
  return lines.slice(start + 1, end).join('\n');
}
