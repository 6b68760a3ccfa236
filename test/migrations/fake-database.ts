import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';

/** A Kysely instance that runs nothing, and the SQL of every query it was asked to run. */
export interface RecordingDatabase {
  readonly db: Kysely<any>;
  readonly queries: string[];
}

/**
 * A Postgres-flavoured Kysely on an in-memory driver. Statements containing `FAIL` are rejected
 * the way pg rejects them: with the error's `position` (1-based) inside the statement; those
 * containing `MYSQL_FAIL` are rejected with no position, as MySQL does.
 */
export function recordingDatabase(): RecordingDatabase {
  const queries: string[] = [];
  const db = new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new FailOnDemandDriver(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (event.level === 'query') queries.push(event.query.sql);
    },
  });
  return { db, queries };
}

class FailOnDemandDriver extends DummyDriver implements Driver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    return new FailOnDemandConnection();
  }
}

class FailOnDemandConnection implements DatabaseConnection {
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (query.sql.includes('MYSQL_FAIL')) throw new Error("Table 'app.missing' doesn't exist");
    const index = query.sql.indexOf('FAIL');
    if (index !== -1) {
      throw Object.assign(new Error('syntax error at or near "FAIL"'), { position: String(index + 1) });
    }
    return { rows: [] };
  }

  // eslint-disable-next-line require-yield -- nothing to stream from a fake database
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    return;
  }
}
