/** The engine family of a server: its version string tells MariaDB from Oracle MySQL. */
export type ServerFamily = 'postgres' | 'mariadb' | 'mysql';

/** One server's engine and release, e.g. MySQL 9.7.4: what proved a check, or what a target runs. */
export interface EngineVersion {
  readonly family: ServerFamily;
  /** Numbers only, e.g. `9.7.4` of `9.7.4-2`, `15.20` of `15.20 (Debian 15.20-0+deb12u1)`. */
  readonly version: string;
}

/** Where a check's proof ran: the engine and, for a container, the image asked for. */
export interface ProofEngine extends EngineVersion {
  /** The image of a container throwaway, as chosen (official name or --image), before any mirror. */
  readonly image?: string;
  /** `PGlite` for the embedded engine, so nobody mistakes it for a PostgreSQL server. */
  readonly embedded?: boolean;
}
