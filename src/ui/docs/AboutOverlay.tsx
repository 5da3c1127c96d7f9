import { useEffect, useState, type MouseEvent } from 'react';
import 'katex/dist/katex.min.css';
import { CATALOG, findSpec, defaultHyper } from '../../methods/registry';
import { renderPage, type RenderedPage } from '../../docs/render';
import { loadAllPages, loadPage, loadResults, pagePath } from '../../docs/sources';
import { useStore } from '../../state/store';
import './docs.css';

/**
 * The "About this method" view and the (i) explanation of a plot, both rendered from the method pages
 * (src/methods/<name>/<page>.md). This module
 * is loaded lazily (React.lazy in App.tsx): Markdown, KaTeX and its CSS and fonts load only when a page is opened.
 */
export default function AboutOverlay() {
  const about = useStore((s) => s.about);
  const plotInfo = useStore((s) => s.plotInfo);
  if (about) return <MethodPage />;
  if (plotInfo) return <PlotExplanation id={plotInfo} />;
  return null;
}

const findSpecByPage = (name: string) => CATALOG.find((s) => s.docsPage === name);

function MethodPage() {
  const about = useStore((s) => s.about)!;
  const setAbout = useStore((s) => s.setAbout);
  const [page, setPage] = useState<RenderedPage | { error: string } | null>(null);
  const spec = about.page ? findSpecByPage(about.page) : findSpec(about.algorithm);
  const pageName = about.page ?? spec?.docsPage;
  const close = () => setAbout(null);
  // A link to another page opens that page here (with its method's defaults); other links leave the app.
  const onClick = (e: MouseEvent) => {
    const a = (e.target as HTMLElement).closest('a[data-page]');
    if (!a) return;
    e.preventDefault();
    const name = a.getAttribute('data-page')!;
    const target = findSpecByPage(name);
    setAbout({ algorithm: target?.id ?? '', page: name, source: 'defaults' });
  };
  useEffect(() => {
    let live = true;
    setPage(null);
    (async () => {
      if (!pageName) return { error: `There is no method "${about.algorithm}".` };
      const [source, results] = await Promise.all([loadPage(pageName), loadResults()]);
      if (source === undefined) return { error: `There is no method page named "${pageName}".` };
      const hyper = about.hyper ?? (spec ? defaultHyper(spec) : undefined);
      return renderPage(source, { hyper, hyperSource: about.hyper ? about.source : 'defaults', results });
    })().then((p) => live && setPage(p), (err) => live && setPage({ error: String(err) }));
    return () => void (live = false);
  }, [about, spec, pageName]);
  return (
    <div className="overlay" role="dialog" aria-label="About this method" data-testid="about-view" onClick={close}>
      <div className="overlay-box doc-page" onClick={(e) => e.stopPropagation()}>
        <div className="doc-head">
          <span className="doc-source">
            {about.source === 'run' ? 'values of this run' : 'default values'} · {(pageName && pagePath(pageName)) ?? '?'}
          </span>
          <button onClick={close} data-testid="about-close">close</button>
        </div>
        {!page && <p>Loading…</p>}
        {page && 'error' in page && <p className="error" role="alert">{page.error}</p>}
        {page && 'html' in page && <article className="doc-body" data-testid="about-body" onClick={onClick} dangerouslySetInnerHTML={{ __html: page.html }} />}
      </div>
    </div>
  );
}

function PlotExplanation({ id }: { id: string }) {
  const setPlotInfo = useStore((s) => s.setPlotInfo);
  const [found, setFound] = useState<{ title: string; html: string }[] | null>(null);
  const close = () => setPlotInfo(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const [pages, results] = await Promise.all([loadAllPages(), loadResults()]);
      const out: { title: string; html: string }[] = [];
      for (const source of Object.values(pages)) {
        // Hyper placeholders are not expected in plot paragraphs; render with no run values.
        const page = renderPage(source, { results });
        if (page.plots[id]) out.push({ title: page.title, html: page.plots[id] });
      }
      return out;
    })().then((v) => live && setFound(v), () => live && setFound([]));
    return () => void (live = false);
  }, [id]);
  return (
    <div className="overlay" role="dialog" aria-label="About this plot" data-testid="plot-info-view" onClick={close}>
      <div className="overlay-box doc-page plot-info-box" onClick={(e) => e.stopPropagation()}>
        <div className="doc-head">
          <span className="doc-source">about this plot</span>
          <button onClick={close}>close</button>
        </div>
        {!found && <p>Loading…</p>}
        {found && found.length === 0 && <p>No page explains this plot yet.</p>}
        {found?.map((f) => (
          <section key={f.title} className="doc-body">
            <h3>{f.title}</h3>
            <div dangerouslySetInnerHTML={{ __html: f.html }} />
          </section>
        ))}
      </div>
    </div>
  );
}
