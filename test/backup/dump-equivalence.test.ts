import { expect, test } from 'vitest';
import { asDumpedAndRestored } from '../../src/core/parts/backup/dump-equivalence.ts';
import { buildSnapshot } from '../../src/core/parts/schema/snapshot.ts';

function checkConstraint(definition: string) {
  return asDumpedAndRestored(
    buildSnapshot('postgres', [
      {
        kind: 'constraint',
        name: 'users_role_check',
        table: 'users',
        attributes: { definition, validated: true },
      },
    ]),
  );
}

test("Postgres's two readings of one IN list, before and after a dump and restore, compare equal", () => {
  const created =
    "CHECK (((role)::text = ANY ((ARRAY['member'::character varying, 'editor'::character varying])::text[])))";
  const restored =
    "CHECK (((role)::text = ANY (ARRAY[('member'::character varying)::text, ('editor'::character varying)::text])))";
  expect(checkConstraint(created)).toEqual(checkConstraint(restored));
});

test('another list of values still differs', () => {
  expect(checkConstraint("CHECK (role = ANY (ARRAY['member'::text]))")).not.toEqual(
    checkConstraint("CHECK (role = ANY (ARRAY['admin'::text]))"),
  );
});

test('casts and parentheses inside string literals are kept', () => {
  const snapshot = checkConstraint("CHECK (note <> '(a)::text')");
  expect(Object.values(snapshot.objects)[0]?.attributes['definition']).toBe("CHECK note <> '(a)::text'");
});

test('attributes that are not SQL expressions are left alone', () => {
  const snapshot = checkConstraint('CHECK (x > 0)');
  expect(Object.values(snapshot.objects)[0]?.attributes['validated']).toBe(true);
});
