import { objectKey } from '../../schema/snapshot.ts';
import { isKeyword } from '../statement-text.ts';
import { lockEvidence } from './evidence.ts';
import type { RiskRule } from './rule.ts';
import { existedBefore, removedObjects } from './schema-changes.ts';

/**
 * `drop-index-blocking` (Postgres): an index of a table that stays is dropped without
 * CONCURRENTLY. Severity `warning`: the drop itself is quick, but it needs an ACCESS EXCLUSIVE
 * lock on the table, which waits behind every running query and makes every later one wait
 * behind it. Inside a transaction an index cannot be dropped concurrently, so a transactional
 * migration is blocking by construction; outside one, the statement tells.
 */
export const dropIndexBlocking: RiskRule = {
  id: 'drop-index-blocking',
  dialects: ['postgres'],
  severity: 'warning',
  why: 'dropping the index takes an ACCESS EXCLUSIVE lock on its table: it queues behind running queries and every query on the table queues behind it',
  instead:
    'DROP INDEX CONCURRENTLY in a migration that runs outside a transaction (export const transaction = false, or -- migration-gate:no-transaction)',
  check(input) {
    return removedObjects(input, 'index').flatMap((index) => {
      const table = index.table!;
      // An index that goes with its table, or that a constraint took over, is not this rule's.
      if (
        !existedBefore(input, table) ||
        input.after.objects[objectKey({ kind: 'table', name: table })] === undefined
      )
        return [];
      const statement = input.statements.find((candidate) => {
        const { tokens } = candidate;
        if (!isKeyword(tokens[0], 'drop') || !isKeyword(tokens[1], 'index')) return false;
        return tokens.some((token) => token.name === index.name.split('.').at(-1));
      });
      if (statement === undefined) return [];
      const concurrently = isKeyword(statement.tokens[2], 'concurrently');
      if (concurrently && !input.transactional) return [];
      return [
        {
          what: `drops index ${index.name} of table ${table} without CONCURRENTLY`,
          statement: statement.index,
          evidence: [
            ...lockEvidence(input, table),
            ...(concurrently ? [] : ['the statement has no CONCURRENTLY']),
          ],
        },
      ];
    });
  },
};
