import type { Migration } from './migration.ts';
import { MigrationStatementError } from './migration-error.ts';
import { frameInFiles } from './stack-frame.ts';

/** Where in its sources a migration failed, for annotations and messages. */
export interface MigrationErrorLocation {
  readonly file: string;
  readonly line?: number;
}

/**
 * Points at the source line behind an error thrown by a migration's up or down: the failing
 * statement of a SQL migration, or the first stack frame inside the migration's own file(s).
 * Errors wrapped by callers are followed through their `cause` chain. Without a better clue the
 * location is the migration's file, with no line.
 */
export function locateMigrationError(error: unknown, migration: Migration): MigrationErrorLocation {
  const files = [
    migration.source.path,
    ...(migration.source.downPath === undefined ? [] : [migration.source.downPath]),
  ];
  for (const link of causeChain(error)) {
    if (link instanceof MigrationStatementError) return { file: link.file, line: link.line };
  }
  for (const link of causeChain(error)) {
    const frame = frameInFiles(link instanceof Error ? link.stack : undefined, files);
    if (frame !== undefined) return frame;
  }
  return { file: migration.source.path };
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link = error; link !== undefined && !chain.includes(link);) {
    chain.push(link);
    link = link instanceof Error ? link.cause : undefined;
  }
  return chain;
}
