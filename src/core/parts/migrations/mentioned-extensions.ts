import { readFile } from 'node:fs/promises';
import type { Migration } from './migration.ts';

const CREATE_EXTENSION = /create\s+extension\s+(?:if\s+not\s+exists\s+)?["'`]?([\w-]+)/gi;

/**
 * The Postgres extensions the migrations' sources create, so an embedded database can load
 * them before it starts (PGlite cannot add one later). A mention in a comment only costs a
 * little start-up time.
 */
export async function mentionedExtensions(migrations: readonly Migration[]): Promise<string[]> {
  const files = new Set(
    migrations.flatMap((m) => [
      m.source.path,
      ...(m.source.downPath === undefined ? [] : [m.source.downPath]),
    ]),
  );
  const names = new Set<string>();
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const match of text.matchAll(CREATE_EXTENSION))
      if (match[1] !== undefined) names.add(match[1].toLowerCase());
  }
  return [...names].sort();
}
