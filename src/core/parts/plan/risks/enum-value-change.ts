import {
  altersTable,
  blame,
  changedAttribute,
  columnOf,
  existedBefore,
  shown,
  startsWithAndMentions,
} from './schema-changes.ts';
import { isMysqlEnum } from './rewrite-causes.ts';
import type { Finding, RiskRule } from './rule.ts';

/**
 * `enum-value-change`: the values of an existing enum changed (Postgres: an enum type;
 * MySQL: an ENUM column). Severity `error` when a value was removed: rows holding it make the
 * change fail in production, or lose their value. `warning` when values were only added or
 * reordered: the running application may meet a value it does not know, and Postgres cannot
 * drop a value again, so no down undoes it.
 */
export const enumValueChange: RiskRule = {
  id: 'enum-value-change',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  why: 'the running application may meet a value it does not know, and a Postgres enum value cannot be dropped again',
  instead:
    'ship code that handles the new value before the migration that adds it; append values rather than insert them',
  check(input) {
    if (input.dialect === 'postgres') {
      return changedAttribute(input, 'type', 'labels').map(({ before, change }) =>
        finding(
          `enum type ${before.name}`,
          shown(change.before),
          shown(change.after),
          blame(input, startsWithAndMentions(['alter', 'type'], [before.name])),
        ),
      );
    }
    return changedAttribute(input, 'column', 'type').flatMap(({ before, change }) => {
      const [from, to] = [shown(change.before), shown(change.after)];
      if (!isMysqlEnum(from) || !isMysqlEnum(to) || !existedBefore(input, before.table!)) return [];
      const statement = blame(input, altersTable(input, before.table!, [columnOf(before)]));
      return [finding(`enum column ${before.name}`, from, to, statement)];
    });
  },
};

function finding(subject: string, from: string, to: string, statement: number | undefined): Finding {
  const [old, now] = [labels(from), labels(to)];
  const removed = old.filter((label) => !now.includes(label));
  const added = now.filter((label) => !old.includes(label));
  const parts = [
    ...(added.length > 0 ? [`adds ${added.join(', ')}`] : []),
    ...(removed.length > 0 ? [`removes ${removed.join(', ')}`] : []),
  ];
  return {
    what: `changes the values of ${subject}: ${parts.length > 0 ? parts.join(', ') : 'reorders them'}`,
    statement,
    evidence: [`values ${old.join(', ')} became ${now.join(', ')}`],
    ...(removed.length > 0
      ? {
          severity: 'error' as const,
          why: 'rows holding a removed value make the change fail in production, or lose their value',
          instead: 'move rows off the value first, and keep it in the type until nothing writes it any more',
        }
      : {}),
  };
}

/** The quoted labels of `'a', 'b'` (Postgres) or `enum('a','b')` (MySQL). */
function labels(text: string): string[] {
  return [...text.matchAll(/'((?:[^']|'')*)'/g)].map((match) => `'${match[1]!}'`);
}
