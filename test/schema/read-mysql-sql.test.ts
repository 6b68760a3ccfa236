import { describe, expect, it } from 'vitest';
import type { MysqlTouchedObject } from '../../src/core/parts/schema/mysql-touched-object.ts';
import { readMysqlSql, readMysqlStatements } from '../../src/core/parts/schema/read-mysql-sql.ts';

/** `relation:t`, `relation:db.t`, `trigger:tr on t`: what a text touches, in a line each. */
function touched(text: string): string[] | 'unknown' {
  const effect = readMysqlSql(text);
  if (effect.change === 'unknown') return 'unknown';
  if (effect.change === 'none') return [];
  return effect.objects.map(describeTouched);
}

function describeTouched(object: MysqlTouchedObject): string {
  const name = (value: { name: string; database?: string }): string =>
    value.database === undefined ? value.name : `${value.database}.${value.name}`;
  const table = object.table === undefined ? '' : ` on ${name(object.table)}`;
  return `${object.kind}:${name(object.name)}${table}`;
}

describe('reading MySQL statements', () => {
  it('finds no change in data, session and transaction statements', () => {
    for (const statement of [
      'select * from posts',
      'with recent as (select 1) select * from recent',
      '(select 1) union (select 2)',
      'insert into posts (title) values (?)',
      'update posts set title = upper(title)',
      'delete from posts where id = 1',
      "replace into settings values ('a', 1)",
      'set foreign_key_checks = 0',
      "set @@session.sql_mode = 'ANSI_QUOTES'",
      'do sleep(0)',
      'truncate table posts',
      'truncate posts',
      'lock tables posts write',
      'unlock tables',
      'start transaction',
      'begin',
      'begin work',
      'commit',
      'rollback',
      'savepoint a',
      'release savepoint a',
      'show tables',
      'explain select 1',
      'describe posts',
      'analyze table posts',
      "load data infile '/tmp/x' into table posts",
      'select get_lock(?, ?)',
    ]) {
      expect({ statement, touched: touched(statement) }).toEqual({ statement, touched: [] });
    }
  });

  it('reads tables from CREATE, ALTER, DROP and RENAME TABLE', () => {
    expect(touched('create table posts (id int)')).toEqual(['relation:posts']);
    expect(touched('CREATE OR REPLACE TEMPORARY TABLE IF NOT EXISTS posts (id int)')).toEqual([
      'relation:posts',
    ]);
    expect(touched('create table copy like posts')).toEqual(['relation:copy']);
    expect(touched('create table copy as select * from posts')).toEqual(['relation:copy']);
    expect(touched('alter table posts add column body text')).toEqual(['relation:posts']);
    expect(touched('alter online ignore table posts add column body text')).toEqual(['relation:posts']);
    expect(touched('alter table if exists posts engine = InnoDB')).toEqual(['relation:posts']);
    expect(touched('drop table posts')).toEqual(['relation:posts']);
    expect(touched('drop temporary table if exists a, b cascade')).toEqual(['relation:a', 'relation:b']);
    expect(touched('rename table a to b, c to d')).toEqual([
      'relation:a',
      'relation:b',
      'relation:c',
      'relation:d',
    ]);
    expect(touched('rename tables if exists a wait 5 to b')).toEqual(['relation:a', 'relation:b']);
  });

  it('reads the new name of ALTER TABLE ... RENAME, but not of a renamed column or index', () => {
    expect(touched('alter table a rename to b')).toEqual(['relation:a', 'relation:b']);
    expect(touched('alter table a rename as b')).toEqual(['relation:a', 'relation:b']);
    expect(touched('alter table a add column x int, rename b')).toEqual(['relation:a', 'relation:b']);
    expect(touched('alter table a rename column x to y')).toEqual(['relation:a']);
    expect(touched('alter table a rename index i to j, rename key k to l')).toEqual(['relation:a']);
  });

  it('reads the other table of a partition exchange or conversion', () => {
    expect(touched('alter table a exchange partition p0 with table b')).toEqual(['relation:a', 'relation:b']);
    expect(touched('alter table a convert partition p0 to table b')).toEqual(['relation:a', 'relation:b']);
    expect(touched('alter table a convert table b to partition p1 values less than (10)')).toEqual([
      'relation:a',
      'relation:b',
    ]);
  });

  it('reads the table of CREATE and DROP INDEX', () => {
    expect(touched('create index i on posts (title)')).toEqual(['relation:posts']);
    expect(touched('create unique index i using btree on posts (title)')).toEqual(['relation:posts']);
    expect(touched('create or replace online fulltext index if not exists i on posts (body)')).toEqual([
      'relation:posts',
    ]);
    expect(touched('create spatial index i on places (geo)')).toEqual(['relation:places']);
    expect(touched('drop index i on posts')).toEqual(['relation:posts']);
    expect(touched('drop index if exists `PRIMARY` on posts algorithm = inplace')).toEqual([
      'relation:posts',
    ]);
  });

  it('reads views, with the clauses that may come before VIEW', () => {
    expect(touched('create view v as select 1')).toEqual(['relation:v']);
    expect(
      touched(
        'create or replace algorithm = merge definer = `root`@`%` sql security invoker view v (a) as select 1',
      ),
    ).toEqual(['relation:v']);
    expect(touched("alter definer = 'app'@'localhost' view v as select 2")).toEqual(['relation:v']);
    expect(touched('create definer = current_user() view v as select 1')).toEqual(['relation:v']);
    expect(touched('create definer = root@localhost view v as select 1')).toEqual(['relation:v']);
    expect(touched('drop view if exists a, b')).toEqual(['relation:a', 'relation:b']);
  });

  it('reads the table of a created trigger and only the name of a dropped one', () => {
    expect(touched('create trigger t1 before insert on posts for each row set new.a = 1')).toEqual([
      'trigger:t1 on posts',
    ]);
    expect(
      touched(
        'create or replace definer = current_user trigger if not exists t1 after update on posts for each row follows t0 set @a = 1',
      ),
    ).toEqual(['trigger:t1 on posts']);
    expect(touched('drop trigger if exists t1')).toEqual(['trigger:t1']);
  });

  it('reads routines, events and sequences', () => {
    expect(touched('create procedure p() select 1')).toEqual(['procedure:p']);
    expect(touched('create definer = root@localhost function f() returns int return 1')).toEqual([
      'function:f',
    ]);
    expect(
      touched('create aggregate function if not exists agg(x int) returns int begin return 1; end'),
    ).toEqual(['function:agg']);
    expect(touched("alter procedure p comment 'x'")).toEqual(['procedure:p']);
    expect(touched('alter function f sql security invoker')).toEqual(['function:f']);
    expect(touched('drop procedure if exists p')).toEqual(['procedure:p']);
    expect(touched('drop function f')).toEqual(['function:f']);
    expect(touched('create event e on schedule every 1 day do delete from t')).toEqual(['event:e']);
    expect(touched('alter event e disable')).toEqual(['event:e']);
    expect(touched('alter event e on schedule every 2 day rename to e2')).toEqual(['event:e', 'event:e2']);
    expect(touched('drop event if exists e')).toEqual(['event:e']);
    expect(touched('create or replace sequence if not exists s start with 5')).toEqual(['relation:s']);
    expect(touched('alter sequence s restart 10')).toEqual(['relation:s']);
    expect(touched('drop temporary sequence if exists s1, s2')).toEqual(['relation:s1', 'relation:s2']);
  });

  it('reads backticked, double-quoted and qualified names', () => {
    expect(touched('create table `my table` (id int)')).toEqual(['relation:my table']);
    expect(touched('create table `odd``name` (id int)')).toEqual(['relation:odd`name']);
    expect(touched('create table "ansi" (id int)')).toEqual(['relation:ansi']);
    expect(touched('create table `app`.`posts` (id int)')).toEqual(['relation:app.posts']);
    expect(touched('drop table app.posts, `other`.posts')).toEqual([
      'relation:app.posts',
      'relation:other.posts',
    ]);
    expect(touched('create trigger app.t1 before insert on app.posts for each row set @a = 1')).toEqual([
      'trigger:app.t1 on app.posts',
    ]);
    expect(touched('rename table posts to archive.posts')).toEqual([
      'relation:posts',
      'relation:archive.posts',
    ]);
    // Names keep their case: table names are case-sensitive on Linux.
    expect(touched('create table Posts (id int)')).toEqual(['relation:Posts']);
  });

  it('skips comments and whitespace, and runs what MySQL runs inside /*! */', () => {
    expect(touched('  -- a comment\n# another\n/* a block */ create table a (id int)')).toEqual([
      'relation:a',
    ]);
    expect(touched('create /* between */ table -- here\n a (id int)')).toEqual(['relation:a']);
    expect(touched('/*!40101 create table a (id int) */')).toEqual(['relation:a']);
    expect(touched('create /*M!100301 or replace */ table a (id int)')).toEqual(['relation:a']);
    expect(touched('select /*+ MAX_EXECUTION_TIME(1) */ 1')).toEqual([]);
    expect(touched('-- nothing but a comment')).toEqual([]);
    expect(touched(';;')).toEqual([]);
  });

  it('reads every statement of a multi-statement text', () => {
    expect(
      touched('create table a (id int); insert into a values (1);\ncreate index i on a (id); drop view v;'),
    ).toEqual(['relation:a', 'relation:a', 'relation:v']);
    expect(readMysqlStatements('select 1; select 2').map((statement) => statement.sql)).toEqual([
      'select 1',
      'select 2',
    ]);
  });

  it('keeps the semicolons of a stored program body inside its statement', () => {
    const text = `create procedure p(in n int)
      begin
        declare i int default 0;
        lbl: while i < n do
          if i = 2 then set i = i + 1; iterate lbl; elseif i > 5 then leave lbl; else set i = i + 1; end if;
          case i when 1 then select 1; else begin end; end case;
          repeat set i = i + 1; until i > 9 end repeat;
          set @x = if(i > 1, repeat('a', 2), case when i then 1 end);
          select * from posts for update;
        end while lbl;
      end; create table after_it (id int); call p(1)`;
    const statements = readMysqlStatements(text);
    expect(statements.map((statement) => statement.sql.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'create procedure p(in',
      'create table after_it',
      'call p(1)',
    ]);
    expect(statements[1]?.effect).toEqual({
      change: 'objects',
      objects: [{ kind: 'relation', name: { name: 'after_it' } }],
    });
    expect(
      touched(`create trigger t1 before insert on posts for each row
        if new.a is null then set new.a = 1; end if; drop table x`),
    ).toEqual(['trigger:t1 on posts', 'relation:x']);
    expect(
      touched('create event e on schedule every 1 day do begin delete from a; delete from b; end'),
    ).toEqual(['event:e']);
  });

  it('reads the statement MariaDB SET STATEMENT ... FOR runs', () => {
    expect(touched('set statement max_statement_time = 60 for alter table a add column b int')).toEqual([
      'relation:a',
    ]);
    expect(touched('set statement max_statement_time = 60 for select 1')).toEqual([]);
  });

  it('reads a text with backslashes both ways, as the server may or may not take them as escapes', () => {
    // With escapes one string; with NO_BACKSLASH_ESCAPES it ends at \' and a DROP follows.
    expect(touched("select 'x\\'; drop table y; -- '")).toEqual(['relation:y']);
    // Without escapes this string never ends: a syntax error, after which nothing runs.
    expect(touched("insert into t values ('O\\'Brien')")).toEqual([]);
  });

  it('gives up on what may change anything or cannot be read', () => {
    for (const statement of [
      'call refresh_everything()',
      "prepare s from 'drop table posts'",
      'execute s',
      "execute immediate 'drop table posts'",
      'use other_database',
      'begin not atomic drop table posts; end',
      'if 1 then drop table posts; end if',
      'lbl: loop leave lbl; end loop',
      'create database other',
      'drop database other',
      'grant select on posts to someone',
      'flush tables',
      'create table',
      "create table 'posts' (id int)",
      'create index i (title)',
      'rename table a b',
      'create procedure p() begin select 1; ',
      'create procedure p() end; drop table x',
      "insert into mysql.proc values ('x')",
      "select 'unterminated",
      'create table `unterminated (id int)',
      'delimiter //',
      '{ call p() }',
    ]) {
      expect({ statement, touched: touched(statement) }).toEqual({ statement, touched: 'unknown' });
    }
    const effect = readMysqlSql('create table a (id int); call p()');
    expect(effect).toEqual({
      change: 'unknown',
      reason: 'statement "call p()": a procedure may change any object',
    });
  });
});
