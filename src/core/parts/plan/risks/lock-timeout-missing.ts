import type { SqlToken } from '../statement-text.ts';
import { isKeyword } from '../statement-text.ts';
import { blocksWrites, lockModeName } from './evidence.ts';
import type { Finding, ReadStatement, RiskInput, RiskRule } from './rule.ts';
import { existedBefore, tableStatementOf } from './schema-changes.ts';

/**
 * `lock-timeout-missing`: the up changes an existing table with no lock timeout in force.
 * Severity `warning`: however quick the statement, it waits for every query already running
 * on the table, and every query after it waits behind it: a long report stops the application.
 * Postgres: a lock that blocks writes; a timeout counts when the migration sets it before its
 * first such statement (`SET lock_timeout`, `SET LOCAL lock_timeout`, `set_config('lock_timeout',
 * ...)`). The locks are those read on the throwaway database before COMMIT; outside a
 * transaction, the statements that change an existing table stand in for them. MySQL/MariaDB:
 * every ALTER TABLE, CREATE/DROP INDEX of an existing table, INSTANT and LOCK=NONE ones too,
 * takes an exclusive metadata lock, which waits behind every open transaction that touched
 * the table, for lock_wait_timeout (a year by default on MySQL, a day on MariaDB); a timeout
 * counts when the migration sets lock_wait_timeout first, or (MariaDB) the statement says
 * WAIT n or NOWAIT. Either way, the project may say its deploy sets one (`lockTimeout` in
 * migration-gate.config.json, matching `apply --lock-timeout`): check cannot see the flags of
 * a later apply.
 */
export const lockTimeoutMissing: RiskRule = {
  id: 'lock-timeout-missing',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  why: 'waiting for its lock, the statement queues every later query on the table behind it: one long-running query stops the application',
  instead:
    "SET lock_timeout = '5s' first in the migration (and retry a timed-out deploy), or apply with --lock-timeout and declare it as lockTimeout in migration-gate.config.json",
  check(input) {
    if (input.deployLockTimeoutMs !== undefined && input.deployLockTimeoutMs > 0) return [];
    return input.dialect === 'mysql' ? withoutMetadataLockTimeout(input) : withoutLockTimeout(input);
  },
};

function withoutLockTimeout(input: RiskInput): Finding[] {
  const locking = lockingStatements(input).sort((a, b) => a.statement.index - b.statement.index);
  const [first] = locking;
  if (first === undefined) return [];
  const timeout = input.statements.find(
    (statement) => statement.index < first.statement.index && setsLockTimeout(statement.tokens),
  );
  if (timeout !== undefined) return [];
  return [
    {
      what: `locks ${locking.map((lock) => lock.table).join(', ')} with no lock timeout in force`,
      statement: first.statement.index,
      evidence: [
        ...locking.map((lock) => lock.evidence),
        'no statement before it sets lock_timeout, and the project declares no lockTimeout for its deploys',
      ],
    },
  ];
}

/**
 * MySQL/MariaDB: the first statement changing each existing table waits for its metadata
 * lock; one without WAIT/NOWAIT (MariaDB) before which no lock_wait_timeout is set is found.
 */
function withoutMetadataLockTimeout(input: RiskInput): Finding[] {
  const waiting = input.statements.flatMap((statement) => {
    const read = tableStatementOf(input, statement);
    if (read === undefined || !existedBefore(input, read.table) || boundsItsWait(statement.tokens)) return [];
    const timeout = input.statements.some(
      (earlier) => earlier.index < statement.index && setsLockWaitTimeout(earlier.tokens),
    );
    return timeout ? [] : [{ table: read.table, statement }];
  });
  const firsts = waiting.filter(
    (change, at) => waiting.findIndex((other) => other.table === change.table) === at,
  );
  const [first] = firsts;
  if (first === undefined) return [];
  return [
    {
      what: `waits for the metadata lock on ${firsts.map((change) => change.table).join(', ')} with no lock timeout in force`,
      statement: first.statement.index,
      evidence: [
        ...firsts.map(
          ({ table, statement }) =>
            `statement ${statement.index + 1} changes ${table}: it needs an exclusive metadata lock on ${table}, granted only after every open transaction that used ${table} ends`,
        ),
        'no statement before it sets lock_wait_timeout (the server default: a year on MySQL, a day on MariaDB), and the project declares no lockTimeout for its deploys',
      ],
      why: 'waiting for its metadata lock behind a long transaction, even an INSTANT or LOCK=NONE change queues every later query on the table behind it: one long-running transaction stops the application',
      instead:
        'SET SESSION lock_wait_timeout = 5 first in the migration (and retry a timed-out deploy), or apply with --lock-timeout and declare it as lockTimeout in migration-gate.config.json',
    },
  ];
}

/** Existing tables locked against writes, each with the statement blamed and the evidence. */
function lockingStatements(
  input: RiskInput,
): { table: string; statement: ReadStatement; evidence: string }[] {
  const changes = input.statements.flatMap((statement) => {
    const read = tableStatementOf(input, statement);
    if (read === undefined || !existedBefore(input, read.table) || read.concurrently) return [];
    return [{ table: read.table, statement }];
  });
  const locks = input.facts.locks;
  if (locks === undefined)
    // The first statement that changes each table: it is the one that waits.
    return changes
      .filter((change, at) => changes.findIndex((other) => other.table === change.table) === at)
      .map(({ table, statement }) => ({
        table,
        statement,
        evidence: `statement ${statement.index + 1} changes ${table} (${input.facts.locksUnread ?? 'locks not read'})`,
      }));
  return [...locks].flatMap(([table, mode]) => {
    if (!blocksWrites(mode)) return [];
    const statement = changes.find((change) => change.table === table)?.statement ?? input.statements[0];
    return statement === undefined
      ? []
      : [{ table, statement, evidence: `took ${lockModeName(mode)} lock on ${table} (read before COMMIT)` }];
  });
}

/** `SET [SESSION|LOCAL] lock_timeout {=|TO} <not 0>`, or `SELECT set_config('lock_timeout', '<not 0>', ...)`. */
function setsLockTimeout(tokens: readonly SqlToken[]): boolean {
  if (isKeyword(tokens[0], 'set')) {
    const at = isKeyword(tokens[1], 'session', 'local') ? 2 : 1;
    if (!isKeyword(tokens[at], 'lock_timeout')) return false;
    return enabled(tokens[at + 2]);
  }
  const call = tokens.findIndex((token) => isKeyword(token, 'set_config'));
  return call !== -1 && tokens[call + 2]?.text === 'lock_timeout' && enabled(tokens[call + 4]);
}

/** Whether a timeout value leaves the timeout on: `0` and DEFAULT (0 unless configured) turn it off. */
function enabled(value: SqlToken | undefined): boolean {
  if (value === undefined || isKeyword(value, 'default')) return false;
  return !/^0+(ms|s|min)?$/i.test(value.text.trim());
}

/** `SET [SESSION] lock_wait_timeout = <not 0>` (or `@@[session.]lock_wait_timeout`), MySQL/MariaDB. */
function setsLockWaitTimeout(tokens: readonly SqlToken[]): boolean {
  if (!isKeyword(tokens[0], 'set')) return false;
  const at = isKeyword(tokens[1], 'session') ? 2 : 1;
  const name = tokens
    .slice(at)
    .map((token) => token.text)
    .join('')
    .toLowerCase();
  const match = /^(?:@@(?:session\.)?)?lock_wait_timeout(?::=|=)(\d+)/.exec(name);
  return match !== null && Number(match[1]) > 0;
}

/** MariaDB's `WAIT n` / `NOWAIT` (after the table of an ALTER, after the index of CREATE/DROP INDEX). */
function boundsItsWait(tokens: readonly SqlToken[]): boolean {
  return tokens.some(
    (token, at) =>
      isKeyword(token, 'nowait') ||
      (isKeyword(token, 'wait') && /^\d+(?:\.\d+)?$/.test(tokens[at + 1]?.text ?? '')),
  );
}
