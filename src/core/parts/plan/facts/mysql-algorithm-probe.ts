import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { messageOf } from '../../../model/errors.ts';
import type { SqlToken } from '../statement-text.ts';
import { isKeyword, tokenizeSql } from '../statement-text.ts';
import type { TableStatement } from '../table-statement.ts';
import { readTableStatement } from '../table-statement.ts';
import type { TableTraits } from './mysql-algorithm-rules.ts';
import { readServerTraits, ruleMayCover, verdictByRule } from './mysql-algorithm-rules.ts';
import type { AlgorithmVerdict } from './observed-facts.ts';
import { readRowVersions } from './mysql-row-versions.ts';

/** The algorithms to try, cheapest first; the first the server accepts is the verdict. */
const LADDER: readonly {
  readonly algorithm: Exclude<AlgorithmVerdict['algorithm'], 'unknown'>;
  readonly options: readonly string[];
  readonly mariadbOnly?: boolean;
}[] = [
  { algorithm: 'instant', options: ['ALGORITHM=INSTANT'] },
  { algorithm: 'nocopy', options: ['ALGORITHM=NOCOPY', 'LOCK=NONE'], mariadbOnly: true },
  { algorithm: 'inplace', options: ['ALGORITHM=INPLACE', 'LOCK=NONE'] },
  { algorithm: 'inplace-locked', options: ['ALGORITHM=INPLACE'] },
  { algorithm: 'copy', options: ['ALGORITHM=COPY'] },
];

/**
 * ER_ALTER_OPERATION_NOT_SUPPORTED and ..._REASON: the server refuses that algorithm or lock;
 * MySQL's 4092: the table has used up its row versions, INSTANT no longer adds or drops columns.
 */
const REFUSED = new Set([1845, 1846, 4092]);

/**
 * Asks the server how it would run each ALTER TABLE (and CREATE/DROP INDEX) of an up on a
 * table that existed before: on a copy of the table (`CREATE TABLE ... LIKE`, same definition,
 * no rows), the statement is run with ALGORITHM=INSTANT appended, then NOCOPY (MariaDB), then
 * INPLACE with LOCK=NONE, INPLACE, and COPY; the first accepted is the verdict. A refusal
 * that names what to try instead ("Try ALGORITHM=COPY") skips the steps in between, and a
 * step the server promised (or COPY, which always works) is not run for the last statement
 * of a table: nothing needs the copy after it. The statements of one table run on its copy
 * in order, so each is judged on the table as the ones before it left it. On MariaDB, a
 * table's last statement whose verdict is certain by rule (see mysql-algorithm-rules.ts: an
 * ADD COLUMN at the end, an ADD FOREIGN KEY) gets that verdict without being run; a table
 * whose statements are all covered so is never copied.
 *
 * Must run while the database is as it was before the up (the proof calls it after the down
 * restored that state, before the up runs again): a TypeScript migration's statements are
 * only known once its up ran, and the copies must be made from the tables as they were. The
 * copies are dropped before returning. A statement whose probe fails for another reason
 * (e.g. it needs a table the same up creates) gets `unknown`, and its table is not probed
 * further: its copy no longer matches.
 */
export async function probeAlgorithms(
  db: Kysely<any>,
  statements: readonly string[],
  existed: (table: string) => boolean,
  mariadb: boolean,
  options: {
    /**
     * The tables as they were before the up: with it, a statement whose verdict is certain by
     * rule (mysql-algorithm-rules.ts) gets that verdict without being probed.
     */
    readonly tables?: (table: string) => TableTraits | undefined;
    /**
     * MySQL: filled, for each table all of whose statements the server does INSTANT, with the
     * row versions the up adds: its copy's count, made fresh by `CREATE TABLE ... LIKE`.
     */
    readonly addedRowVersions?: Map<string, number>;
  } = {},
): Promise<Map<number, AlgorithmVerdict>> {
  // One connection for the whole probe: the session settings the rules read are the ones the
  // statements run under, and the pool is not asked for a connection per statement.
  return db.connection().execute(async (connection) => {
    const verdicts = new Map<number, AlgorithmVerdict>();
    const copies = new Map<string, string>();
    const abandoned = new Set<string>();
    const tables = options.tables;
    // The statements judged INSTANT by rule, by table: each the row version its copy would count.
    const instantByRule = new Map<string, number>();
    let server: Promise<Awaited<ReturnType<typeof readServerTraits>>> | undefined;
    try {
      for (const [index, text] of statements.entries()) {
        const tokens = tokenizeSql(text, 'mysql');
        const read = readTableStatement(tokens, 'mysql');
        if (read === undefined || !existed(read.table) || abandoned.has(read.table)) continue;
        if (renamesTable(read)) {
          abandoned.add(read.table);
          continue;
        }
        const last = !statements.slice(index + 1).some((later) => targetTable(later) === read.table);
        if (last && tables !== undefined && ruleMayCover(read, tokens)) {
          server ??= readServerTraits(connection, mariadb);
          const verdict = verdictByRule(read, tokens, tables, await server);
          if (verdict !== undefined) {
            verdicts.set(index, verdict);
            if (verdict.algorithm === 'instant')
              instantByRule.set(read.table, (instantByRule.get(read.table) ?? 0) + 1);
            continue;
          }
        }
        let copy = copies.get(read.table);
        if (copy === undefined) {
          copy = `migration_gate_probe_${copies.size + 1}`;
          await sql`create table ${sql.id(copy)} like ${sql.id(read.table)}`.execute(connection);
          copies.set(read.table, copy);
        }
        const verdict = await probe(connection, text, tokens, read, copy, { mariadb, last });
        verdicts.set(index, verdict);
        if (verdict.algorithm === 'unknown') abandoned.add(read.table);
      }
      if (!mariadb && options.addedRowVersions !== undefined) {
        for (const [table, count] of instantByRule)
          if (!copies.has(table)) options.addedRowVersions.set(table, count);
      }
      if (!mariadb && options.addedRowVersions !== undefined && copies.size > 0) {
        const { versions } = await readRowVersions(connection);
        for (const [table, copy] of copies) {
          const added = versions.get(copy);
          const allInstant = [...verdicts.values()].every(
            (verdict) => verdict.table !== table || verdict.algorithm === 'instant',
          );
          if (added !== undefined && allInstant && !abandoned.has(table))
            options.addedRowVersions.set(table, added + (instantByRule.get(table) ?? 0));
        }
      }
    } finally {
      if (copies.size > 0)
        await sql`drop table if exists ${sql.join([...copies.values()].map((copy) => sql.id(copy)))}`.execute(
          connection,
        );
    }
    return verdicts;
  });
}

async function probe(
  db: Kysely<any>,
  text: string,
  tokens: readonly SqlToken[],
  read: TableStatement,
  copy: string,
  { mariadb, last }: { mariadb: boolean; last: boolean },
): Promise<AlgorithmVerdict> {
  const onCopy = withoutDefaultOptions(
    `${text.slice(0, read.nameStart)}\`${copy}\`${text.slice(read.nameEnd)}`,
    tokens,
    read.nameEnd - read.nameStart - copy.length - 2,
  );
  // ALTER TABLE takes options as comma-separated actions; CREATE/DROP INDEX as plain words.
  const withOptions = (options: readonly string[]) =>
    read.kind === 'alter-table' ? `${onCopy}, ${options.join(', ')}` : `${onCopy} ${options.join(' ')}`;
  try {
    const pinned = pinnedOptions(tokens);
    if (pinned.algorithm !== undefined || pinned.lock !== undefined) {
      const algorithm = await pinnedVerdict(db, onCopy, withOptions, pinned);
      return { algorithm, table: read.table, pinned: true };
    }
    let promised: number | undefined;
    for (let at = 0; at < LADDER.length;) {
      const step = LADDER[at]!;
      if (step.mariadbOnly === true && !mariadb) {
        at += 1;
        continue;
      }
      const verdict = { algorithm: step.algorithm, table: read.table };
      // COPY always works; ALGORITHM=INPLACE (with whatever lock) when the server said to try it.
      if (last && (step.algorithm === 'copy' || (promised === at && step.algorithm === 'inplace-locked')))
        return verdict;
      const refusal = await refusalOf(db, withOptions(step.options));
      if (refusal === undefined) return verdict;
      promised = hintedStep(refusal, at);
      at = promised ?? at + 1;
    }
    return { algorithm: 'unknown', table: read.table, reason: 'the server refused every algorithm' };
  } catch (error) {
    return { algorithm: 'unknown', table: read.table, reason: messageOf(error) };
  }
}

/**
 * A statement that pins its own ALGORITHM or LOCK runs with exactly those in production, so
 * the verdict is what it pinned; only whether it lets writes go on may need asking (no LOCK
 * given: the server takes the weakest lock it can).
 */
async function pinnedVerdict(
  db: Kysely<any>,
  onCopy: string,
  withOptions: (options: readonly string[]) => string,
  pinned: { algorithm?: string; lock?: string },
): Promise<Exclude<AlgorithmVerdict['algorithm'], 'unknown'>> {
  // INSTANT takes no lock to ask about, and MySQL refuses it beside any LOCK= (error 1221).
  if (pinned.algorithm === 'instant' && pinned.lock === undefined) {
    await sql.raw(onCopy).execute(db);
    return 'instant';
  }
  const lockNone =
    pinned.lock === undefined ? await accepted(db, withOptions(['LOCK=NONE'])) : pinned.lock === 'none';
  if (pinned.lock !== undefined || !lockNone) await sql.raw(onCopy).execute(db);
  if (pinned.algorithm === 'instant' || pinned.algorithm === 'copy') return pinned.algorithm;
  if (!lockNone) return 'inplace-locked';
  return pinned.algorithm === 'nocopy' ? 'nocopy' : 'inplace';
}

/** Runs a statement: true when it ran, false when the server refused its algorithm or lock. */
async function accepted(db: Kysely<any>, statement: string): Promise<boolean> {
  return (await refusalOf(db, statement)) === undefined;
}

/** Runs a statement: undefined when it ran, the server's message when it refused its algorithm or lock. */
async function refusalOf(db: Kysely<any>, statement: string): Promise<string | undefined> {
  try {
    await sql.raw(statement).execute(db);
    return undefined;
  } catch (error) {
    if (REFUSED.has(Number((error as { errno?: unknown }).errno))) return messageOf(error);
    throw error;
  }
}

/**
 * The ladder step a refusal points at ("... Try ALGORITHM=COPY", "... Try LOCK=SHARED"),
 * when it points past the current one. The server promises the algorithm it names works, but
 * not with LOCK=NONE: only the locked steps are sure. MySQL names every algorithm left
 * ("Try ALGORITHM=COPY/INPLACE."), MariaDB one: the cheapest named is the next step.
 */
function hintedStep(message: string, current: number): number | undefined {
  const hint = /\bTry (ALGORITHM|LOCK)=(\w+(?:\/\w+)*)/i.exec(message);
  if (hint === null) return undefined;
  const option = hint[1]!.toUpperCase();
  const named =
    option === 'LOCK'
      ? [LADDER[current]!.algorithm === 'copy' ? 'copy' : 'inplace-locked']
      : hint[2]!
          .toUpperCase()
          .split('/')
          .map(
            (value) => ({ INSTANT: 'instant', NOCOPY: 'nocopy', INPLACE: 'inplace', COPY: 'copy' })[value],
          );
  const at = LADDER.findIndex((step) => named.includes(step.algorithm));
  return at > current ? at : undefined;
}

/** The table an ALTER TABLE or CREATE/DROP INDEX statement changes. */
function targetTable(text: string): string | undefined {
  return readTableStatement(tokenizeSql(text, 'mysql'), 'mysql')?.table;
}

/** `ALTER TABLE t RENAME TO u` (or `RENAME u`): the copy would be renamed, not probed. */
function renamesTable(read: TableStatement): boolean {
  return read.actions.some(
    (action) => isKeyword(action[0], 'rename') && !isKeyword(action[1], 'column', 'index', 'key'),
  );
}

/** The ALGORITHM= and LOCK= values a statement gives itself, in lower case (DEFAULT is none). */
function pinnedOptions(tokens: readonly SqlToken[]): { algorithm?: string; lock?: string } {
  const pinned: { algorithm?: string; lock?: string } = {};
  for (const option of algorithmOptions(tokens)) {
    if (option.value !== 'default') pinned[option.name] = option.value;
  }
  return pinned;
}

/** Each `ALGORITHM [=] x` and `LOCK [=] x` of a statement, with its token range and joining comma. */
function algorithmOptions(
  tokens: readonly SqlToken[],
): { name: 'algorithm' | 'lock'; value: string; start: number; end: number }[] {
  const options: { name: 'algorithm' | 'lock'; value: string; start: number; end: number }[] = [];
  for (let at = 0; at < tokens.length; at++) {
    if (!isKeyword(tokens[at], 'algorithm', 'lock')) continue;
    const valueAt = at + (tokens[at + 1]?.text === '=' ? 2 : 1);
    const value = tokens[valueAt];
    if (value?.kind !== 'word') continue;
    // With the comma that joins it to the other actions, before or after it.
    const before = tokens[at - 1]?.text === ',' ? tokens[at - 1] : undefined;
    const after = before === undefined && tokens[valueAt + 1]?.text === ',' ? tokens[valueAt + 1] : undefined;
    options.push({
      name: tokens[at]!.text as 'algorithm' | 'lock',
      value: value.text,
      start: (before ?? tokens[at]!).start,
      end: (after ?? value).end,
    });
  }
  return options;
}

/**
 * The statement without `ALGORITHM=DEFAULT` and `LOCK=DEFAULT`, which pin nothing, so that the
 * probe's options are the only ones. `shift` is how much shorter the text got where the table
 * name was replaced, to find in it the tokens read from the original.
 */
function withoutDefaultOptions(text: string, tokens: readonly SqlToken[], shift: number): string {
  let result = text;
  for (const option of algorithmOptions(tokens).reverse()) {
    if (option.value === 'default')
      result = result.slice(0, option.start - shift) + result.slice(option.end - shift);
  }
  return result;
}
