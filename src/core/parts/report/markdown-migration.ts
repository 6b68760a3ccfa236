import type { CapturedStatement } from '../../model/captured-statement.ts';
import type { MigrationResult } from '../../model/migration-result.ts';
import type { Risk } from '../../model/risk.ts';
import { PASSING_STATUSES } from '../../model/migration-result.ts';
import { code, escapeHtml, escapeMarkdown, fencedBlock } from './markdown-escape.ts';
import { location } from './markdown-overview.ts';
import { metaWords } from './meta-words.ts';
import { riskCounts, riskMark } from './risk-counts.ts';
import { STATUS_WORDS } from './status-words.ts';
import type { RuleDocs } from './rule-docs.ts';
import { dataFindingsMarkdown, failsOnRows } from './data-finding-words.ts';

/** How much of a migration's details a report shows; reports shorten to fit a size. */
export type DetailLevel = 'full' | 'short';

/**
 * A migration's details as a collapsible `<details>` block, open when it fails the proof.
 * `full`: verdict, residue, schema changes, risks with their reasoning, the SQL of both
 * directions, notes. `short`: verdict, residue and one line per risk, no SQL.
 */
export function migrationDetailsMarkdown(
  migration: MigrationResult,
  level: DetailLevel,
  ruleDocs: RuleDocs = () => undefined,
): string {
  const failing = !PASSING_STATUSES.has(migration.status) || failsOnRows(migration);
  const sections = [
    `<details${failing ? ' open' : ''}><summary>${summaryOf(migration)}</summary>`,
    verdictOf(migration),
    metaOf(migration),
    list('What the down left different', migration.residue),
    dataFindingsMarkdown(migration.dataFindings),
  ];
  if (level === 'full') {
    sections.push(
      list('Schema changes of the up', migration.changes),
      risksFull(migration.risks, ruleDocs),
      statementsOf('Up', migration.statements?.up, migration.empty?.includes('up') === true, migration.risks),
      // Nothing ran down for a migration that has none, or says it cannot have one.
      migration.status === 'missing-down' || migration.status === 'declared-irreversible'
        ? undefined
        : statementsOf('Down', migration.statements?.down, migration.empty?.includes('down') === true),
      list('Notes', migration.notes),
    );
  } else {
    sections.push(risksShort(migration.risks, ruleDocs), '_SQL and further details left out to fit._');
  }
  sections.push('</details>');
  // Blank lines around every part: markdown resumes after the HTML of <details> only after one.
  return sections.filter((section) => section !== undefined).join('\n\n');
}

/** Raw HTML context: escaped for HTML only. */
function summaryOf(migration: MigrationResult): string {
  const mark = PASSING_STATUSES.has(migration.status) && !failsOnRows(migration) ? '✅' : '❌';
  const counts = riskCounts(migration);
  const risks =
    counts === undefined || counts.open === 0 ? '' : ` · ${counts.open} risk${counts.open === 1 ? '' : 's'}`;
  const found = migration.dataFindings?.length ?? 0;
  const data = found === 0 ? '' : ` · ${found} data finding${found === 1 ? '' : 's'}`;
  const breaking = migration.meta?.breaking === true ? ' · 💥 breaking' : '';
  return `${mark} <code>${escapeHtml(migration.name)}</code>: ${STATUS_WORDS[migration.status]}${risks}${data}${breaking}`;
}

/** What the migration declares about itself: description, breaking, tags, estimated duration. */
function metaOf(migration: MigrationResult): string | undefined {
  const words = metaWords(migration);
  if (words === undefined) return undefined;
  const lines = [
    ...(words.breaking ? ['- 💥 **Breaking change**, says its author'] : []),
    ...(words.description === undefined ? [] : [`- **Description:** ${escapeMarkdown(words.description)}`]),
    ...(words.tags === undefined ? [] : [`- **Tags:** ${words.tags.map(code).join(', ')}`]),
    ...(words.duration === undefined ? [] : [`- **Duration:** ${escapeMarkdown(words.duration)}`]),
  ];
  return lines.length === 0 ? undefined : lines.join('\n');
}

function verdictOf(migration: MigrationResult): string | undefined {
  const where = code(location(migration.file, migration.line));
  if (migration.status === 'declared-irreversible')
    return `Declared irreversible on purpose: ${escapeMarkdown(migration.reason ?? '(no reason given)')} (${where})`;
  if (migration.message !== undefined) return `**Why:** ${escapeMarkdown(migration.message)} (${where})`;
  return undefined;
}

function list(title: string, items: readonly string[] | undefined): string | undefined {
  if (items === undefined || items.length === 0) return undefined;
  return [`**${title}:**`, ...items.map((item) => `- ${escapeMarkdown(item)}`)].join('\n');
}

function risksFull(risks: readonly Risk[] | undefined, ruleDocs: RuleDocs): string | undefined {
  if (risks === undefined || risks.length === 0) return undefined;
  const items = risks.map((risk) =>
    [
      riskHeadline(risk, ruleDocs),
      `  - why: ${escapeMarkdown(risk.why)}`,
      `  - instead: ${escapeMarkdown(risk.instead)}`,
      ...(risk.evidence ?? []).map((fact) => `  - seen on the throwaway database: ${escapeMarkdown(fact)}`),
      ...(risk.statement === undefined ? [] : [`  - statement ${risk.statement + 1} of the up`]),
      ...(risk.acknowledged === undefined ? [] : [`  - acknowledged: ${escapeMarkdown(risk.acknowledged)}`]),
    ].join('\n'),
  );
  return ['**Risks:**', ...items].join('\n');
}

function risksShort(risks: readonly Risk[] | undefined, ruleDocs: RuleDocs): string | undefined {
  if (risks === undefined || risks.length === 0) return undefined;
  return ['**Risks:**', ...risks.map((risk) => riskHeadline(risk, ruleDocs))].join('\n');
}

/**
 * `- 🛑 <code>create-index-blocking</code>: creates index ... on orders`, the rule's code a
 * link to its page when the shell knows where the pages are.
 */
function riskHeadline(risk: Risk, ruleDocs: RuleDocs): string {
  const mark = riskMark(risk);
  const acknowledged = risk.acknowledged === undefined ? '' : ' (acknowledged)';
  const page = ruleDocs(risk.rule);
  const rule = page === undefined ? code(risk.rule) : `<a href="${escapeHtml(page)}">${code(risk.rule)}</a>`;
  return `- ${mark} ${rule}: ${escapeMarkdown(risk.what)}${acknowledged}`;
}

function statementsOf(
  direction: 'Up' | 'Down',
  statements: readonly CapturedStatement[] | undefined,
  empty: boolean,
  risks: readonly Risk[] = [],
): string {
  if (statements === undefined) return `**${direction} SQL:** not captured`;
  if (statements.length === 0) return `**${direction} SQL:** none${empty ? ' (empty file: a no-op)' : ''}`;
  const count = `${statements.length} statement${statements.length === 1 ? '' : 's'}`;
  const body = statements
    .map((statement, index) =>
      [
        // Comments above a statement point at what the reviewer should look at in it.
        ...risks
          .filter((risk) => risk.statement === index)
          .map((risk) => `-- ${riskMark(risk)} ${risk.rule}`),
        ...(statement.failed === true ? ['-- ❌ the database refused this statement'] : []),
        withSemicolon(statement.sql.trim()),
      ].join('\n'),
    )
    .join('\n\n');
  return `**${direction} SQL** (${count}):\n\n${fencedBlock('sql', body)}`;
}

function withSemicolon(statement: string): string {
  return statement.endsWith(';') ? statement : `${statement};`;
}
