import type { RowDemand } from '../../model/row-demand.ts';

/** What was counted of one demand, before it is put in words. */
export interface RowCount {
  readonly rows?: number;
  readonly groups?: number;
  readonly sample?: { readonly percent: number; readonly scaled: boolean };
  readonly notCounted?: string;
  readonly writtenBy?: string;
}

/**
 * One line for a demand counted on the target, e.g. `would fail on the target: 1,204 rows
 * of users have NULL in username`, `holds on the target: no row of users has NULL in username`,
 * `not counted (NOT NULL on users.username): timed out after 5 s`.
 */
export function rowCheckMessage(demand: RowDemand, count: RowCount): string {
  if (count.notCounted !== undefined || count.rows === undefined)
    return `not counted (${demandTitle(demand)}): ${count.notCounted ?? 'no count'}`;
  const rows = count.rows;
  const subject = `${rowsWord(rows, count.sample)} of ${demand.table}`;
  const sentence = `${subject} ${predicate(demand, rows <= 1, count.groups ?? 0)}${sampleWords(count.sample)}`;
  if (rows === 0) return `holds on the target: ${sentence}`;
  if (count.writtenBy !== undefined)
    return `may fail on the target unless the writes of ${count.writtenBy} fix these rows first: ${sentence}`;
  return `would fail on the target: ${sentence}`;
}

/** The demand in a few words: `NOT NULL on users.username`, `UNIQUE on users (email)`. */
export function demandTitle(demand: RowDemand): string {
  switch (demand.kind) {
    case 'not-null':
      return `NOT NULL on ${demand.table}.${demand.column}`;
    case 'unique':
      return `UNIQUE on ${demand.table} (${demand.columns.join(', ')})`;
    case 'foreign-key':
      return `FOREIGN KEY ${demand.table} (${demand.columns.join(', ')}) to ${demand.referencedTable}`;
    case 'check':
      return `CHECK ${demand.name} on ${demand.table}`;
    case 'max-length':
      return `length ${demand.length} on ${demand.table}.${demand.column}`;
    case 'cast':
      return `type ${demand.type} on ${demand.table}.${demand.column}`;
    case 'enum-values':
      return `values removed from ${demand.table}.${demand.column}`;
  }
}

function rowsWord(rows: number, sample: RowCount['sample']): string {
  if (rows === 0) return 'no row';
  const amount = rows.toLocaleString('en-US');
  const noun = rows === 1 ? 'row' : 'rows';
  if (sample === undefined) return `${amount} ${noun}`;
  return `${sample.scaled ? 'about' : 'at least'} ${amount} ${noun}`;
}

function sampleWords(sample: RowCount['sample']): string {
  if (sample === undefined) return '';
  return ` (${sample.scaled ? '' : 'in a '}sample of ${Number(sample.percent.toPrecision(2))}%)`;
}

function predicate(demand: RowDemand, one: boolean, groups: number): string {
  const have = one ? 'has' : 'have';
  switch (demand.kind) {
    case 'not-null':
      return `${have} NULL in ${demand.column}`;
    case 'unique':
      return `${one ? 'shares' : 'share'} ${groups.toLocaleString('en-US')} duplicated ${groups === 1 ? 'value' : 'values'} of ${demand.columns.join(', ')}`;
    case 'foreign-key':
      return `${have} ${demand.columns.join(', ')} with no matching row in ${demand.referencedTable}`;
    case 'check':
      return `${one ? 'breaks' : 'break'} CHECK ${demand.name} (${demand.expression})`;
    case 'max-length':
      return `${have} ${demand.column} longer than ${demand.length} characters`;
    case 'cast':
      return typeof demand.accepts === 'object'
        ? `${have} ${demand.column} outside the range of ${demand.type}`
        : `${have} ${demand.column} that is not ${demand.accepts === 'integer' ? 'a whole number' : 'a number'} (the new type is ${demand.type})`;
    case 'enum-values':
      return `${have} ${demand.column} set to a removed value (${demand.removed.map((value) => `'${value}'`).join(', ')})`;
  }
}
