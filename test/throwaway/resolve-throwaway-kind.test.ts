import { describe, expect, test } from 'vitest';
import type { DialectName } from '../../src/core/model/dialect.ts';
import { UsageError } from '../../src/core/model/errors.ts';
import { resolveThrowawayKind } from '../../src/core/parts/throwaway/open-throwaway.ts';
import type { ThrowawayEnvironment } from '../../src/core/parts/throwaway/open-throwaway.ts';
import type { ThrowawayKind } from '../../src/core/parts/throwaway/throwaway.ts';

/** An environment where Docker answers or not, that counts how often it was asked. */
function docker(answers: boolean): ThrowawayEnvironment & { asked: number } {
  const environment = {
    asked: 0,
    dockerAnswers: async () => {
      environment.asked += 1;
      return answers;
    },
  };
  return environment;
}

const SERVER_URL = 'postgres://u@127.0.0.1:5432/postgres';

describe('resolveThrowawayKind: what --throwaway auto stands for', () => {
  test('a container when a Docker engine answers, even with a server URL', async () => {
    expect(await resolveThrowawayKind('auto', { dialect: 'postgres' }, docker(true))).toBe('container');
    expect(await resolveThrowawayKind('auto', { dialect: 'mysql' }, docker(true))).toBe('container');
    expect(
      await resolveThrowawayKind('auto', { dialect: 'postgres', serverUrl: SERVER_URL }, docker(true)),
    ).toBe('container');
  });

  test('a scratch database on the server when a URL is given and Docker does not answer', async () => {
    expect(
      await resolveThrowawayKind('auto', { dialect: 'postgres', serverUrl: SERVER_URL }, docker(false)),
    ).toBe('server');
    expect(
      await resolveThrowawayKind(
        'auto',
        { dialect: 'mysql', serverUrl: 'mysql://root@127.0.0.1:3306' },
        docker(false),
      ),
    ).toBe('server');
  });

  test('embedded Postgres without Docker or a URL', async () => {
    expect(await resolveThrowawayKind('auto', { dialect: 'postgres' }, docker(false))).toBe('embedded');
  });

  test('mysql without Docker or a URL is a usage error listing the options', async () => {
    const failure = resolveThrowawayKind('auto', { dialect: 'mysql' }, docker(false));
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(/no Docker engine answers and no --server-url was given/);
    await expect(failure).rejects.toThrow(/--throwaway container/);
    await expect(failure).rejects.toThrow(/--throwaway server --server-url mysql:\/\//);
  });
});

describe('resolveThrowawayKind: an explicit kind is kept', () => {
  const cases: [Exclude<ThrowawayKind, 'auto'>, DialectName][] = [
    ['embedded', 'postgres'],
    ['server', 'postgres'],
    ['server', 'mysql'],
    ['container', 'postgres'],
    ['container', 'mysql'],
  ];
  for (const [kind, dialect] of cases) {
    test(`${kind} for ${dialect}, without asking Docker`, async () => {
      for (const answers of [true, false]) {
        const environment = docker(answers);
        expect(await resolveThrowawayKind(kind, { dialect }, environment)).toBe(kind);
        expect(environment.asked).toBe(0);
      }
    });
  }
});
