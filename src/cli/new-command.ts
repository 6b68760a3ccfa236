import { relative } from 'node:path';
import { writeNewMigration } from '../core/flows/new/new-migration.ts';
import { UsageError } from '../core/model/errors.ts';
import { optional } from '../core/model/optional.ts';
import { MIGRATIONS } from '../core/parts/options/catalogue.ts';
import { optionValue } from '../core/parts/options/read-option.ts';
import { SQL, outputFormat } from './cli-options.ts';
import { commandLineSource } from './command-line.ts';
import type { CliIo } from './io.ts';

/**
 * `migration-gate new <name>`: writes a migration with an up and a down, named in the folder's
 * style, and prints the files written (relative to the working directory). Exit code 0.
 */
export async function newCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name.startsWith('-')) {
    throw new UsageError('new needs the name of the migration first: migration-gate new <name> [options]');
  }
  const source = commandLineSource('new', rest, io.env);
  const result = await writeNewMigration({
    name,
    cwd: io.cwd,
    sql: optionValue(source, SQL),
    ...optional('migrations', optionValue(source, MIGRATIONS)),
  });
  const files = result.files.map((file) => relative(io.cwd, file));
  io.stdout(
    outputFormat(source) === 'json'
      ? JSON.stringify({ version: 1, name: result.name, files }, null, 2)
      : files.map((file) => `created ${file}`).join('\n'),
  );
  return 0;
}
