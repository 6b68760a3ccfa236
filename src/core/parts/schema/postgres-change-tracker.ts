import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { messageOf } from '../../model/errors.ts';
import type { ChangeRead, ChangeScope, ChangeTracker } from './change-scope.ts';
import type { PartRow } from './postgres-catalog-query.ts';
import type { LogRow } from './postgres-change-log.ts';
import { goneOwners, scopeOfLog } from './postgres-change-log.ts';
import { scopedSnapshotFromRows } from './postgres-snapshot.ts';
import {
  CLEAR,
  CLEAR_FULLY,
  PROBE_FIRED,
  READ_CHANGES,
  READ_LOG,
  trackerInstallProgram,
} from './postgres-tracker-statements.ts';
import { buildSnapshot } from './snapshot.ts';
import type { SchemaSnapshot } from './snapshot.ts';
import type { SchemaSnapshotter, SnapshotOptions } from './snapshotter.ts';

/** A row of `READ_CHANGES`: a {@link LogRow}, the owner keys read, or a catalog row. */
interface ReadChangesRow {
  readonly source: 'touched' | 'dropped' | 'unknown' | 'read' | 'catalog';
  readonly part: string | null;
  readonly data: unknown;
}

/** How many steps' dead log rows may pile up before `CLEAR_FULLY` sweeps them. */
const STEPS_BETWEEN_SWEEPS = 200;

/**
 * Learns what a step changed from Postgres event triggers: `ddl_command_end` names every object
 * a statement created or altered (and the trigger resolves its owner while it exists), `sql_drop`
 * every object dropped, cascades included. Statements in a transaction that rolled back leave
 * no trace, rightly so. CREATE/ALTER/DROP EVENT TRIGGER fire no event trigger, so event triggers
 * are always re-read. Needs a superuser; otherwise {@link install} says no and every snapshot is
 * a full one.
 */
export class PostgresChangeTracker implements ChangeTracker {
  /**
   * Creates the `migration_gate` schema, its log tables and functions, and the two event
   * triggers, replacing any earlier installation. Returns false, leaving nothing behind, when
   * the user may not create event triggers or they do not fire here.
   */
  async install(db: Kysely<any>): Promise<boolean> {
    const notFiring = new Error('event triggers do not fire');
    try {
      await db.transaction().execute(async (trx) => {
        await sql.raw(trackerInstallProgram()).execute(trx);
        const probe = await sql.raw<{ fired: boolean }>(PROBE_FIRED).execute(trx);
        if (probe.rows[0]?.fired !== true) throw notFiring;
        await sql.raw(CLEAR).execute(trx);
      });
      this.#logEmpty = true;
      return true;
    } catch (error) {
      // Both roll the installation back: nothing of it is left.
      if (error === notFiring || isInsufficientPrivilege(error)) return false;
      throw error;
    }
  }

  #startsSinceSweep = 0;
  /** Whether the log is known to be empty: {@link changes} read and cleared it in one statement. */
  #logEmpty = false;

  /** Empties the log, so that {@link changes} reports only the step that runs next. */
  async start(db: Kysely<any>): Promise<void> {
    this.#startsSinceSweep += 1;
    const sweep = this.#startsSinceSweep >= STEPS_BETWEEN_SWEEPS;
    if (sweep) this.#startsSinceSweep = 0;
    // In the proof's usual rhythm (step, changes, step, changes) the log is already empty: a
    // round trip per step saved.
    if (this.#logEmpty && !sweep) {
      this.#logEmpty = false;
      return;
    }
    this.#logEmpty = false;
    await sql.raw(sweep ? CLEAR_FULLY : CLEAR).execute(db);
  }

  /**
   * The owners the statements since {@link start} touched, always with every event trigger;
   * `everything` when one of them cannot be traced to owners or the tracker was tampered with.
   */
  async changes(db: Kysely<any>, before: SchemaSnapshot): Promise<ChangeScope> {
    let rows: LogRow[];
    try {
      rows = (await sql.raw<LogRow>(READ_LOG).execute(db)).rows;
      this.#logEmpty = true;
    } catch (error) {
      // A step may have dropped the tracker's schema; then nothing it did since is known.
      return { everything: true, reason: `the change log cannot be read: ${messageOf(error)}` };
    }
    return scopeOfLog(rows, before);
  }

  /**
   * {@link changes} and the re-read of the owners it finds, in one round trip: the log is read
   * and cleared by a server-side function that also runs the scoped catalog query for the
   * touched owners and the likely owners of dropped objects. Owners only the snapshot from
   * before can tell (the table of a dropped index the log never saw created, the former
   * partitions of a touched table) are re-read by `snapshotter` in a second read, which is rare.
   */
  async changesWithSnapshot(
    db: Kysely<any>,
    before: SchemaSnapshot,
    snapshotter: SchemaSnapshotter,
    options: Omit<SnapshotOptions, 'owners'>,
  ): Promise<ChangeRead> {
    let rows: ReadChangesRow[];
    try {
      rows = (await sql.raw<ReadChangesRow>(READ_CHANGES).execute(db)).rows;
      this.#logEmpty = true;
    } catch (error) {
      return { everything: true, reason: `the change log cannot be read: ${messageOf(error)}` };
    }
    const log: LogRow[] = [];
    const catalog: PartRow[] = [];
    let readOwners: ReadonlySet<string> = new Set();
    for (const row of rows) {
      if (row.source === 'catalog') catalog.push({ part: row.part as PartRow['part'], data: row.data });
      else if (row.source === 'read') readOwners = new Set(row.data as string[]);
      else log.push({ source: row.source, data: row.data } as LogRow);
    }
    const scope = scopeOfLog(log, before);
    if (scope.everything) return scope;
    // Owner keys the rows cannot stand for (a type named `*` reads as every type) are read anew.
    const read = scopedSnapshotFromRows(catalog, readOwners, options.excludeTables);
    if (read === undefined) {
      const reread = await snapshotter.take(db, { ...options, owners: scope.owners });
      return { everything: false, owners: scope.owners, reread };
    }
    // An owner that was itself dropped (a table, with its row type) is gone unless the step made
    // it anew, which the log would show as touched and the rows hold: its objects in `before`
    // are merely removed by the merge, with no read.
    const gone = goneOwners(log, before);
    const missed = new Set([...scope.owners].filter((owner) => !readOwners.has(owner) && !gone.has(owner)));
    // The guessed owners that turn out not to be the step's were re-read all the same: that is
    // harmless (a re-read shows them as they are), so they join the owners to merge.
    const owners = new Set([...scope.owners, ...readOwners]);
    if (missed.size === 0) return { everything: false, owners, reread: read };
    const more = await snapshotter.take(db, { ...options, owners: missed });
    const objects = [...Object.values(read.objects), ...Object.values(more.objects)];
    return { everything: false, owners, reread: buildSnapshot('postgres', objects) };
  }

  /** Nothing to do: event triggers see every statement on the server side. */
  observe(_sql: string): void {}
}

function isInsufficientPrivilege(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '42501';
}
