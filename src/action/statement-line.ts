/**
 * The 1-based line of `source` where a captured statement starts, when the source holds its
 * text (SQL migrations do; a query builder's output is not in the source). Compared with
 * whitespace collapsed, as the SQL splitter may trim it; undefined unless found exactly once.
 */
export function statementLine(source: string, sql: string): number | undefined {
  const statement = sql.trim().replace(/;$/, '').replace(/\s+/g, ' ');
  if (statement === '') return undefined;
  // The source with each whitespace run made one space, and the line each character is on.
  let text = '';
  const lines: number[] = [];
  let line = 1;
  for (const run of source.matchAll(/\s+|\S+/g)) {
    const whitespace = /^\s/.test(run[0]);
    text += whitespace ? ' ' : run[0];
    for (let index = 0; index < (whitespace ? 1 : run[0].length); index++) lines.push(line);
    if (whitespace) line += run[0].split('\n').length - 1;
  }
  const first = text.indexOf(statement);
  if (first === -1 || text.indexOf(statement, first + 1) !== -1) return undefined;
  return lines[first];
}
