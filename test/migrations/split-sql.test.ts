import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from '../../src/core/parts/migrations/split-sql.ts';

function lines(...text: string[]): string {
  return text.join('\n');
}

describe('splitSqlStatements', () => {
  it('splits on semicolons and reports the line each statement starts on', () => {
    const script = lines(
      'CREATE TABLE a (id int);',
      '',
      'CREATE TABLE b (',
      '  id int',
      ');',
      'DROP TABLE c',
    );
    expect(splitSqlStatements(script, 'postgres')).toEqual([
      { sql: 'CREATE TABLE a (id int)', line: 1 },
      { sql: 'CREATE TABLE b (\n  id int\n)', line: 3 },
      { sql: 'DROP TABLE c', line: 6 },
    ]);
  });

  it('starts a statement at its first token, after leading comments', () => {
    const script = lines(
      '-- users',
      '/* the main',
      '   table */',
      'CREATE TABLE users (id int); -- trailing',
    );
    expect(splitSqlStatements(script, 'postgres')).toEqual([{ sql: 'CREATE TABLE users (id int)', line: 4 }]);
  });

  it('drops comment-only chunks and returns nothing for an empty or comments-only script', () => {
    expect(splitSqlStatements('', 'postgres')).toEqual([]);
    expect(splitSqlStatements('  \n\t\n', 'mysql')).toEqual([]);
    expect(splitSqlStatements(lines('-- nothing', '/* at all */;', ';'), 'postgres')).toEqual([]);
    expect(splitSqlStatements(lines('# nothing', '-- here'), 'mysql')).toEqual([]);
  });

  it("keeps semicolons inside '...' strings, with '' escapes", () => {
    const script = lines("INSERT INTO t VALUES ('a;b', 'it''s; fine');", 'SELECT 1;');
    expect(splitSqlStatements(script, 'postgres')).toEqual([
      { sql: "INSERT INTO t VALUES ('a;b', 'it''s; fine')", line: 1 },
      { sql: 'SELECT 1', line: 2 },
    ]);
  });

  it('honours backslash escapes in MySQL strings but not in standard Postgres strings', () => {
    const mysql = lines("INSERT INTO t VALUES ('it\\'s; ok');", 'SELECT 2;');
    expect(splitSqlStatements(mysql, 'mysql').map((statement) => statement.line)).toEqual([1, 2]);

    // In Postgres a backslash is an ordinary character: the string ends at the quote after it.
    const postgres = lines("INSERT INTO t VALUES ('C:\\');", 'SELECT 2;');
    expect(splitSqlStatements(postgres, 'postgres').map((statement) => statement.line)).toEqual([1, 2]);
  });

  it("honours backslash escapes in Postgres E'...' strings", () => {
    const script = lines("SELECT E'it\\'s; ok';", 'SELECT 2;');
    expect(splitSqlStatements(script, 'postgres')).toEqual([
      { sql: "SELECT E'it\\'s; ok'", line: 1 },
      { sql: 'SELECT 2', line: 2 },
    ]);
  });

  it('keeps semicolons inside "..." identifiers', () => {
    const script = lines('CREATE TABLE "odd;name" ("col""; x" int);', 'SELECT 1;');
    expect(splitSqlStatements(script, 'postgres')).toEqual([
      { sql: 'CREATE TABLE "odd;name" ("col""; x" int)', line: 1 },
      { sql: 'SELECT 1', line: 2 },
    ]);
  });

  it('keeps semicolons inside MySQL `...` identifiers', () => {
    const script = lines('CREATE TABLE `odd;name` (`a``;b` int);', 'SELECT 1;');
    expect(splitSqlStatements(script, 'mysql')).toEqual([
      { sql: 'CREATE TABLE `odd;name` (`a``;b` int)', line: 1 },
      { sql: 'SELECT 1', line: 2 },
    ]);
  });

  it('ignores semicolons and quotes inside -- line comments', () => {
    const script = lines("SELECT 1 -- don't; split", ', 2;', 'SELECT 3;');
    expect(splitSqlStatements(script, 'postgres')).toEqual([
      { sql: "SELECT 1 -- don't; split\n, 2", line: 1 },
      { sql: 'SELECT 3', line: 3 },
    ]);
  });

  it('reads # as a line comment in MySQL, and -- only when followed by whitespace', () => {
    const script = lines("SELECT 1 # it's; a comment", ', 5--1;', 'SELECT 3;');
    expect(splitSqlStatements(script, 'mysql')).toEqual([
      { sql: "SELECT 1 # it's; a comment\n, 5--1", line: 1 },
      { sql: 'SELECT 3', line: 3 },
    ]);
  });

  it('ignores semicolons inside /* */ block comments, nested ones in Postgres', () => {
    const script = lines('SELECT 1 /* a; /* nested; */ still; comment */;', 'SELECT 2;');
    expect(splitSqlStatements(script, 'postgres')).toEqual([
      { sql: 'SELECT 1 /* a; /* nested; */ still; comment */', line: 1 },
      { sql: 'SELECT 2', line: 2 },
    ]);
  });

  it('keeps MySQL executable comments as statements, not as comments', () => {
    const script = lines('/*!40101 SET NAMES utf8mb4 */;', 'SELECT 1;');
    expect(splitSqlStatements(script, 'mysql')).toEqual([
      { sql: '/*!40101 SET NAMES utf8mb4 */', line: 1 },
      { sql: 'SELECT 1', line: 2 },
    ]);
  });

  it('keeps MariaDB /*M! */ executable comments as statements too', () => {
    const script = lines('/*M!100301 SET sql_mode = ANSI */;', 'SELECT 1;');
    expect(splitSqlStatements(script, 'mysql')).toEqual([
      { sql: '/*M!100301 SET sql_mode = ANSI */', line: 1 },
      { sql: 'SELECT 1', line: 2 },
    ]);
  });

  it('ends a statement at a delimiter inside an executable comment, as the mysql client does', () => {
    // Why mysqldump switches to DELIMITER ;; around routine bodies kept in /*!50003 ... */.
    expect(splitSqlStatements('/*!50003 SELECT 1; SELECT 2 */;', 'mysql')).toEqual([
      { sql: '/*!50003 SELECT 1', line: 1 },
      { sql: 'SELECT 2 */', line: 1 },
    ]);
  });

  it('keeps a Postgres $$ function body whole', () => {
    const script = lines(
      'CREATE FUNCTION one() RETURNS int AS $$',
      'BEGIN',
      "  RAISE NOTICE 'x;';",
      '  RETURN 1;',
      'END;',
      '$$ LANGUAGE plpgsql;',
      'SELECT one();',
    );
    const statements = splitSqlStatements(script, 'postgres');
    expect(statements.map((statement) => statement.line)).toEqual([1, 7]);
    expect(statements[0]!.sql).toMatch(/^CREATE FUNCTION[\s\S]*\$\$ LANGUAGE plpgsql$/);
  });

  it('keeps a Postgres $tag$ body whole, even when it contains $$', () => {
    const script = lines('DO $body$', 'BEGIN', "  EXECUTE $$SELECT ';'$$;", 'END', '$body$;', 'SELECT 1;');
    expect(splitSqlStatements(script, 'postgres').map((statement) => statement.line)).toEqual([1, 6]);
  });

  it('does not take Postgres parameters or $ inside identifiers for dollar quotes', () => {
    const script = lines('PREPARE p AS SELECT $1;', 'SELECT a$b$ FROM t;', 'SELECT 3;');
    expect(splitSqlStatements(script, 'postgres').map((statement) => statement.sql)).toEqual([
      'PREPARE p AS SELECT $1',
      'SELECT a$b$ FROM t',
      'SELECT 3',
    ]);
  });

  it('follows MySQL DELIMITER commands for procedure and trigger bodies', () => {
    const script = lines(
      'CREATE TABLE t (id int);',
      '',
      'DELIMITER //',
      'CREATE PROCEDURE p()',
      'BEGIN',
      '  INSERT INTO t VALUES (1);',
      '  INSERT INTO t VALUES (2);',
      'END //',
      'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW',
      'BEGIN',
      '  SET NEW.id = NEW.id + 1;',
      'END//',
      'delimiter ;',
      'CALL p();',
    );
    const statements = splitSqlStatements(script, 'mysql');
    expect(statements.map((statement) => statement.line)).toEqual([1, 4, 9, 14]);
    expect(statements[1]!.sql).toBe(
      lines(
        'CREATE PROCEDURE p()',
        'BEGIN',
        '  INSERT INTO t VALUES (1);',
        '  INSERT INTO t VALUES (2);',
        'END',
      ),
    );
    expect(statements[3]!.sql).toBe('CALL p()');
  });

  it('takes the last statement without a trailing delimiter, and counts lines across CRLF', () => {
    const script = 'SELECT 1;\r\n\r\nSELECT 2\r\n';
    expect(splitSqlStatements(script, 'postgres')).toEqual([
      { sql: 'SELECT 1', line: 1 },
      { sql: 'SELECT 2', line: 3 },
    ]);
  });

  it('counts lines inside multi-line strings and comments', () => {
    const script = lines("INSERT INTO t VALUES ('one", "two');", '/* a', 'b */', 'SELECT 1;');
    expect(splitSqlStatements(script, 'postgres').map((statement) => statement.line)).toEqual([1, 5]);
  });
});
