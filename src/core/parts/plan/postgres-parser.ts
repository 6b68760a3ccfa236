/**
 * Postgres's own grammar (libpg-query: the server's parser compiled to WebAssembly), for
 * reading statements where token patterns are weak, such as `WITH ... DELETE`. It is loaded
 * lazily, once, before the first up of a Postgres migration under proof (about 60 ms to
 * import and instantiate, then a fraction of a millisecond per statement). When the package
 * is not installed, or a statement does not parse, callers fall back to the shared lexer, so
 * nothing depends on it being there.
 */

/** One parsed statement: `{ DeleteStmt: {...} }`, keyed by its node type. */
export type PostgresStatementTree = Readonly<Record<string, unknown>>;

interface Parser {
  parseSync(sql: string): { stmts?: { stmt: PostgresStatementTree }[] };
}

let parser: Parser | null | undefined;

/** Loads the parser once; resolves also when it is not installed. */
export async function loadPostgresParser(): Promise<void> {
  if (parser !== undefined) return;
  try {
    // A variable specifier keeps it optional: the type checker and the bundler leave it alone.
    const name = 'libpg-query';
    const module = (await import(name)) as Parser & { loadModule(): Promise<void> };
    await module.loadModule();
    parser = module;
  } catch {
    parser = null;
  }
}

/** The statement's tree when the parser is loaded and it holds exactly one statement that parses. */
export function parsePostgresStatement(sql: string): PostgresStatementTree | undefined {
  if (parser === undefined || parser === null) return undefined;
  try {
    const { stmts = [] } = parser.parseSync(sql);
    return stmts.length === 1 ? stmts[0]!.stmt : undefined;
  } catch {
    return undefined;
  }
}
