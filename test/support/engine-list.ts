/* Engine names, apart from engines.ts so the conformance project's global setup (which may not
   call vitest's inject) can read them. */

/**
 * The engines the database suites run on, like Kysely's DIALECTS. The primary engines are the
 * servers every machine here runs (PostgreSQL 15, MariaDB 10.11) and PGlite; the others are
 * containers the conformance project starts (test/conformance/start-engines.ts). Select with
 * MIGRATION_GATE_TEST_ENGINES=postgres,pglite; the default is the primary three.
 */
export type TestEngine = PrimaryEngine | ContainerEngine;
/** The engines that need nothing but this machine's own servers and PGlite. */
export type PrimaryEngine = 'postgres' | 'mariadb' | 'pglite';
/** The engines the conformance suite adds, each from its (official or stand-in) image. */
export type ContainerEngine = 'postgres17' | 'postgres18' | 'mariadb11' | 'mysql';

/** The primary engines, the default selection. */
export const PRIMARY_ENGINES: readonly PrimaryEngine[] = ['postgres', 'mariadb', 'pglite'];
/** The container engines, in the order the conformance report lists them. */
export const CONTAINER_ENGINES: readonly ContainerEngine[] = [
  'postgres17',
  'postgres18',
  'mariadb11',
  'mysql',
];
/** Every engine, primary first. */
export const ALL_ENGINES: readonly TestEngine[] = [...PRIMARY_ENGINES, ...CONTAINER_ENGINES];

/**
 * The engines the conformance project runs on: MIGRATION_GATE_CONFORMANCE_ENGINES (e.g. `mysql`,
 * one job of a CI matrix), else all seven. Its global setup starts only the container engines
 * named here, and its own files test only these.
 */
export function conformanceSelection(): readonly TestEngine[] {
  const names = process.env['MIGRATION_GATE_CONFORMANCE_ENGINES'];
  if (names === undefined || names.trim() === '') return ALL_ENGINES;
  const wanted = names.split(',').map((name) => name.trim());
  return ALL_ENGINES.filter((engine) => wanted.includes(engine));
}

/**
 * What a reader of a test name learns about each engine. The `mysql` engine is MySQL 9.7 here;
 * CI's matrix also runs it on mysql:8.4 and says so with MIGRATION_GATE_TEST_MYSQL_RELEASE=8.4.
 */
export const ENGINE_TITLES: Readonly<Record<TestEngine, string>> = {
  postgres: 'PostgreSQL 15',
  postgres17: 'PostgreSQL 17',
  postgres18: 'PostgreSQL 18',
  pglite: 'PGlite',
  mariadb: 'MariaDB 10.11',
  mariadb11: 'MariaDB 11.8',
  mysql: `MySQL ${process.env['MIGRATION_GATE_TEST_MYSQL_RELEASE'] || '9.7'}`,
};
