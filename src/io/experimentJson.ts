import { findNodeAtLocation, parseTree, printParseErrorCode, visit, type Node, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import type { Experiment } from '../engine/experiment';
import { showValue, validateExperiment, type PathKey, type Validated } from '../url/validate';

/**
 * The experiment as a JSON file: the same object as the link carries, plus — on request — each run's trained
 * weights (flattened, with the layer sizes). Import accepts only this kind of file (with the experiment's format
 * version inside), validates the experiment like a link, and names the line and column of any problem; a file
 * with errors changes nothing.
 */
export const EXPERIMENT_FILE_KIND = 'optimizer-playground-experiment';

export interface ExperimentFile {
  kind: typeof EXPERIMENT_FILE_KIND;
  experiment: Experiment;
  weights?: ({ sizes: number[]; flat: number[] } | null)[];
}

export function experimentFileJson(e: Experiment, weights?: ExperimentFile['weights']): string {
  const file: ExperimentFile = { kind: EXPERIMENT_FILE_KIND, experiment: e, ...(weights ? { weights } : {}) };
  return JSON.stringify(file, null, 2);
}

/** Line and column (both from 1) of a character offset. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

const where = (text: string, offset: number) => {
  const { line, column } = lineCol(text, offset);
  return `line ${line}, column ${column}`;
};

const PROBLEM: Record<string, string> = {
  InvalidSymbol: 'is not JSON',
  InvalidNumberFormat: 'is not a JSON number',
  PropertyNameExpected: 'where a quoted field name was expected',
  ValueExpected: 'where a value was expected',
  ColonExpected: 'where a ":" was expected',
  CommaExpected: 'where a "," was expected',
  CloseBraceExpected: 'where a "}" was expected',
  CloseBracketExpected: 'where a "]" was expected',
  EndOfFileExpected: 'after the end of the JSON value',
  InvalidCommentToken: '(comments are not allowed in JSON)',
  UnexpectedEndOfComment: '(an unclosed comment)',
  UnexpectedEndOfString: '(a text without its closing quote)',
  UnexpectedEndOfNumber: '(an unfinished number)',
  InvalidUnicode: '(a bad \\u escape)',
  InvalidEscapeCharacter: '(a bad escape)',
  InvalidCharacter: '(a control character inside a text)',
};

/** The first syntax error, at the offending token (jsonc-parser in strict JSON mode gives its offset). */
function syntaxError(text: string, err: ParseError): string {
  if (err.offset >= text.length) return `the file ends early (${where(text, text.length)}): the JSON is not complete`;
  // The token at the error, as the user typed it (up to the next delimiter).
  const token = /^[^\s,:{}[\]"]+|^"[^"\n]*"?|^./.exec(text.slice(err.offset))?.[0] ?? '';
  if (/^-?(NaN|Infinity)$/.test(token))
    return `${where(text, err.offset)}: ${token} is not allowed in JSON (Python's json module writes it for a non-finite number; write a finite number)`;
  return `${where(text, err.offset)}: unexpected ${JSON.stringify(token.length > 30 ? token.slice(0, 30) + '…' : token)} ${PROBLEM[printParseErrorCode(err.error)] ?? ''}`.trim();
}

/** A key given twice in one object: JSON.parse would silently keep the second. */
function duplicateKeyError(text: string): string | undefined {
  const stack: Set<string>[] = [];
  let found: string | undefined;
  visit(text, {
    onObjectBegin: () => void stack.push(new Set()),
    onObjectEnd: () => void stack.pop(),
    onObjectProperty: (name, offset) => {
      const keys = stack[stack.length - 1];
      if (!keys || found) return;
      if (keys.has(name)) found = `${where(text, offset)}: "${name}" appears twice in the same object (only one value can hold)`;
      keys.add(name);
    },
  });
  return found;
}

function lineOfPath(tree: Node | undefined, text: string, path: PathKey[]): string {
  if (!tree) return '';
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, path.slice(0, n));
    if (node) {
      // For a property, point at its key (the parent "property" node starts there).
      const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
      return ` (${where(text, at)})`;
    }
  }
  return '';
}

const fileSchema = z.strictObject({
  kind: z.literal(EXPERIMENT_FILE_KIND),
  experiment: z.unknown(),
  weights: z.array(z.union([z.null(), z.strictObject({ sizes: z.array(z.number()), flat: z.array(z.number()) })])).optional(),
});

export function parseExperimentFile(text: string): Validated<Experiment> {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length) return { ok: false, errors: [`the file is not valid JSON: ${syntaxError(text, errors[0])}`] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`the file is not valid JSON: ${(err as Error).message}`] };
  }
  const dup = duplicateKeyError(text);
  if (dup) return { ok: false, errors: [`the file is not usable: ${dup}`] };
  const tree = parseTree(text);

  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, errors: [`this is not an experiment file: it holds ${showValue(raw)} instead of an object with "kind": "${EXPERIMENT_FILE_KIND}"`] };
  const kind = (raw as Record<string, unknown>).kind;
  if (kind === undefined)
    return {
      ok: false,
      errors: [`this is not an experiment file of the playground: it has no "kind" (an experiment file is {"kind": "${EXPERIMENT_FILE_KIND}", "experiment": {…}}, as the JSON export writes it)`],
    };
  if (kind !== EXPERIMENT_FILE_KIND)
    return { ok: false, errors: [`this file is of kind ${showValue(kind)}; only experiment files ("${EXPERIMENT_FILE_KIND}") can be imported here${lineOfPath(tree, text, ['kind'])}`] };
  const file = fileSchema.safeParse(raw);
  if (!file.success) {
    const msgs = file.error.issues.flatMap((iss) =>
      iss.code === 'unrecognized_keys'
        ? iss.keys.map((k) => `${k} is not a field of an experiment file${lineOfPath(tree, text, [k])}`)
        : [`${iss.path.map(String).join('.')} is not valid in an experiment file: ${iss.message}${lineOfPath(tree, text, iss.path as PathKey[])}`],
    );
    return { ok: false, errors: msgs };
  }
  if (file.data.experiment === undefined) return { ok: false, errors: ['the file has no "experiment"'] };

  const res = validateExperiment(file.data.experiment);
  if (!res.ok)
    return {
      ok: false,
      errors: res.errors.map((m, i) => `${m}${lineOfPath(tree, text, ['experiment', ...(res.errorPaths?.[i] ?? [])])}`),
    };
  const warnings = [...res.warnings];
  if (file.data.weights?.some((w) => w !== null))
    warnings.push('the trained weights in the file are not loaded: the runs train again from the experiment’s own seeded start');
  return { ok: true, value: res.value, warnings };
}

