/**
 * Where the method pages and the benchmark results come from: bundled at build time by Vite (import.meta.glob with
 * ?raw), loaded lazily so that neither the Markdown nor the results weigh on the main bundle. Nothing is fetched
 * from outside the app. Keys are repository paths without the leading slash ("docs/methods/cg.md").
 */

const PAGE_LOADERS = import.meta.glob<string>('/docs/methods/*.md', { query: '?raw', import: 'default' });
const RESULT_LOADERS = import.meta.glob<unknown>('/bench/results/*.json', { import: 'default' });

const stripSlash = (p: string) => p.replace(/^\//, '');

/** Page name ("cg") → repository path of its Markdown. */
export function pagePath(name: string): string {
  return `docs/methods/${name}.md`;
}

/** Names of all pages ("index", "cg", …). */
export function pageNames(): string[] {
  return Object.keys(PAGE_LOADERS).map((p) => p.replace(/^.*\/(.+)\.md$/, '$1')).sort();
}

export async function loadPage(name: string): Promise<string | undefined> {
  const load = PAGE_LOADERS[`/${pagePath(name)}`];
  return load ? load() : undefined;
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
