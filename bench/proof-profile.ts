import mysql from 'mysql2';
import pg from 'pg';
import type { DialectName } from '../src/core/model/dialect.ts';
import { timeServerCheck } from './server-check.ts';

// Where a check's time goes: every query the run sends is timed at the driver (round trip and
// server work), sorted into what it is for by its text; what is left of the wall time is the
// process itself (JavaScript, waiting on the event loop). A bench instrument only: it wraps the
// drivers' query methods in this process, which nothing else here does.

/** What a query is for, first match wins; the synthetic history's own DDL is `migrations`. */
const CATEGORIES: readonly (readonly [string, RegExp])[] = [
  ['algorithm probes', /migration_gate_probe|@@session\.foreign_key_checks|innodb_tables/i],
  ['lock and storage facts', /'relation' as part|savepoint migration_gate_facts|pg_locks/i],
  [
    'rows: seeding and round trip',
    /^\s*insert into|json_arrayagg|json_agg|md5\(|sha2\(|count\(\*\) as rows/i,
  ],
  ['transaction control', /^\s*(begin|commit|rollback|start transaction|savepoint|release savepoint)\b/i],
  ['migrations (the history)', /^\s*(create|alter|drop) (table|index|unique index)\b/i],
  [
    'run setup (scratch database, tracker, session)',
    /^\s*(create|drop) database|set_config\(|^\s*set session|^\s*-- The Postgres change tracker|scratch_owner/i,
  ],
  [
    'change tracking and snapshots',
    /read_changes|information_schema|pg_catalog|migration_gate_snapshot|pg_class|database\(\)|@@global/i,
  ],
];
const OTHER = 'other queries';

/** Time per category (query count and milliseconds), and the check's wall time. */
export interface ProofProfile {
  readonly wallMs: number;
  readonly categories: ReadonlyMap<string, { readonly queries: number; readonly ms: number }>;
}

/** Runs one check of `folder` on `serverUrl` with every query timed. */
export async function profileCheck(
  folder: string,
  dialect: DialectName,
  serverUrl: string,
): Promise<ProofProfile> {
  const categories = new Map<string, { queries: number; ms: number }>();
  const record = (text: string, ms: number) => {
    const name = CATEGORIES.find(([, pattern]) => pattern.test(text))?.[0] ?? OTHER;
    const entry = categories.get(name) ?? { queries: 0, ms: 0 };
    entry.queries += 1;
    entry.ms += ms;
    categories.set(name, entry);
  };
  const restore = dialect === 'postgres' ? timePgQueries(record) : timeMysqlQueries(record);
  try {
    const { ms, result } = await timeServerCheck(folder, dialect, serverUrl);
    if (!result.ok) throw new Error(`the profiled history failed its check on ${dialect}`);
    return { wallMs: ms, categories };
  } finally {
    restore();
  }
}

type Record = (text: string, ms: number) => void;

function timePgQueries(record: Record): () => void {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as string | { text?: string };
    const text = typeof config === 'string' ? config : (config?.text ?? '');
    const started = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise)
      result.then(
        () => record(text, performance.now() - started),
        () => record(text, performance.now() - started),
      );
    return result;
  };
  return () => {
    prototype.query = original;
  };
}

function timeMysqlQueries(record: Record): () => void {
  const prototype = (
    mysql as unknown as { Connection: { prototype: { query: (...args: unknown[]) => unknown } } }
  ).Connection.prototype;
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as string | { sql?: string };
    const text = typeof config === 'string' ? config : (config?.sql ?? '');
    const started = performance.now();
    const at = args.findIndex((arg) => typeof arg === 'function');
    if (at >= 0) {
      const callback = args[at] as (...results: unknown[]) => unknown;
      args[at] = function (this: unknown, ...results: unknown[]) {
        record(text, performance.now() - started);
        return callback.apply(this, results);
      };
    }
    return original.apply(this, args);
  };
  return () => {
    prototype.query = original;
  };
}
