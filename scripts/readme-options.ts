// The README's option tables, rendered from the option catalogue and the shells' own options,
// so that the README cannot disagree with --help and action.yml. write-readme-options.ts
// writes them; a test fails while the README holds others.
import { ACTION_INPUTS, COMMAND, actionInputDescription } from '../src/action/input-catalogue.ts';
import { CLI_OPTIONS, ENVIRONMENT_FALLBACKS } from '../src/cli/cli-options.ts';
import { describeAmong } from '../src/core/parts/options/describe-option.ts';
import type { Option, OptionCommand } from '../src/core/parts/options/option.ts';

/** The README's generated tables, each between `<!-- options: <name> -->` and `<!-- end options -->`. */
const TABLES: Readonly<Record<string, () => string>> = {
  check: () => cliTable(['check']),
  target: () => cliTable(['apply', 'status', 'rollback', 'restore']),
  new: () => cliTable(['new']),
  action: actionTable,
};

/** `readme` with each generated table rendered afresh. */
export function withOptionTables(readme: string): string {
  return readme.replace(
    /(<!-- options: ([a-z]+) -->\n)[\s\S]*?(\n<!-- end options -->)/g,
    (_whole, start: string, name: string, end: string) => {
      const table = TABLES[name];
      if (table === undefined) throw new Error(`README: no option table named ${name}`);
      return `${start}\n${table()}\n${end}`;
    },
  );
}

/** The command line options of `commands`: name and value, default, what it does. */
function cliTable(commands: readonly OptionCommand[]): string {
  const options = CLI_OPTIONS.filter((option) =>
    option.commands.some((command) => commands.includes(command)),
  );
  return markdownTable(
    ['option', 'default', ''],
    options.map((option) => {
      const variable = ENVIRONMENT_FALLBACKS[option.name];
      const shownDefault =
        option.placeholder !== undefined && option.default !== undefined
          ? code(option.default)
          : variable === undefined
            ? ''
            : code(`$${variable}`);
      const usage =
        option.placeholder === undefined ? `--${option.name}` : `--${option.name} ${option.placeholder}`;
      return [code(usage), shownDefault, describeAmong(option, commands)];
    }),
  );
}

/** The action's inputs, as action.yml declares them. */
function actionTable(): string {
  return markdownTable(
    ['input', 'default', ''],
    ACTION_INPUTS.map((input: Option<unknown>) => [
      code(input.name),
      input.default === undefined ? (input === COMMAND ? '(required)' : '') : code(input.default),
      actionInputDescription(input),
    ]),
  );
}

function code(text: string): string {
  return `\`${text}\``;
}

/** A table aligned as Prettier aligns it; `|` escaped in every cell. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head!), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}
