declare module 'markdown-it-texmath' {
  import type { MarkdownIt } from 'markdown-it';
  const texmath: (md: MarkdownIt, options: { engine: unknown; delimiters?: string | string[]; katexOptions?: Record<string, unknown> }) => void;
  export default texmath;
}
