import type { Kysely } from 'kysely';
import type { CapturedStatement } from '../../model/captured-statement.ts';
import type { MigrationResult } from '../../model/migration-result.ts';
import type { StepObserver } from '../migrations/run-step.ts';
import type { DialectName } from '../../model/dialect.ts';
import { messageOf } from '../../model/errors.ts';
import type { Migration } from '../migrations/migration.ts';
import { diffSnapshots } from '../schema/diff.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import { objectKey } from '../schema/snapshot.ts';
import { rowDemandsOf } from '../schema/row-demands.ts';
import { touchedTables } from '../schema/touched-tables.ts';
import { probeAlgorithms } from './facts/mysql-algorithm-probe.ts';
import { tableTraitsFrom } from './facts/mysql-algorithm-rules.ts';
import type { ObservedFacts, RowVersions } from './facts/observed-facts.ts';
import { readRowVersions } from './facts/mysql-row-versions.ts';
import type { Relations } from './facts/postgres-facts.ts';
import { readRelations, readUpEffects } from './facts/postgres-facts.ts';
import { findRisks } from './risks/catalog.ts';
import type { ReadStatement } from './risks/rule.ts';
import { partialUpNotes } from './partial-up.ts';
import { withSourceLines } from './source-lines.ts';
import type { StatementRecorder } from './statement-recorder.ts';
import { tokenizeSql, wordsOf } from './statement-text.ts';
import { loadPostgresParser, parsePostgresStatement } from './postgres-parser.ts';
import { optional } from '../../model/optional.ts';
import type { RiskSettings } from '../../model/risk-settings.ts';

/** What a plan needs to know about the run. */
export interface MigrationPlanProps {
  readonly migration: Migration;
  readonly dialect: DialectName;
  /** The throwaway engine's version string, which tells MariaDB from MySQL. */
  readonly serverVersion: string;
  /** The recorder on the throwaway's log hook; without one no SQL is captured. */
  readonly recorder?: StatementRecorder;
  /** The project's rule settings (migration-gate.config.json). */
  readonly riskSettings?: RiskSettings;
}

/**
 * The dry-run plan of one migration under proof: the SQL its first up and first down ran,
 * facts observed on the throwaway database during the first up, and the risks the rules find
 * in them. The proof hands {@link firstUp} and {@link firstDown} to those two steps, calls
 * {@link probe} while the database is back as before the up (MySQL), and puts
 * {@link findings} on the migration's result. Nothing here runs for replayed migrations.
 */
export class MigrationPlan {
  readonly #props: MigrationPlanProps;
  #up: CapturedStatement[] | undefined;
  #down: CapturedStatement[] | undefined;
  #relations: Relations | undefined;
  #facts: ObservedFacts = {};
  /** Whether the first up ran in a transaction: a migration may have been moved out of its own. */
  #upInTransaction: boolean | undefined;
  /** MySQL: the tables' row versions before the first up, and the server's limit. */
  #versionsBefore: Awaited<ReturnType<typeof readRowVersions>> | undefined;

  constructor(props: MigrationPlanProps) {
    this.#props = props;
  }

  /** Watches the first up: records its SQL and, on Postgres, reads storage and locks around it. */
  get firstUp(): StepObserver {
    const recorder = this.#props.recorder;
    return {
      beforeStep: async (db) => {
        if (this.#isOracleMysql) {
          // Before the proof's own up and down add theirs: what production's table would have.
          this.#versionsBefore = await readRowVersions(db).catch(() => undefined);
          return;
        }
        if (this.#props.dialect !== 'postgres') return;
        await loadPostgresParser();
        try {
          this.#relations = await readRelations(db);
        } catch (error) {
          const reason = `storage and locks not read: ${messageOf(error)}`;
          this.#facts = { rewrittenUnread: reason, locksUnread: reason };
        }
      },
      stepStarted: () => recorder?.start(),
      stepEnded: () => {
        if (recorder !== undefined)
          this.#up = withSourceLines(recorder.stop(), this.#props.migration.script?.up);
      },
      afterStep: (db, inTransaction) => {
        this.#upInTransaction = inTransaction;
        return this.#readUpEffects(db, inTransaction);
      },
    };
  }

  /** Watches the first down: records its SQL. */
  get firstDown(): StepObserver {
    const recorder = this.#props.recorder;
    return {
      beforeStep: async () => {},
      stepStarted: () => recorder?.start(),
      stepEnded: () => {
        if (recorder !== undefined)
          this.#down = withSourceLines(recorder.stop(), this.#props.migration.script?.down);
      },
      afterStep: async () => {},
    };
  }

  /** The statement of the first up or down that failed, when the step failed and its SQL was captured. */
  failedStatement(direction: 'up' | 'down'): string | undefined {
    return (direction === 'up' ? this.#up : this.#down)?.find((statement) => statement.failed)?.sql;
  }

  async #readUpEffects(db: Kysely<any>, inTransaction: boolean): Promise<void> {
    if (this.#props.dialect !== 'postgres' || this.#relations === undefined) return;
    const locksUnread = inTransaction
      ? undefined
      : 'locks not read: the migration runs outside a transaction, so each statement released its locks; judged from the statement text';
    try {
      const effects = await readUpEffects(db, this.#relations, inTransaction);
      this.#facts = {
        rewritten: effects.rewritten,
        recreated: effects.recreated,
        ...(effects.locks === undefined ? optional('locksUnread', locksUnread) : { locks: effects.locks }),
      };
    } catch (error) {
      this.#facts = { rewrittenUnread: messageOf(error), locksUnread: messageOf(error) };
    }
  }

  /** Oracle MySQL (not MariaDB): where row versions are counted. */
  get #isOracleMysql(): boolean {
    return this.#props.dialect === 'mysql' && !/mariadb/i.test(this.#props.serverVersion);
  }

  /** The row versions of each table the probe found all INSTANT, before the up and added by it. */
  #rowVersions(added: ReadonlyMap<string, number>): ReadonlyMap<string, RowVersions> | undefined {
    const before = this.#versionsBefore;
    if (before === undefined) return undefined;
    const found = new Map<string, RowVersions>();
    for (const [table, count] of added) {
      const had = before.versions.get(table);
      if (had !== undefined) found.set(table, { before: had, added: count, limit: before.limit });
    }
    return found;
  }

  /**
   * MySQL/MariaDB: asks the server how it would run the up's ALTERs of existing tables, on
   * copies of them (see mysql-algorithm-probe.ts). Call it while the database is as it was
   * before the up, i.e. after a down proven to restore it; `before` is that schema.
   */
  async probe(db: Kysely<any>, before: SchemaSnapshot): Promise<void> {
    if (this.#props.dialect !== 'mysql' || this.#up === undefined) return;
    const statements = this.#up.map((statement) => (statement.failed ? '' : statement.sql));
    const existed = (table: string) =>
      before.objects[objectKey({ kind: 'table', name: table })] !== undefined;
    try {
      const mariadb = /mariadb/i.test(this.#props.serverVersion);
      const tables = tableTraitsFrom(before);
      const added = new Map<string, number>();
      const algorithms = await probeAlgorithms(db, statements, existed, mariadb, {
        tables,
        addedRowVersions: added,
      });
      this.#facts = { algorithms, ...optional('rowVersions', this.#rowVersions(added)) };
    } catch (error) {
      this.#facts = { algorithmsUnread: `algorithms not probed: ${messageOf(error)}` };
    }
  }

  /**
   * The captured SQL, and, when the up ran (`before` and `afterUp` are its snapshots), the
   * risks of the up with the migration's acknowledgements, what it asks of existing rows and
   * the existing tables it changes; when it failed part-way on MySQL/MariaDB, notes naming
   * what stayed applied and what never ran.
   */
  findings(schema?: {
    before: SchemaSnapshot;
    afterUp: SchemaSnapshot;
  }): Pick<MigrationResult, 'statements' | 'risks' | 'rowDemands' | 'touchedTables' | 'notes'> {
    const statements =
      this.#up === undefined && this.#down === undefined
        ? undefined
        : { up: this.#up ?? [], down: this.#down ?? [] };
    if (schema === undefined) {
      // The up failed: on MySQL/MariaDB, what ran before the failing statement stayed.
      const notes =
        this.#props.dialect === 'mysql' && this.#up !== undefined
          ? partialUpNotes(this.#up, this.#props.migration.script?.up)
          : [];
      return { ...optional('statements', statements), ...(notes.length > 0 ? { notes } : {}) };
    }
    const { dialect, migration, riskSettings = {} } = this.#props;
    const read: ReadStatement[] = (this.#up ?? []).flatMap((statement, index) => {
      if (statement.failed) return [];
      const tokens = tokenizeSql(statement.sql, dialect);
      const tree = dialect === 'postgres' ? parsePostgresStatement(statement.sql) : undefined;
      return [{ index, sql: statement.sql, tokens, words: wordsOf(tokens), ...optional('tree', tree) }];
    });
    const facts: ObservedFacts =
      dialect === 'mysql' &&
      this.#facts.algorithms === undefined &&
      this.#facts.algorithmsUnread === undefined
        ? {
            algorithmsUnread:
              'algorithms not probed: the proof never had the database back as before the up (no working down, or sequence mode); judged from the statement text',
          }
        : this.#facts;
    const diff = diffSnapshots(schema.before, schema.afterUp);
    const risks = findRisks(
      {
        dialect,
        statements: read,
        before: schema.before,
        after: schema.afterUp,
        diff,
        transactional: dialect === 'postgres' && (this.#upInTransaction ?? migration.transactional),
        facts,
        ...optional('deployLockTimeoutMs', riskSettings.lockTimeoutMs),
      },
      migration.acknowledged,
      riskSettings,
    );
    const rowDemands = rowDemandsOf(schema.before, schema.afterUp);
    const tables = touchedTables(schema.before, schema.afterUp, diff.changes);
    return {
      ...(statements === undefined ? {} : { statements }),
      risks,
      ...(rowDemands.length > 0 ? { rowDemands } : {}),
      ...(tables.length > 0 ? { touchedTables: tables } : {}),
    };
  }
}
