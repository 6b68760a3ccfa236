import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ConnectionTarget } from '../database/connection-url.ts';
import { parseConnectionUrl, withDatabase } from '../database/connection-url.ts';
import { openDatabase } from '../database/connect.ts';
import { UsageError } from '../../model/errors.ts';
import { registerInterruptCleanup } from './interrupt-cleanup.ts';
import { MysqlScratchMarks } from './mysql-scratch-marks.ts';
import { PostgresScratchMarks } from './postgres-scratch-marks.ts';
import type { ScratchMarks } from './scratch-marks.ts';
import { scratchDatabaseName } from './scratch-name.ts';
import { sweepStaleScratch } from './sweep-scratch.ts';
import type { MysqlSchemaScript } from './mysql-schema-script.ts';
import { mysqlSchemaScript } from './mysql-schema-script.ts';
import type { ThrowawayDatabase, ThrowawayOptions, ThrowawayState } from './throwaway.ts';

/**
 * A uniquely named scratch database on an existing server, dropped on disposal, on
 * failure and on SIGINT/SIGTERM. Each is marked with its owner (host, pid, start), and the
 * stale ones that killed runs left on the server are swept first. The URL's user needs the
 * right to create databases.
 */
export async function createServerThrowaway(
  options: ThrowawayOptions & {
    serverUrl: string;
    kind?: 'server' | 'container';
    onDispose?: () => Promise<void>;
  },
): Promise<ThrowawayDatabase> {
  const server = parseConnectionUrl(options.serverUrl);
  if (server.dialect !== options.dialect) {
    throw new UsageError(`--server-url is a ${server.dialect} URL but the dialect is ${options.dialect}`);
  }
  // Postgres needs some database to connect to before it can create one.
  const admin = await openDatabase(
    server.database === undefined && server.dialect === 'postgres'
      ? withDatabase(server, 'postgres')
      : server,
  );
  const throwaway = new ServerThrowaway(server, admin.db, admin.serverVersion, options);
  try {
    // A container is new: nothing to sweep there.
    if (throwaway.kind === 'server') await throwaway.sweep();
    await throwaway.createScratch();
  } catch (error) {
    await throwaway[Symbol.asyncDispose]();
    throw error;
  }
  return throwaway;
}

class ServerThrowaway implements ThrowawayDatabase {
  readonly kind: 'server' | 'container';
  readonly dialect;
  readonly serverVersion: string;
  readonly #server: ConnectionTarget;
  readonly #admin: Kysely<any>;
  readonly #options: ThrowawayOptions & { onDispose?: () => Promise<void> };
  readonly #marks: ScratchMarks;
  #scratch: { name: string; db: Kysely<any> } | undefined;
  /** Set by an interrupt: no scratch database may be created any more. */
  #interrupted = false;
  readonly #unregister: () => void;
  /**
   * MySQL/MariaDB: the schema as SHOW CREATE statements, its tables and views loaded in one
   * round trip (a few times faster than replaying the ALTERs that made them). Postgres has
   * none: loading pg_dump's script measured as slow as replaying the migrations.
   */
  readonly state?: ThrowawayState;

  constructor(
    server: ConnectionTarget,
    admin: Kysely<any>,
    serverVersion: string,
    options: ThrowawayOptions & { kind?: 'server' | 'container'; onDispose?: () => Promise<void> },
  ) {
    this.kind = options.kind ?? 'server';
    this.dialect = server.dialect;
    this.serverVersion = serverVersion;
    this.#server = server;
    this.#admin = admin;
    this.#options = options;
    this.#marks =
      this.dialect === 'postgres' ? new PostgresScratchMarks(admin) : new MysqlScratchMarks(admin);
    this.#unregister = registerInterruptCleanup(() => this.#interrupt());
    if (this.dialect === 'mysql') this.state = this.#mysqlState();
  }

  #mysqlState(): ThrowawayState {
    return {
      format: 'mysql-schema-script-2',
      save: async () => {
        const script = await mysqlSchemaScript(this.db);
        return script === undefined ? undefined : Buffer.from(JSON.stringify(script), 'utf8');
      },
      load: async (saved) => {
        const db = await this.reset();
        try {
          const script = JSON.parse(Buffer.from(saved).toString('utf8')) as MysqlSchemaScript;
          await sql.raw(script.batch).execute(db);
          for (const statement of script.alone) await sql.raw(statement).execute(db);
        } catch (error) {
          // Half a script, and a session left without foreign key checks: start anew.
          await this.reset();
          throw error;
        }
        return db;
      },
    };
  }

  get description(): string {
    const engine = this.dialect === 'postgres' ? `PostgreSQL ${this.serverVersion}` : this.serverVersion;
    const where =
      this.kind === 'container' ? `container ${this.#options.image ?? ''}`.trim() : this.#server.display;
    return `scratch database ${this.#scratch?.name ?? '(none)'} on ${where} (${engine})`;
  }

  get db(): Kysely<any> {
    if (this.#scratch === undefined) throw new Error('the scratch database is gone');
    return this.#scratch.db;
  }

  /** Drops what killed runs left behind (see sweepStaleScratch). */
  async sweep(): Promise<void> {
    await sweepStaleScratch({
      marks: this.#marks,
      // Without FORCE: a session that connected since the look fails the drop, and the
      // database stays.
      drop: (name) => sql`drop database if exists ${sql.id(name)}`.execute(this.#admin).then(() => {}),
      logger: this.#options.logger,
      server: this.#server.display,
    });
  }

  async createScratch(): Promise<void> {
    if (this.#interrupted) throw new Error('interrupted: no new scratch database');
    const name = scratchDatabaseName();
    await this.#marks.create(name);
    this.#options.logger.debug(`created scratch database ${name} on ${this.#server.display}`);
    try {
      const { db } = await openDatabase(withDatabase(this.#server, name), {
        durable: false,
        ...(this.#options.log === undefined ? {} : { log: this.#options.log }),
      });
      this.#scratch = { name, db };
    } catch (error) {
      await this.#drop(name);
      throw error;
    }
  }

  async reset(): Promise<Kysely<any>> {
    await this.#dropScratch();
    await this.createScratch();
    return this.db;
  }

  explainError(): string | undefined {
    return undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#unregister();
    await this.#dispose();
  }

  /**
   * On SIGINT/SIGTERM a migration may still be running on the scratch connection, and
   * closing its pool would wait for it: drop the database first (FORCE ends that session on
   * Postgres 13+), without waiting for the pool. The process exits right after.
   */
  async #interrupt(): Promise<void> {
    this.#interrupted = true;
    const scratch = this.#scratch;
    this.#scratch = undefined;
    try {
      if (scratch !== undefined) {
        void scratch.db.destroy().catch(() => {});
        await this.#drop(scratch.name);
      }
    } finally {
      await this.#admin.destroy().catch(() => {});
      await this.#options.onDispose?.();
    }
  }

  async #dispose(): Promise<void> {
    try {
      await this.#dropScratch();
    } finally {
      await this.#admin.destroy().catch(() => {});
      await this.#options.onDispose?.();
    }
  }

  async #dropScratch(): Promise<void> {
    const scratch = this.#scratch;
    if (scratch === undefined) return;
    this.#scratch = undefined;
    await scratch.db.destroy().catch(() => {});
    await this.#drop(scratch.name);
  }

  async #drop(name: string): Promise<void> {
    if (this.dialect === 'postgres') {
      // FORCE ends sessions a failed migration may have left behind (Postgres 13+).
      const force = Number.parseInt(this.serverVersion, 10) >= 13 ? sql` with (force)` : sql``;
      await sql`drop database if exists ${sql.id(name)}${force}`.execute(this.#admin);
    } else {
      await sql`drop database if exists ${sql.id(name)}`.execute(this.#admin);
    }
    await this.#marks.forget(name);
    this.#options.logger.debug(`dropped scratch database ${name}`);
  }
}
