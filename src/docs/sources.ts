/**
 * Where the method pages and the benchmark results come from: bundled at build time by Vite (import.meta.glob with
 * ?raw), loaded lazily so that neither the Markdown nor the results weigh on the main bundle. Nothing is fetched
 * from outside the app. A method's page lives in its folder (src/methods/<name>/<page>.md, named by its spec's
 * `docsPage`); the overview of all methods is docs/methods/index.md. A page is known by its file name ("cg").
 */

const PAGE_LOADERS: Record<string, () => Promise<string>> = {
  ...import.meta.glob<string>('/docs/methods/*.md', { query: '?raw', import: 'default' }),
  ...import.meta.glob<string>('/src/methods/*/*.md', { query: '?raw', import: 'default' }),
};
const RESULT_LOADERS = import.meta.glob<unknown>('/bench/results/*.json', { import: 'default' });

const stripSlash = (p: string) => p.replace(/^\//, '');
const nameOf = (p: string) => p.replace(/^.*\/(.+)\.md$/, '$1');

/** Page name → bundled path ("/src/methods/cg/cg.md"); pages.test.ts checks that no two pages share a name. */
const PATH_OF = new Map(Object.keys(PAGE_LOADERS).map((p) => [nameOf(p), p] as const));

/** Page name ("cg") → repository path of its Markdown ("src/methods/cg/cg.md"), undefined when there is none. */
export function pagePath(name: string): string | undefined {
  const p = PATH_OF.get(name);
  return p && stripSlash(p);
}

/** Names of all pages ("index", "cg", …). */
export function pageNames(): string[] {
  return Object.keys(PAGE_LOADERS).map(nameOf).sort();
}

export async function loadPage(name: string): Promise<string | undefined> {
  const p = PATH_OF.get(name);
  return p ? PAGE_LOADERS[p]() : undefined;
}

export async function loadAllPages(): Promise<Record<string, string>> {
  const names = pageNames();
  const texts = await Promise.all(names.map((n) => loadPage(n)));
  const out: Record<string, string> = {};
  names.forEach((n, i) => (out[n] = texts[i] ?? ''));
  return out;
}

/** Every results file written by the benchmarks, by repository path ("bench/results/<name>.json"). */
export async function loadResults(): Promise<Record<string, unknown>> {
  const entries = await Promise.all(Object.entries(RESULT_LOADERS).map(async ([p, load]) => [stripSlash(p), await load()] as const));
  return Object.fromEntries(entries);
}
