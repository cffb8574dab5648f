/**
 * Syntax errors of one query option: every one names what was expected and where (0-based offset in the
 * decoded option value). $filter uses Graph's "Invalid filter clause" wording, the others "Invalid $x clause".
 */
import { errors } from '../../errors/catalog.js';
import type { ODataError } from '../../errors/odata-error.js';

export type SyntaxErrorFactory = (detail: string, position: number) => ODataError;

export function syntaxErrorFor(option: string): SyntaxErrorFactory {
  return option === '$filter' ? (detail, position) => errors.invalidFilter(detail, position) : (detail, position) => errors.invalidQuery(option, detail, position);
}
