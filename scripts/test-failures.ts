/**
 * The failures of a TAP report, each with the first lines of its error, for a digest printed at the end of
 * `npm test`: CI shows the tail of the output, and a failure's reason otherwise sits hundreds of lines above.
 * TODO and SKIP results are not failures.
 */

export interface Failure {
  name: string;
  error: string[];
}

const NOT_OK = /^(\s*)not ok \d+ - (.*)$/;
const DIRECTIVE = /\s#\s*(TODO|SKIP)\b/i;
const MAX_ERROR_LINES = 12;

/** A YAML scalar as the reporter writes it: single-quoted, with '' for a quote. */
function unquote(value: string): string {
  return /^'.*'$/.test(value) ? value.slice(1, -1).replaceAll("''", "'") : value;
}

export class FailureCollector {
  readonly failures: Failure[] = [];
  private current: { failure: Failure; indent: number; inError: boolean; errorIndent: number } | undefined;

  /** One line of the report, without its newline. */
  line(line: string): void {
    const notOk = NOT_OK.exec(line);
    if (notOk) {
      this.current = undefined;
      if (DIRECTIVE.test(notOk[2]!)) return;
      const failure = { name: notOk[2]!, error: [] };
      this.failures.push(failure);
      this.current = { failure, indent: notOk[1]!.length, inError: false, errorIndent: 0 };
      return;
    }
    const c = this.current;
    if (!c) return;
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    if (text === '...' || (indent <= c.indent && text !== '')) {
      this.current = undefined;
      return;
    }
    if (c.inError) {
      if (indent > c.errorIndent && c.failure.error.length < MAX_ERROR_LINES)
        c.failure.error.push(line.slice(c.errorIndent + 2).trimEnd());
      else if (indent <= c.errorIndent) c.inError = false;
      return;
    }
    const error = /^error: (.*)$/.exec(text);
    if (!error) return;
    if (/^[|>]-?$/.test(error[1]!)) {
      c.inError = true;
      c.errorIndent = indent;
    } else c.failure.error.push(unquote(error[1]!));
  }

  /** The digest: each failure's name and error, the cancelled-by-parent ones folded into a count. */
  digest(max = 15): string[] {
    const cancelled = (f: Failure) => f.error.some((e) => e.includes('did not finish before its parent'));
    // A suite that failed only because a case inside it did: the case is listed already.
    const onlyChildren = (f: Failure) => f.error.length === 1 && /^\d+ subtests? failed$/.test(f.error[0]!);
    const shown = this.failures.filter((f) => !cancelled(f) && !onlyChildren(f));
    const folded = this.failures.filter(cancelled).length;
    const lines = shown.slice(0, max).flatMap((f) => [`✖ ${f.name}`, ...f.error.map((e) => `    ${e}`)]);
    if (shown.length > max) lines.push(`... and ${shown.length - max} more`);
    if (folded > 0) lines.push(`(${folded} more cancelled because a hook or parent above failed)`);
    return lines;
  }
}
