import { buildSnapshot } from '../schema/snapshot.ts';
import type { AttributeValue, SchemaSnapshot } from '../schema/snapshot.ts';

/** Attributes that hold SQL the server deparsed: constraints, defaults, views, index predicates. */
const EXPRESSION_ATTRIBUTES = new Set(['definition', 'default', 'predicate', 'expression', 'check']);

/**
 * The snapshot as a dump and restore leave it. A restore parses the server's own deparsed
 * text again, and Postgres deparses the result with other casts and parentheses: `role IN
 * ('a', 'b')` on a varchar column reads `(role)::text = ANY ((ARRAY['a'::character varying,
 * ...])::text[])` when created and `ARRAY[('a'::character varying)::text, ...]` once restored.
 * Same meaning, other text: a backup must not fail its verification for it. Only backup
 * verification compares through this; the proof keeps comparing the exact text.
 */
export function asDumpedAndRestored(snapshot: SchemaSnapshot): SchemaSnapshot {
  return buildSnapshot(
    snapshot.dialect,
    Object.values(snapshot.objects).map((object) => ({
      ...object,
      attributes: Object.fromEntries(
        Object.entries(object.attributes).map(([name, value]) => [
          name,
          EXPRESSION_ATTRIBUTES.has(name) ? withoutCastsAndParentheses(value) : value,
        ]),
      ),
    })),
  );
}

/** A cast is `::` and a type name (quoted, qualified, with modifiers or array brackets). */
const CAST =
  /::(?:"[^"]*"|[a-z_][\w$]*)(?:\.(?:"[^"]*"|[a-z_][\w$]*))*(?: (?:varying|precision|with(?:out)? time zone))*(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*/gi;

function withoutCastsAndParentheses(value: AttributeValue): AttributeValue {
  if (typeof value !== 'string') return value;
  // Quoted literals are kept as they are: a parenthesis inside a string means something.
  return value
    .split(/('(?:[^']|'')*')/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(CAST, '').replace(/[()]/g, '')))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
