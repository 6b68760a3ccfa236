import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { SESSION_NAME } from '../../src/core/parts/database/connect.ts';
import { AVAILABLE_ENGINES } from '../support/engines.ts';
import { createTargetDatabase } from './target-database.ts';

// Every session the tool opens says whose it is and ends with its client (see connect.ts).

describe.skipIf(!AVAILABLE_ENGINES.includes('postgres'))('sessions on Postgres', () => {
  test('are named after the process and bounded: client check, idle transaction, keepalives', async () => {
    await using target = await createTargetDatabase('postgres');
    const { rows } = await sql<Record<string, string>>`select
        current_setting('application_name') as application_name,
        current_setting('client_connection_check_interval') as client_check,
        current_setting('idle_in_transaction_session_timeout') as idle_in_transaction,
        current_setting('tcp_keepalives_idle') as keepalive_idle`.execute(target.db);
    expect(SESSION_NAME).toMatch(new RegExp(`^migration-gate pid ${process.pid} on `));
    expect(rows[0]).toEqual({
      application_name: SESSION_NAME,
      client_check: '5s',
      idle_in_transaction: '10min',
      keepalive_idle: '30',
    });
  });
});

describe.skipIf(!AVAILABLE_ENGINES.includes('mariadb'))('sessions on MariaDB', () => {
  test('end after 10 min idle instead of the server default of 8 h', async () => {
    await using target = await createTargetDatabase('mariadb');
    const { rows } = await sql<{ wait: number }>`select @@session.wait_timeout as wait`.execute(target.db);
    expect(Number(rows[0]?.wait)).toBe(600);
  });
});
