import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { SchemaSnapshot } from '../../schema/snapshot.ts';
import { objectKey } from '../../schema/snapshot.ts';
import type { SqlToken } from '../statement-text.ts';
import { isKeyword, isName } from '../statement-text.ts';
import type { TableStatement } from '../table-statement.ts';
import type { AlgorithmVerdict } from './observed-facts.ts';

/**
 * Statements whose probe verdict is certain from their text, the table's definition and the
 * server's settings, so the probe need not run them on a copy (each probe costs a `CREATE
 * TABLE ... LIKE`, an ALTER or two and a `DROP TABLE`: a few milliseconds each on MariaDB, tens
 * on MySQL 8+, whose data dictionary makes every DDL statement a transaction of its own). Each
 * server has its own rules, from its own documentation: MariaDB's KB and MySQL's online DDL
 * matrix judge the same statement differently (an index: NOCOPY on MariaDB, INPLACE on MySQL).
 * Anything the rules below do not cover exactly is still probed.
 * test/plan/mysql-algorithm-rules.test.ts runs every covered form through the probe on each
 * real server (MariaDB 10.11 and 11.8, MySQL 9.7) and compares the verdicts.
 */

/** What the rules need to know about a table that existed before the up. */
export interface TableTraits {
  readonly engine: string | null;
  /** As CREATE TABLE gave it; null for the server's default (never COMPRESSED). */
  readonly rowFormat: string | null;
  /** Other explicit table options (KEY_BLOCK_SIZE, PAGE_COMPRESSED, ...). */
  readonly createOptions: string | null;
  readonly systemVersioned: boolean;
  readonly partitioned: boolean;
  /** INDEX_TYPE of each index (BTREE, FULLTEXT, SPATIAL, ...). */
  readonly indexTypes: readonly string[];
  readonly hasPrimaryKey: boolean;
  /** Its stored, not generated, columns, in lower case. */
  readonly plainColumns: ReadonlySet<string>;
}

/** The server and the settings of the probe's session the rules depend on. */
export interface ServerTraits {
  readonly engine: 'mariadb' | 'mysql';
  /** @@foreign_key_checks of the session. */
  readonly foreignKeyChecks: boolean;
  /**
   * Whether InnoDB adds a column at the end with ALGORITHM=INSTANT: MariaDB unless
   * @@innodb_instant_alter_column_allowed is `never`; MySQL since 8.0.12.
   */
  readonly instantAddAtEnd: boolean;
}

/** A table's {@link TableTraits} as the snapshot taken before the up recorded them. */
export function tableTraitsFrom(before: SchemaSnapshot): (table: string) => TableTraits | undefined {
  return (table) => {
    const object = before.objects[objectKey({ kind: 'table', name: table })];
    if (object === undefined) return undefined;
    const attribute = (name: string) => {
      const value = object.attributes[name];
      return typeof value === 'string' ? value : null;
    };
    const owned = Object.values(before.objects).filter((other) => other.table === table);
    const indexes = owned.filter((other) => other.kind === 'index');
    const plainColumns = new Set(
      owned
        .filter((other) => other.kind === 'column' && other.attributes['generated'] === null)
        .map((column) => column.name.slice(table.length + 1).toLowerCase()),
    );
    return {
      engine: attribute('engine'),
      rowFormat: attribute('rowFormat'),
      createOptions: attribute('createOptions'),
      systemVersioned: object.attributes['systemVersioned'] === true,
      partitioned: attribute('partitionBy') !== null,
      indexTypes: indexes.map((index) => String(index.attributes['type'] ?? '')),
      hasPrimaryKey: indexes.some((index) => index.attributes['primary'] === true),
      plainColumns,
    };
  };
}

/**
 * Reads {@link ServerTraits} on the probe's connection; undefined when the server does not say
 * what the rules need (MariaDB without @@innodb_instant_alter_column_allowed, before
 * 10.3.23/10.4.13/10.5.2): then every statement is probed.
 */
export async function readServerTraits(db: Kysely<any>, mariadb: boolean): Promise<ServerTraits | undefined> {
  try {
    if (mariadb) {
      const { rows } = await sql<{ fk: unknown; instant: unknown }>`select @@session.foreign_key_checks as fk,
          @@global.innodb_instant_alter_column_allowed as instant`.execute(db);
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        engine: 'mariadb',
        foreignKeyChecks: Number(row.fk) === 1,
        instantAddAtEnd: String(row.instant) !== 'never',
      };
    }
    const { rows } = await sql<{ fk: unknown; version: string }>`select @@session.foreign_key_checks as fk,
        version() as version`.execute(db);
    const row = rows[0];
    if (row === undefined) return undefined;
    const [major = 0, minor = 0, patch = 0] = row.version.split(/[.-]/).map(Number);
    const instantAddAtEnd = major > 8 || (major === 8 && (minor > 0 || patch >= 12));
    return { engine: 'mysql', foreignKeyChecks: Number(row.fk) === 1, instantAddAtEnd };
  } catch {
    return undefined;
  }
}

/**
 * Whether a statement is of a form some rule covers, from its text alone: worth reading the
 * server's settings for. The verdict itself comes from {@link verdictByRule}.
 */
export function ruleMayCover(read: TableStatement, tokens: readonly SqlToken[]): boolean {
  return (
    addedColumnAtEnd(read, tokens) ||
    addedForeignKey(read, tokens) !== undefined ||
    addedIndex(read, tokens) !== undefined
  );
}

/**
 * The verdict the probe would give a statement on this server, when certain; undefined when the
 * statement must be probed. Only for a statement that is its table's last in the up (no later
 * probe needs it applied to the copy) and pins no ALGORITHM or LOCK. `tables` gives the tables
 * as they were before the up.
 */
export function verdictByRule(
  read: TableStatement,
  tokens: readonly SqlToken[],
  tables: (table: string) => TableTraits | undefined,
  server: ServerTraits | undefined,
): AlgorithmVerdict | undefined {
  const table = tables(read.table);
  if (table === undefined || server === undefined || !plainInnodb(table)) return undefined;
  const btreeOnly = table.indexTypes.every((type) => type.toUpperCase() === 'BTREE');
  // ADD COLUMN as the last one: INSTANT unless the table is ROW_FORMAT=COMPRESSED or has a
  // FULLTEXT index (its hidden FTS_DOC_ID column). MariaDB KB, "InnoDB Online DDL Operations
  // with the INSTANT Alter Algorithm" (since 10.3.2, unless innodb_instant_alter_column_allowed
  // =never); MySQL manual, "Online DDL Operations", Column Operations (since 8.0.12). MySQL
  // counts a row version for it: the probe's copy, fresh, would count one (see the probe).
  if (addedColumnAtEnd(read, tokens) && server.instantAddAtEnd && btreeOnly)
    return { algorithm: 'instant', table: read.table };
  // ADD FOREIGN KEY: INPLACE only with foreign_key_checks=OFF; with it ON, ALGORITHM=COPY is
  // required, and INSTANT is never supported ("... Try ALGORITHM=COPY", which the probe trusts
  // and, for a table's last statement, does not run). Same on both servers; MySQL refuses it
  // outright, whatever the algorithm, when the referenced table does not exist yet.
  const referenced = addedForeignKey(read, tokens);
  if (
    referenced !== undefined &&
    server.foreignKeyChecks &&
    (server.engine === 'mariadb' || referenced === read.table || tables(referenced) !== undefined)
  )
    return { algorithm: 'copy', table: read.table };
  // ADD INDEX / CREATE INDEX of a plain index: MariaDB KB, "InnoDB Online DDL Operations with
  // the NOCOPY Alter Algorithm": NOCOPY with LOCK=NONE (INSTANT is refused: "Reason: ADD
  // INDEX. Try ALGORITHM=NOCOPY"); MySQL manual, Index Operations: a secondary index is built
  // INPLACE while writes go on (MySQL has no NOCOPY). Not a FULLTEXT or SPATIAL one, nor on a
  // table that has one, nor on generated columns; and a UNIQUE one only where the table has a
  // primary key (else InnoDB may make it the clustered index, a rebuild).
  const index = addedIndex(read, tokens);
  if (
    index !== undefined &&
    btreeOnly &&
    (!index.unique || table.hasPrimaryKey) &&
    index.columns.every((column) => table.plainColumns.has(column.toLowerCase()))
  )
    return { algorithm: server.engine === 'mariadb' ? 'nocopy' : 'inplace', table: read.table };
  return undefined;
}

/**
 * An InnoDB table without what changes the rules above: not partitioned, not system-versioned,
 * not compressed (ROW_FORMAT=COMPRESSED, or KEY_BLOCK_SIZE or page compression among its other
 * options: any explicit option other than the row format keeps the table probed).
 */
function plainInnodb(table: TableTraits): boolean {
  return (
    table.engine?.toLowerCase() === 'innodb' &&
    !table.partitioned &&
    !table.systemVersioned &&
    table.createOptions === null &&
    (table.rowFormat === null || ['DYNAMIC', 'COMPACT', 'REDUNDANT'].includes(table.rowFormat.toUpperCase()))
  );
}

/** Column types whose ADD COLUMN the rule covers (TIMESTAMP, JSON, generated columns excluded). */
const PLAIN_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'bool',
  'boolean',
  'char',
  'varchar',
  'binary',
  'varbinary',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'date',
  'datetime',
  'time',
  'year',
  'enum',
]);

/** Words that, after a bare ADD, start something other than a column. */
const NOT_A_COLUMN = new Set([
  'constraint',
  'primary',
  'unique',
  'index',
  'key',
  'fulltext',
  'spatial',
  'foreign',
  'check',
  'period',
  'partition',
  'system',
  'if',
]);

/**
 * `ALTER TABLE t ADD [COLUMN] c type [(n[, m]) | ('a', ...)] [UNSIGNED] [[NOT] NULL]
 * [CHARACTER SET x] [COLLATE x] [DEFAULT literal] [COMMENT 'text']` as the only action: a
 * column appended at the end, with nothing that adds an index, a constraint, a generated
 * value or a default computed per row. Anything else, or these in any other shape, is probed.
 */
function addedColumnAtEnd(read: TableStatement, tokens: readonly SqlToken[]): boolean {
  if (read.kind !== 'alter-table' || read.actions.length !== 1 || !plainAlter(tokens)) return false;
  const action = read.actions[0]!;
  if (!isKeyword(action[0], 'add')) return false;
  let at = 1;
  if (isKeyword(action[at], 'column')) at++;
  else if (action[at]?.kind === 'word' && NOT_A_COLUMN.has(action[at]!.text)) return false;
  if (!isName(action[at]) || isKeyword(action[at], 'if')) return false;
  at++;
  const type = action[at];
  if (type?.kind !== 'word' || !PLAIN_TYPES.has(type.text)) return false;
  at++;
  if (action[at]?.text === '(') {
    at++;
    while (action[at] !== undefined && action[at]!.text !== ')') {
      const token = action[at]!;
      const literal = token.kind === 'string' || (token.kind === 'word' && /^\d+$/.test(token.text));
      if (!literal && token.text !== ',') return false;
      at++;
    }
    if (action[at]?.text !== ')') return false;
    at++;
  }
  while (at < action.length) {
    const token = action[at]!;
    if (isKeyword(token, 'unsigned', 'signed', 'zerofill', 'null')) at++;
    else if (isKeyword(token, 'not') && isKeyword(action[at + 1], 'null')) at += 2;
    else if (isKeyword(token, 'charset', 'collate') && action[at + 1]?.kind === 'word') at += 2;
    else if (
      isKeyword(token, 'character') &&
      isKeyword(action[at + 1], 'set') &&
      action[at + 2]?.kind === 'word'
    )
      at += 3;
    else if (isKeyword(token, 'comment') && action[at + 1]?.kind === 'string') at += 2;
    else if (isKeyword(token, 'default')) {
      const end = constantEnd(action, at + 1);
      if (end === undefined) return false;
      at = end;
    } else return false;
  }
  return true;
}

/** The end of a constant at `at` (a string, NULL, TRUE/FALSE, or a plain decimal number). */
function constantEnd(tokens: readonly SqlToken[], at: number): number | undefined {
  const token = tokens[at];
  if (token?.kind === 'string' || isKeyword(token, 'null', 'true', 'false')) return at + 1;
  let next = at;
  if (tokens[next]?.text === '-') next++;
  if (tokens[next]?.kind !== 'word' || !/^\d+$/.test(tokens[next]!.text)) return undefined;
  next++;
  if (tokens[next]?.text === '.' && /^\d+$/.test(tokens[next + 1]?.text ?? '')) next += 2;
  return next;
}

/**
 * `ALTER TABLE t ADD [CONSTRAINT [name]] FOREIGN KEY [name] (columns) REFERENCES r ...` as the
 * only action: the referenced table, or undefined for any other statement.
 */
function addedForeignKey(read: TableStatement, tokens: readonly SqlToken[]): string | undefined {
  if (read.kind !== 'alter-table' || read.actions.length !== 1 || !plainAlter(tokens)) return undefined;
  const action = read.actions[0]!;
  if (!isKeyword(action[0], 'add')) return undefined;
  let at = 1;
  if (isKeyword(action[at], 'constraint')) {
    at++;
    if (isName(action[at]) && !isKeyword(action[at], 'foreign')) at++;
  }
  if (!isKeyword(action[at], 'foreign') || !isKeyword(action[at + 1], 'key')) return undefined;
  const references = action.findIndex((token) => isKeyword(token, 'references'));
  const referenced = action[references + 1];
  // A qualified name (`other_db.r`) is left to the probe.
  if (references < 0 || !isName(referenced) || action[references + 2]?.text === '.') return undefined;
  return referenced.name;
}

/**
 * `CREATE [UNIQUE] INDEX name ON t (column [(length)] [ASC|DESC], ...)`, or the same index as
 * the only action of `ALTER TABLE t ADD [UNIQUE] {INDEX|KEY} name (...)`, with nothing else
 * (no USING, COMMENT, IF NOT EXISTS, ALGORITHM or LOCK): its columns, or undefined.
 */
function addedIndex(
  read: TableStatement,
  tokens: readonly SqlToken[],
): { unique: boolean; columns: string[] } | undefined {
  let words: readonly SqlToken[];
  if (read.kind === 'create-index') {
    // The table name ends the statement's head: `... ON t (`.
    const open = tokens.findIndex((token) => token.start >= read.nameEnd);
    if (!isKeyword(tokens[0], 'create') || tokens[open]?.text !== '(') return undefined;
    if (!isKeyword(tokens[open - 2], 'on') || tokens[open - 1]?.end !== read.nameEnd) return undefined;
    words = [...tokens.slice(1, open - 2), ...tokens.slice(open)];
    if (words.at(-1)?.text === ';') words = words.slice(0, -1);
  } else if (read.kind === 'alter-table' && read.actions.length === 1 && plainAlter(tokens)) {
    const action = read.actions[0]!;
    if (!isKeyword(action[0], 'add')) return undefined;
    words = action.slice(1).map((token) => (isKeyword(token, 'key') ? { ...token, text: 'index' } : token));
  } else return undefined;
  let at = 0;
  const unique = isKeyword(words[at], 'unique');
  if (unique) at++;
  if (!isKeyword(words[at], 'index')) return undefined;
  at++;
  if (!isName(words[at]) || isKeyword(words[at], 'if', 'primary') || words[at + 1]?.text !== '(')
    return undefined;
  at += 2;
  const columns: string[] = [];
  for (;;) {
    if (!isName(words[at])) return undefined;
    columns.push(words[at]!.name);
    at++;
    if (words[at]?.text === '(' && /^\d+$/.test(words[at + 1]?.text ?? '') && words[at + 2]?.text === ')')
      at += 3;
    if (isKeyword(words[at], 'asc', 'desc')) at++;
    if (words[at]?.text === ',') at++;
    else break;
  }
  return words[at]?.text === ')' && at === words.length - 1 ? { unique, columns } : undefined;
}

/**
 * `ALTER TABLE name ...` exactly (no ONLINE, IGNORE or IF EXISTS), without ALGORITHM or LOCK
 * anywhere: a statement that pins them is run on the copy as written.
 */
function plainAlter(tokens: readonly SqlToken[]): boolean {
  return (
    isKeyword(tokens[0], 'alter') &&
    isKeyword(tokens[1], 'table') &&
    !isKeyword(tokens[2], 'if') &&
    !tokens.some((token) => isKeyword(token, 'algorithm', 'lock'))
  );
}
