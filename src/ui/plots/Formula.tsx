import { useMemo } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';

/**
 * A quantity in a plot heading, typeset by KaTeX (bundled; no CDN). A formula KaTeX cannot parse is a bug in a
 * method's panel declaration: the unit test of the panels renders every formula with throwOnError, so here a
 * failure shows the TeX source rather than breaking the page.
 */
export function Formula({ tex }: { tex: string }) {
  const html = useMemo(() => katex.renderToString(tex, { throwOnError: false, output: 'html' }), [tex]);
  return <span className="plot-formula" dangerouslySetInnerHTML={{ __html: html }} />;
}
