import type { CheckResult } from '../../model/check-result.ts';
import { DEFAULT_FAIL_ON } from '../../model/fail-on.ts';
import type { FailOn } from '../../model/fail-on.ts';
import { escapeMarkdown } from './markdown-escape.ts';
import type { DetailLevel } from './markdown-migration.ts';
import { migrationDetailsMarkdown } from './markdown-migration.ts';
import {
  footerMarkdown,
  historyMarkdown,
  migrationTable,
  replayFailuresMarkdown,
  replayLine,
  targetMarkdown,
} from './markdown-overview.ts';
import { checkVerdict } from './verdict.ts';
import type { RuleDocs } from './rule-docs.ts';

/** The one-line verdict, also for logs: see verdict.ts. */
export { checkVerdict } from './verdict.ts';

/** GitHub's limit on the body of an issue or pull-request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** How {@link renderCheckMarkdown} renders. */
export interface MarkdownOptions {
  /** A heading above the verdict, e.g. `migration-gate · production`; escaped. */
  readonly title?: string;
  /**
   * A line put first verbatim, e.g. the hidden `<!-- migration-gate: ... -->` marker a sticky
   * comment is found by. It is the caller's own text, not user data, so it is not escaped; it
   * counts against `maxLength`.
   */
  readonly marker?: string;
  /**
   * The most characters the text may have (GitHub comments: {@link GITHUB_COMMENT_LIMIT}). When the
   * full report is longer, migration details are shortened, then left out, largest first; the
   * verdict, history problems, table and target are kept.
   */
  readonly maxLength?: number;
  /** Where the full report is, said when details were left out, e.g. `Full report in the job summary.` */
  readonly fullReportHint?: string;
  /** Where each rule's page is, to link the rules of the risks to it. */
  readonly ruleDocs?: RuleDocs;
  /** What the verdict is judged by: the run's `fail-on` (default: error, as both shells). */
  readonly failOn?: FailOn;
}

/**
 * The check as GitHub-flavoured markdown, for the PR comment, the job summary and
 * `check --format markdown` alike: a one-line verdict; history problems and replay failures;
 * a table of the migrations under proof; the target's status; then one collapsible block per
 * migration with its SQL, schema changes, residue and risks. User data is escaped (see
 * markdown-escape.ts). Pure: no I/O.
 */
export function renderCheckMarkdown(result: CheckResult, options: MarkdownOptions = {}): string {
  const head = [
    ...(options.marker === undefined ? [] : [options.marker]),
    ...(options.title === undefined ? [] : [`### ${escapeMarkdown(options.title)}`]),
    `**${checkVerdict(result, options.failOn ?? DEFAULT_FAIL_ON)}**`,
    historyMarkdown(result.historyProblems ?? []),
    replayFailuresMarkdown(result.replayed),
    migrationTable(result.migrations),
    replayLine(result.replayed),
    result.target === undefined ? undefined : targetMarkdown(result.target),
  ].filter((part) => part !== undefined);
  const footer = footerMarkdown(result);
  const details = new Details(result, options.ruleDocs);
  const assemble = (hint?: string) =>
    `${[...head, ...(hint === undefined ? [] : [hint]), ...details.shown(), footer].join('\n\n')}\n`;

  const full = assemble();
  const maxLength = options.maxLength;
  if (maxLength === undefined || full.length <= maxLength) return full;

  const pointer = options.fullReportHint === undefined ? '' : ` ${escapeMarkdown(options.fullReportHint)}`;
  const hint = `_ℹ️ Some details were shortened or left out to fit.${pointer}_`;
  // Lengths are counted, not re-rendered: a history of thousands would otherwise take seconds.
  const fixed = `${[...head, hint, footer].join('\n\n')}\n`.length;
  while (fixed + details.length() > maxLength) {
    if (!details.shortenLargest()) return cutToFit(head, hint, footer, maxLength);
  }
  return assemble(hint);
}

/** The per-migration blocks, each shown in full, shortened, or left out. */
class Details {
  readonly #result: CheckResult;
  readonly #levels: (DetailLevel | undefined)[];
  readonly #texts: (string | undefined)[];
  readonly #ruleDocs: RuleDocs | undefined;

  constructor(result: CheckResult, ruleDocs: RuleDocs | undefined) {
    this.#result = result;
    this.#ruleDocs = ruleDocs;
    this.#levels = result.migrations.map(() => 'full');
    this.#texts = result.migrations.map((migration) => migrationDetailsMarkdown(migration, 'full', ruleDocs));
  }

  shown(): string[] {
    return this.#texts.filter((text) => text !== undefined);
  }

  /** What the shown blocks add to the report, separators included. */
  length(): number {
    return this.shown().reduce((sum, text) => sum + text.length + 2, 0);
  }

  /**
   * Shortens the longest block still shown (the last among equals), or leaves it out when it
   * is short already; false when nothing is left to take away.
   */
  shortenLargest(): boolean {
    let index: number | undefined;
    for (const [at, text] of this.#texts.entries()) {
      if (text !== undefined && (index === undefined || text.length >= this.#texts[index]!.length))
        index = at;
    }
    if (index === undefined) return false;
    const short =
      this.#levels[index] === 'full'
        ? migrationDetailsMarkdown(this.#result.migrations[index]!, 'short', this.#ruleDocs)
        : undefined;
    const shorter = short !== undefined && short.length < this.#texts[index]!.length;
    this.#levels[index] = shorter ? 'short' : undefined;
    this.#texts[index] = shorter ? short : undefined;
    return true;
  }
}

/**
 * The last resort when even the overview is too long (thousands of rows): whole lines of it,
 * from the top, while they fit. The overview holds no code fence and no `<details>`, so a cut
 * between lines leaves valid markdown.
 */
function cutToFit(head: readonly string[], hint: string, footer: string, maxLength: number): string {
  const ending = `\n\n${hint}\n\n${footer}\n`;
  const kept: string[] = [];
  let length = ending.length - 1;
  for (const line of head.join('\n\n').split('\n')) {
    length += line.length + 1;
    if (length > maxLength) break;
    kept.push(line);
  }
  return `${kept.join('\n')}${ending}`;
}
