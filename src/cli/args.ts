import { parseArgs } from 'node:util';
import type { CheckRequest } from '../core/flows/check/run-check.ts';
import { PROOF_MODES } from '../core/model/check-result.ts';
import type { ProofMode } from '../core/model/check-result.ts';
import { parseConnectionUrl } from '../core/parts/database/connection-url.ts';
import type { DialectName } from '../core/model/dialect.ts';
import { bookkeepingTables } from '../core/parts/migrations/bookkeeping-tables.ts';
import { UsageError } from '../core/model/errors.ts';
import { THROWAWAY_KINDS } from '../core/parts/throwaway/throwaway.ts';
import type { ThrowawayKind } from '../core/parts/throwaway/throwaway.ts';
import { optional } from '../core/model/optional.ts';

/** Output formats of `check`. */
export type OutputFormat = 'text' | 'json' | 'markdown';

const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'markdown'];

/** `check`'s parsed command line. */
export interface CheckArguments {
  readonly request: Omit<CheckRequest, 'logger' | 'onResult' | 'cwd'>;
  readonly format: OutputFormat;
  readonly verbose: boolean;
}

/** The usage text printed by `--help` and after a usage error. */
export const USAGE = `usage: migration-gate check [options]

Proves every migration reversible on a throwaway database: up, down, up again, compared
by schema snapshot.

options:
  --migrations <path>     migrations folder or index module (default: kysely.config.ts's
                          migrationFolder, else ./migrations)
  --dialect <name>        postgres | mysql (mariadb is mysql); default from the config,
                          the server URL or the image, else postgres
  --throwaway <kind>      auto | embedded | server | container (default auto: a container when
                          Docker answers, else a scratch database on --server-url, else
                          embedded Postgres)
  --server-url <url>      server to create the scratch database on (or MIGRATION_GATE_SERVER_URL)
  --image <image>         container image (default postgres:16-alpine / mysql:8.4)
  --mode <mode>           step (each migration alone, default) | sequence (all ups, all downs)
  --base <git ref>        prove only migrations added since this ref; replay the others once
  --migration-table <t>   Kysely's migration table name (default kysely_migration)
  --target-url <url>      a database to read (never change) after the proof: which migrations
                          are pending there, and whether its schema drifted from them
                          (or MIGRATION_GATE_TARGET_URL)
  --format <format>       text (default) | json | markdown (the PR comment's report); progress
                          goes to stderr for json and markdown
  --json                  same as --format json
  --verbose               print debug output
  --help                  print this help

exit codes: 0 every migration reversible or declared irreversible, 1 a migration failed the
proof, 2 usage or environment error.`;

/** Parses `check`'s arguments; throws UsageError on anything it does not understand. */
export function parseCheckArguments(argv: readonly string[], env: NodeJS.ProcessEnv): CheckArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        migrations: { type: 'string' },
        dialect: { type: 'string' },
        throwaway: { type: 'string', default: 'auto' },
        'server-url': { type: 'string' },
        image: { type: 'string' },
        mode: { type: 'string', default: 'step' },
        base: { type: 'string' },
        'migration-table': { type: 'string' },
        'target-url': { type: 'string' },
        json: { type: 'boolean', default: false },
        format: { type: 'string' },
        verbose: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const values = parsed.values;
  const throwaway = oneOf('--throwaway', values.throwaway, THROWAWAY_KINDS) as ThrowawayKind;
  const mode = oneOf('--mode', values.mode, PROOF_MODES) as ProofMode;
  const format = values.json
    ? 'json'
    : (oneOf('--format', values.format ?? 'text', OUTPUT_FORMATS) as OutputFormat);
  const serverUrl = nonEmpty(values['server-url']) ?? nonEmpty(env['MIGRATION_GATE_SERVER_URL']);
  const migrationTable = nonEmpty(values['migration-table']);
  const targetUrl = nonEmpty(values['target-url']) ?? nonEmpty(env['MIGRATION_GATE_TARGET_URL']);
  // A mistyped URL is a usage error now, not a note in the report after a whole proof.
  if (targetUrl !== undefined) parseConnectionUrl(targetUrl);
  return {
    format,
    verbose: values.verbose,
    request: {
      throwaway,
      mode,
      ...optional('migrations', nonEmpty(values.migrations)),
      ...optional('dialect', parseDialect(values.dialect)),
      ...optional('serverUrl', serverUrl),
      ...optional('image', nonEmpty(values.image)),
      ...optional('base', nonEmpty(values.base)),
      ...optional('targetUrl', targetUrl),
      ...(migrationTable === undefined ? {} : { migrationTables: bookkeepingTables(migrationTable) }),
    },
  };
}

function parseDialect(value: string | undefined): DialectName | undefined {
  if (value === undefined || value === '') return undefined;
  const normalized = value.toLowerCase();
  if (normalized === 'postgres' || normalized === 'postgresql' || normalized === 'pg') return 'postgres';
  if (normalized === 'mysql' || normalized === 'mariadb') return 'mysql';
  throw new UsageError(`--dialect must be postgres or mysql (mariadb), not ${value}`);
}

function oneOf(option: string, value: string | undefined, allowed: readonly string[]): string {
  if (value !== undefined && allowed.includes(value)) return value;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')}, not ${value ?? '(nothing)'}`);
}

/** An option's value, undefined when unset or given empty (`--server-url ""` from an unset variable). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
