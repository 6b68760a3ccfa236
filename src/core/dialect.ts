/** The SQL families the engine speaks. MariaDB is served by the `mysql` family. */
export type DialectName = 'postgres' | 'mysql';

/** All dialect names, for argument validation and test loops. */
export const DIALECT_NAMES: readonly DialectName[] = ['postgres', 'mysql'];

/** Narrows an arbitrary string to a dialect name. */
export function isDialectName(value: string): value is DialectName {
  return (DIALECT_NAMES as readonly string[]).includes(value);
}
