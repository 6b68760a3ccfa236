import { describe, expect, test } from 'vitest';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { messageOf } from '../../src/core/model/errors.ts';
import { passwordCandidates, redactSecrets } from '../../src/core/parts/database/redaction.ts';

function refusal(raw: string): string {
  try {
    parseConnectionUrl(raw);
  } catch (error) {
    return messageOf(error);
  }
  throw new Error(`${raw} was accepted`);
}

describe('redactSecrets', () => {
  test('masks the credentials of a URL up to its last @, so an unencoded @ or / in a password is covered', () => {
    expect(redactSecrets('cannot reach postgres://app:p@ss:w/rd%@db.internal:5432/app now')).toBe(
      'cannot reach postgres://***@db.internal:5432/app now',
    );
  });

  test('masks URLs with one slash, no colon, or no scheme at all', () => {
    expect(redactSecrets('postgres:/app:hunter2@db/app')).toBe('postgres:/***@db/app');
    expect(redactSecrets('app:hunter2@db:5432/app')).toBe('app:***@db:5432/app');
  });

  test('leaves file URLs of stack traces and MySQL user names alone', () => {
    const line = "at file:///app/node_modules/@scope/pkg/index.js Access denied for user 'root'@'10.0.0.1'";
    expect(redactSecrets(line)).toBe(line);
  });

  test("masks a parsed URL's password wherever it shows alone, raw, decoded or JSON-escaped", () => {
    parseConnectionUrl('postgres://app:qu%22ote%40Zx9@db.internal/app');
    expect(redactSecrets('driver said: password qu"ote@Zx9 is wrong')).toBe(
      'driver said: password *** is wrong',
    );
    expect(redactSecrets(JSON.stringify({ m: 'qu"ote@Zx9' }))).toBe('{"m":"***"}');
  });
});

describe('passwordCandidates', () => {
  test('every reading of a malformed URL: the user part may end at any @', () => {
    expect(passwordCandidates('postgres://app:p@ss:w/rd%@db/app')).toEqual(['p', 'p@ss:w/rd%']);
    expect(passwordCandidates('postgres//app:pw1@db/app')).toEqual(['pw1']);
    expect(passwordCandidates('mysql://reader@db/app')).toEqual([]);
  });
});

describe('parseConnectionUrl, the one parser every command uses', () => {
  test('takes a raw % in a password literally and gives the drivers a well-formed URL', () => {
    const target = parseConnectionUrl('postgres://app:50%off@db.internal:5432/app');
    expect(decodeURIComponent(target.url.password)).toBe('50%off');
    expect(target.url.href).toBe('postgres://app:50%25off@db.internal:5432/app');
  });

  test('refuses an unencoded @, / or ? in the credentials, saying how to encode, quoting nothing', () => {
    for (const raw of [
      'postgres://app:Zq7@x@db.internal/app',
      'postgres://app:Zq7/x@db.internal/app',
      'postgres://app:Zq7?x@db.internal/app',
    ]) {
      const message = refusal(raw);
      expect(message).toContain('percent-encode');
      expect(message).not.toContain('Zq7');
    }
  });

  test('refuses a URL without scheme:// and never quotes it', () => {
    for (const raw of [
      'postgres:/app:hunter2@db/app',
      'postgres//app:hunter2@db/app',
      'app:hunter2@db:5432/app',
    ]) {
      expect(refusal(raw)).toMatch(/^not a database URL \(/);
      expect(refusal(raw)).not.toContain('hunter2');
    }
  });
});
