import { describe, expect, it } from 'vitest';
import type { DialectName } from '../../src/core/model/dialect.ts';
import type { SqlLexOptions } from '../../src/core/parts/sql/sql-lexer.ts';
import { lexSql } from '../../src/core/parts/sql/sql-lexer.ts';

/** The tokens of a text as `kind value` lines, which read better in a failure than objects. */
function lexed(text: string, dialect: DialectName, options: Omit<SqlLexOptions, 'dialect'> = {}): string[] {
  return lexSql(text, { dialect, ...options }).tokens.map((token) => `${token.kind} ${token.value}`);
}

describe('lexSql, both dialects', () => {
  it.each(['postgres', 'mysql'] as const)(
    'gives each token its offsets and its line, counting lines across CRLF (%s)',
    (dialect) => {
      const { tokens } = lexSql('select 1;\r\n\r\n  drop t', { dialect });
      expect(tokens.map(({ kind, value, start, end, line }) => ({ kind, value, start, end, line }))).toEqual([
        { kind: 'word', value: 'select', start: 0, end: 6, line: 1 },
        { kind: 'word', value: '1', start: 7, end: 8, line: 1 },
        { kind: 'delimiter', value: ';', start: 8, end: 9, line: 1 },
        { kind: 'word', value: 'drop', start: 15, end: 19, line: 3 },
        { kind: 'word', value: 't', start: 20, end: 21, line: 3 },
      ]);
    },
  );

  it.each(['postgres', 'mysql'] as const)("reads '' in a string as one quote (%s)", (dialect) => {
    expect(lexed("select 'it''s; fine'", dialect)).toEqual(['word select', "string it's; fine"]);
  });

  it.each(['postgres', 'mysql'] as const)(
    'counts lines inside multi-line strings and comments (%s)',
    (dialect) => {
      const { tokens } = lexSql("select 'one\ntwo' /* a\nb */\nx", { dialect });
      expect(tokens.at(-1)).toMatchObject({ value: 'x', line: 4 });
    },
  );

  it.each(['postgres', 'mysql'] as const)('reads := as one symbol (%s)', (dialect) => {
    expect(lexed('a := 1', dialect)).toEqual(['word a', 'symbol :=', 'word 1']);
  });

  it.each([
    ['postgres', "select 'open", 'string'],
    ['postgres', 'select "open', 'quoted name'],
    ['postgres', 'select $$ open', 'string'],
    ['postgres', 'select /* open /* nested */', 'comment'],
    ['mysql', 'select "open', 'string'],
    ['mysql', 'select `open', 'quoted name'],
    ['mysql', "select @'open", 'quoted name'],
    ['mysql', 'select /* open', 'comment'],
  ] as const)('on %s, stops at what %j leaves open, keeping the tokens before it', (dialect, text, what) => {
    expect(lexSql(`\n${text}`, { dialect })).toEqual({
      tokens: [expect.objectContaining({ value: 'select' })],
      unclosed: { what, start: 8, line: 2 },
    });
  });
});

describe('lexSql on Postgres', () => {
  it('takes a backslash in a plain string as an ordinary character', () => {
    expect(lexed("select 'C:\\'; select 2", 'postgres')).toEqual([
      'word select',
      'string C:\\',
      'delimiter ;',
      'word select',
      'word 2',
    ]);
  });

  it("honours backslash escapes in E'...' strings, read as one token", () => {
    const { tokens } = lexSql("select E'it\\'s; ok', e'x'", { dialect: 'postgres' });
    expect(tokens.map(({ kind, value, start }) => ({ kind, value, start }))).toEqual([
      { kind: 'word', value: 'select', start: 0 },
      { kind: 'string', value: "it's; ok", start: 7 },
      { kind: 'symbol', value: ',', start: 19 },
      { kind: 'string', value: 'x', start: 21 },
    ]);
  });

  it('reads "..." as a quoted name, with "" for a quote', () => {
    expect(lexed('create table "odd;""name" ()', 'postgres')).toEqual([
      'word create',
      'word table',
      'identifier odd;"name',
      'symbol (',
      'symbol )',
    ]);
  });

  it('keeps the semicolons of a dollar-quoted body, which ends only at its own tag', () => {
    expect(
      lexSql("do $body$ begin execute $$select ';'$$; end $body$;", { dialect: 'postgres' }).tokens,
    ).toEqual([
      expect.objectContaining({ kind: 'word', value: 'do' }),
      expect.objectContaining({
        kind: 'string',
        value: " begin execute $$select ';'$$; end ",
        quote: '$body$',
      }),
      expect.objectContaining({ kind: 'delimiter', value: ';' }),
    ]);
    expect(lexed('select $$a;b$$', 'postgres')).toEqual(['word select', 'string a;b']);
  });

  it('does not take parameters or a $ inside a word for dollar quotes', () => {
    expect(lexed('select $1, a$b$ from t', 'postgres')).toEqual([
      'word select',
      'symbol $',
      'word 1',
      'symbol ,',
      'word a$b$',
      'word from',
      'word t',
    ]);
  });

  it('reads -- as a comment even without a space after it', () => {
    expect(lexed("select 1 --no space; it's a comment\n, 2", 'postgres')).toEqual([
      'word select',
      'word 1',
      'symbol ,',
      'word 2',
    ]);
  });

  it('nests block comments', () => {
    expect(lexed('select 1 /* a; /* nested; */ still; comment */ ;', 'postgres')).toEqual([
      'word select',
      'word 1',
      'delimiter ;',
    ]);
  });

  it('reads #, backticks and /*! */ as nothing special', () => {
    expect(lexed('select a # b, `c` /*! d */', 'postgres')).toEqual([
      'word select',
      'word a',
      'symbol #',
      'word b',
      'symbol ,',
      'symbol `',
      'word c',
      'symbol `',
    ]);
  });

  it('reads DELIMITER as a word, even in a script', () => {
    expect(lexed('delimiter //\nselect 1;', 'postgres', { delimiterCommands: true })).toEqual([
      'word delimiter',
      'symbol /',
      'symbol /',
      'word select',
      'word 1',
      'delimiter ;',
    ]);
  });
});

describe('lexSql on MySQL', () => {
  it('honours backslash escapes in \'...\' and "..." strings', () => {
    expect(lexed(`select 'it\\'s; ok', "say \\"hi\\""`, 'mysql')).toEqual([
      'word select',
      "string it's; ok",
      'symbol ,',
      'string say "hi"',
    ]);
  });

  it('takes a backslash as an ordinary character under NO_BACKSLASH_ESCAPES', () => {
    expect(lexed("select 'x\\'; drop table y", 'mysql', { backslashEscapes: false })).toEqual([
      'word select',
      'string x\\',
      'delimiter ;',
      'word drop',
      'word table',
      'word y',
    ]);
  });

  it('reads "..." as a string quoted with ", since ANSI_QUOTES is not assumed', () => {
    expect(lexSql('select "a"', { dialect: 'mysql' }).tokens[1]).toMatchObject({
      kind: 'string',
      value: 'a',
      quote: '"',
    });
  });

  it('reads `...` as a quoted name, with `` for a backtick and no backslash escapes', () => {
    expect(lexed('create table `odd;``name\\` (id int)', 'mysql')).toEqual([
      'word create',
      'word table',
      'identifier odd;`name\\',
      'symbol (',
      'word id',
      'word int',
      'symbol )',
    ]);
  });

  it('reads # as a line comment', () => {
    expect(lexed("select 1 # it's; a comment\n, 2", 'mysql')).toEqual([
      'word select',
      'word 1',
      'symbol ,',
      'word 2',
    ]);
  });

  it('does not take a -- without a following space for a comment', () => {
    expect(lexed('select 5--1', 'mysql')).toEqual([
      'word select',
      'word 5',
      'symbol -',
      'symbol -',
      'word 1',
    ]);
  });

  it('reads -- followed by whitespace, a control character or the end of the text as a comment', () => {
    expect(lexed('select 1 -- a\nselect 2 --\tb\nselect 3 --\u0001c\nselect 4 --', 'mysql')).toEqual([
      'word select',
      'word 1',
      'word select',
      'word 2',
      'word select',
      'word 3',
      'word select',
      'word 4',
    ]);
  });

  it('does not nest block comments', () => {
    expect(lexed('select 1 /* a /* b */ , 2 */', 'mysql')).toEqual([
      'word select',
      'word 1',
      'symbol ,',
      'word 2',
      'symbol *',
      'symbol /',
    ]);
  });

  it('reads the content of /*! */, /*!80000 */ and /*M! */ comments as code, between marks', () => {
    expect(
      lexed('/*!40101 set names utf8mb4 */; create /*M!100301 or replace */ table /*! t */', 'mysql'),
    ).toEqual([
      'comment-mark /*!40101',
      'word set',
      'word names',
      'word utf8mb4',
      'comment-mark */',
      'delimiter ;',
      'word create',
      'comment-mark /*M!100301',
      'word or',
      'word replace',
      'comment-mark */',
      'word table',
      'comment-mark /*!',
      'word t',
      'comment-mark */',
    ]);
  });

  it('ends a plain comment inside an executable one at its own */', () => {
    expect(lexed('/*!80000 a /* b */ c */', 'mysql')).toEqual([
      'comment-mark /*!80000',
      'word a',
      'word c',
      'comment-mark */',
    ]);
  });

  it('reads an optimizer hint /*+ */ as a comment', () => {
    expect(lexed('select /*+ MAX_EXECUTION_TIME(1) */ 1', 'mysql')).toEqual(['word select', 'word 1']);
  });

  it("reads @x, @@x, @'x' and the @host of user@host as one variable token each", () => {
    expect(
      lexed("set @a = @@session.sql_mode; create definer = 'app'@'%' view v; x@localhost", 'mysql'),
    ).toEqual([
      'word set',
      'variable @a',
      'symbol =',
      'variable @@session',
      'symbol .',
      'word sql_mode',
      'delimiter ;',
      'word create',
      'word definer',
      'symbol =',
      'string app',
      "variable @'%'",
      'word view',
      'word v',
      'delimiter ;',
      'word x',
      'variable @localhost',
    ]);
  });

  it('reads $ as part of a word: there are no dollar quotes', () => {
    expect(lexed('select $$a$$', 'mysql')).toEqual(['word select', 'word $$a$$']);
  });

  it('follows DELIMITER commands in a script, at the start of a line between statements', () => {
    const script = [
      'DELIMITER //',
      'create procedure p() begin select 1; end //',
      'delimiter ;',
      'select 2;',
    ].join('\n');
    expect(lexed(script, 'mysql', { delimiterCommands: true })).toEqual([
      'word create',
      'word procedure',
      'word p',
      'symbol (',
      'symbol )',
      'word begin',
      'word select',
      'word 1',
      'symbol ;',
      'word end',
      'delimiter //',
      'word select',
      'word 2',
      'delimiter ;',
    ]);
  });

  it('reads DELIMITER as a word inside a statement, after other text on its line, or in text sent to the server', () => {
    expect(lexed('select 1\ndelimiter //', 'mysql', { delimiterCommands: true })).toEqual([
      'word select',
      'word 1',
      'word delimiter',
      'symbol /',
      'symbol /',
    ]);
    expect(lexed('/* c */ delimiter //', 'mysql', { delimiterCommands: true })[0]).toBe('word delimiter');
    expect(lexed('delimiter //', 'mysql')[0]).toBe('word delimiter');
  });
});
