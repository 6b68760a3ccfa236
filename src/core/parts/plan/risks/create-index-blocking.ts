import { mentions } from '../statement-text.ts';
import { lockEvidence } from './evidence.ts';
import type { RiskRule } from './rule.ts';
import { addedObjects, existedBefore, tableStatementOf } from './schema-changes.ts';

/**
 * `create-index-blocking` (Postgres): an index built on an existing table without
 * CONCURRENTLY. Severity `error`: the build holds a SHARE lock, which blocks every write to
 * the table for as long as it reads the whole table, like a rewrite. Inside a transaction an
 * index cannot be built concurrently at all, so a transactional migration is blocking by
 * construction; outside one, the creating statement tells. (MySQL builds indexes online;
 * when it cannot, the MySQL algorithm rules say so.)
 */
export const createIndexBlocking: RiskRule = {
  id: 'create-index-blocking',
  dialects: ['postgres'],
  severity: 'error',
  why: 'building the index blocks every write to the table until it is done, which grows with the table',
  instead:
    'CREATE INDEX CONCURRENTLY in a migration that runs outside a transaction (export const transaction = false, or -- migration-gate:no-transaction); for a unique or primary key constraint, build its index concurrently and add the constraint USING INDEX',
  check(input) {
    return addedObjects(input, 'index').flatMap((index) => {
      const table = index.table!;
      if (!existedBefore(input, table)) return [];
      const statement = input.statements.find((candidate) => mentions(candidate.words, index.name));
      const concurrently =
        statement !== undefined && tableStatementOf(input, statement)?.concurrently === true;
      if (concurrently && !input.transactional) return [];
      const evidence = lockEvidence(input, table);
      return [
        {
          what: `builds index ${index.name} on existing table ${table} without CONCURRENTLY`,
          statement: statement?.index,
          evidence:
            evidence.length > 0 || statement === undefined ? evidence : [`the statement has no CONCURRENTLY`],
        },
      ];
    });
  },
};
