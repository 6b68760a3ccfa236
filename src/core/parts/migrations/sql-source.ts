import { UsageError } from '../../model/errors.ts';
import { displayPath } from './display-path.ts';

/** The text of one direction of a SQL migration, located in its file. */
export interface SqlSection {
  /** Absolute path of the file. */
  readonly file: string;
  readonly text: string;
  /** 1-based line of the file at which `text` starts. */
  readonly firstLine: number;
}

/** A whole file as the section of one direction. */
export function wholeFile(file: string, text: string): SqlSection {
  return { file, text, firstLine: 1 };
}

const MIGRATE_MARKER = /^--\s*migrate:(up|down)\b/;

/**
 * Splits a single-file migration at dbmate's `-- migrate:up` and `-- migrate:down` lines. A file
 * without markers is all up (no down); with no `-- migrate:down` line there is no down either.
 */
export function migrateSections(
  file: string,
  text: string,
): { up: SqlSection; down: SqlSection | undefined } {
  const lines = text.split('\n');
  const markers: { part: 'up' | 'down'; index: number }[] = [];
  lines.forEach((line, index) => {
    const match = MIGRATE_MARKER.exec(line.trim());
    if (!match) return;
    const part = match[1] as 'up' | 'down';
    const previous = markers.find((marker) => marker.part === part);
    if (previous !== undefined) {
      throw new UsageError(
        `${displayPath(file)}:${index + 1}: second "-- migrate:${part}" line (the first is on line ${previous.index + 1})`,
        { file, line: index + 1 },
      );
    }
    markers.push({ part, index });
  });
  const section = (part: 'up' | 'down'): SqlSection | undefined => {
    const start = markers.find((marker) => marker.part === part)?.index;
    if (start === undefined) return undefined;
    const next = markers.find((marker) => marker.index > start)?.index ?? lines.length;
    // The marker line stays in the section: it is a comment, and it keeps line numbers simple.
    return { file, text: lines.slice(start, next).join('\n'), firstLine: start + 1 };
  };
  if (markers.length === 0) return { up: wholeFile(file, text), down: undefined };
  const up = section('up');
  if (up === undefined) {
    const line = markers[0]!.index + 1;
    const message = `${displayPath(file)}:${line}: "-- migrate:down" without a "-- migrate:up" section`;
    throw new UsageError(message, { file, line });
  }
  return { up, down: section('down') };
}

/** What a SQL migration's comments declare about it. */
export interface SqlDirectives {
  readonly irreversible: string | undefined;
  readonly transactional: boolean;
}

const IRREVERSIBLE = /^[ \t]*--[ \t]*migration-gate:irreversible\b[ \t]*(.*?)[ \t]*\r?$/m;
const NO_TRANSACTION =
  /^[ \t]*--[ \t]*(?:migration-gate:no-transaction\b|migrate:(?:up|down)\b.*\btransaction:false\b)/m;

/**
 * Reads the comment directives of a SQL migration's files:
 * - `-- migration-gate:irreversible <reason>`: it has no working down on purpose;
 * - `-- migration-gate:no-transaction`, or dbmate's `-- migrate:up transaction:false`: run it
 *   outside the per-migration transaction (e.g. for `CREATE INDEX CONCURRENTLY`).
 */
export function sqlDirectives(texts: readonly string[]): SqlDirectives {
  let irreversible: string | undefined;
  for (const text of texts) {
    const match = IRREVERSIBLE.exec(text);
    if (match) {
      irreversible = match[1] || 'declared irreversible';
      break;
    }
  }
  return { irreversible, transactional: !texts.some((text) => NO_TRANSACTION.test(text)) };
}
