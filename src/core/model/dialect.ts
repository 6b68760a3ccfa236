/** The SQL families the engine speaks. MariaDB is served by the `mysql` family. */
export type DialectName = 'postgres' | 'mysql';

/** All dialect names, for argument validation and test loops. */
export const DIALECT_NAMES: readonly DialectName[] = ['postgres', 'mysql'];
