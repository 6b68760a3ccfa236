import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/model/errors.ts';
import {
  anyText,
  connectionUrl,
  dialectName,
  duration,
  oneOf,
  trueOrFalse,
  wholeNumber,
} from '../../src/core/parts/options/value-parsers.ts';

/** The UsageError a parser throws for `text`. */
function refusal(parse: (text: string, label: string) => unknown, text: string, label = '--option'): string {
  try {
    parse(text, label);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${text} was accepted`);
}

describe('the value parsers both shells read options with', () => {
  test('any text is kept as given', () => {
    expect(anyText('db/migrations', '--migrations')).toBe('db/migrations');
  });

  test('oneOf takes exactly the listed spellings and names the option and the choices', () => {
    const mode = oneOf(['step', 'sequence']);
    expect(mode('sequence', '--mode')).toBe('sequence');
    expect(refusal(mode, 'Step', '--mode')).toBe('--mode must be one of step, sequence, not Step');
    expect(refusal(mode, 'sideways', 'input mode')).toBe(
      'input mode must be one of step, sequence, not sideways',
    );
  });

  test("booleans are YAML 1.2's, as the action reads them", () => {
    for (const text of ['true', 'True', 'TRUE']) expect(trueOrFalse(text, '--x')).toBe(true);
    for (const text of ['false', 'False', 'FALSE']) expect(trueOrFalse(text, '--x')).toBe(false);
    for (const text of ['yes', '1', 'on', 'tRUE']) {
      expect(refusal(trueOrFalse, text, '--allow-drift')).toBe(
        `--allow-drift must be true or false, not ${text}`,
      );
    }
  });

  test('a whole number in digits only, within its bounds', () => {
    const parallel = wholeNumber(1, 16);
    expect(parallel('1', 'input parallel')).toBe(1);
    expect(parallel('16', 'input parallel')).toBe(16);
    for (const text of ['0', '17', '-2', '2.5', '1e1', 'four', ' 3']) {
      expect(refusal(parallel, text, 'input parallel')).toBe(
        `input parallel must be a whole number from 1 to 16, not ${text}`,
      );
    }
  });

  test.each([
    ['5000', 5000],
    ['5000ms', 5000],
    ['5 s', 5000],
    ['5s', 5000],
    ['2m', 120_000],
    ['2min', 120_000],
  ])('the duration %s is %i ms: a bare number is milliseconds', (text, ms) => {
    expect(duration(text, '--lock-timeout')).toBe(ms);
  });

  test.each(['0', '0s', '-1', '1.5s', '5h', 'abc', '', '99999999999999999'])(
    'the duration %j is refused, naming the option and the forms it takes',
    (text) => {
      expect(refusal(duration, text, '--lock-timeout')).toBe(
        `--lock-timeout must be a duration such as 5000 (ms), 5s or 2min, not ${text}`,
      );
    },
  );

  test('a dialect by the names people use; MariaDB is mysql', () => {
    for (const [text, dialect] of [
      ['postgres', 'postgres'],
      ['PostgreSQL', 'postgres'],
      ['pg', 'postgres'],
      ['mysql', 'mysql'],
      ['MariaDB', 'mysql'],
    ] as const) {
      expect(dialectName(text, '--dialect')).toBe(dialect);
    }
    expect(refusal(dialectName, 'oracle', '--dialect')).toBe(
      '--dialect must be postgres or mysql (mariadb), not oracle',
    );
  });

  test('a database URL is kept as given, credentials included, once it parses', () => {
    const url = 'postgres://deployer:s3cret@db.example.com:5432/app';
    expect(connectionUrl(url, '--target-url')).toBe(url);
  });

  test('a URL that is not a database URL is refused by option, never quoting its password', () => {
    const scheme = refusal(connectionUrl, 'https://admin:hunter2@db.example.com/app', '--target-url');
    expect(scheme).toMatch(/^--target-url: unsupported database URL scheme https:\/\//);
    const malformed = refusal(
      connectionUrl,
      'postgres://admin:hunter2@[db.example.com/app',
      'input server-url',
    );
    expect(malformed).toMatch(/^input server-url: not a database URL/);
    for (const message of [scheme, malformed]) expect(message).not.toContain('hunter2');
  });
});
