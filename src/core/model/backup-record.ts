import type { DialectName } from './dialect.ts';
import type { Outcome, Problem } from './outcome.ts';

/** Exact per-table row counts, keyed `schema.table` on Postgres and `table` on MySQL/MariaDB. */
export type RowCounts = Readonly<Record<string, number>>;

/** Which dump or restore program ran, and where. */
export interface BackupToolUse {
  /** `pg_dump`, `mariadb-dump`, `mysqldump`, `pg_restore`, `mariadb`, `mysql`. */
  readonly name: string;
  /** The version it reports, e.g. `15.20` or `10.11.19-MariaDB`. */
  readonly version: string;
  /** `local`: the machine's client; `container`: run inside a container of `image`. */
  readonly where: 'local' | 'container';
  readonly image?: string;
}

/**
 * The JSON written beside a backup file. Holds no credentials and no data: only what is needed
 * to check the file and to compare a restored copy with the database it came from.
 */
export interface BackupManifest {
  readonly format: 1;
  readonly engine: DialectName;
  /** The server's version string, e.g. `15.20` or `10.11.19-MariaDB-0+deb12u1`. */
  readonly serverVersion: string;
  /** The target without credentials, e.g. `postgres://db.example.com:5432/app`. */
  readonly target: string;
  readonly database: string;
  /** ISO time the dump started. */
  readonly takenAt: string;
  readonly tool: BackupToolUse;
  /** The backup file's name, in the manifest's folder. */
  readonly file: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** Row counts of the target, read in the dump's snapshot on Postgres, right before it on MySQL. */
  readonly rowCounts: RowCounts;
  /** sha256 of the target's schema snapshot JSON (see core/schema/snapshot.ts). */
  readonly schemaSnapshotSha256: string;
  /** Set once a restore of the file was compared with the target. */
  readonly verifiedAt?: string;
}

/** A backup that was restored into a throwaway database and found equal to its target. */
export interface BackupRecord {
  readonly path: string;
  readonly manifestPath: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly verified: true;
  /** Dump plus verification, in milliseconds. */
  readonly durationMs: number;
  readonly dumpMs: number;
  readonly verifyMs: number;
  readonly engine: DialectName;
  readonly serverVersion: string;
  readonly tool: BackupToolUse;
  readonly tableCount: number;
  readonly rowCount: number;
  /** Where it was restored for the check, in words (no credentials). */
  readonly verifiedOn: string;
}

/**
 * The outcome of taking (and verifying) a backup. Expected failures (unreachable target, no
 * fitting dump tool, a restore that differs) are values, never exceptions; their details are
 * the differences, one per line. `path` is set when a file was written, so an unverified file
 * can still be named (never shown).
 */
export type BackupResult = Outcome<
  { readonly record: BackupRecord },
  Problem & { readonly path?: string; readonly manifestPath?: string }
>;
