import { describe, expect, test } from 'vitest';
import {
  describeEngine,
  engineVersionOf,
  officialImage,
  sameRelease,
} from '../../src/core/parts/database/engine-version.ts';

describe('engine versions', () => {
  test('reads the engine and the numbers of each server version string', () => {
    expect(engineVersionOf('postgres', '17.12 (Debian 17.12-0+deb13u1)')).toEqual({
      family: 'postgres',
      version: '17.12',
    });
    expect(engineVersionOf('mysql', '11.8.9-MariaDB-deb13')).toEqual({
      family: 'mariadb',
      version: '11.8.9',
    });
    expect(engineVersionOf('mysql', '9.7.4-2')).toEqual({ family: 'mysql', version: '9.7.4' });
    expect(describeEngine(engineVersionOf('mysql', '9.7.4-2'))).toBe('MySQL 9.7.4');
  });

  test("the official image names the release: PostgreSQL's major, MySQL's and MariaDB's major.minor", () => {
    expect(officialImage('postgres', '17.2')).toBe('postgres:17');
    expect(officialImage('mysql', '9.7.4-2')).toBe('mysql:9.7');
    expect(officialImage('mysql', '8.4.3')).toBe('mysql:8.4');
    expect(officialImage('mariadb', '11.8.9-MariaDB')).toBe('mariadb:11.8');
  });

  test('two servers are the same release when engine and image tag agree', () => {
    const pg = (version: string) => ({ family: 'postgres', version }) as const;
    expect(sameRelease(pg('17.2'), pg('17.6'))).toBe(true);
    expect(sameRelease(pg('15.19'), pg('17.2'))).toBe(false);
    expect(sameRelease({ family: 'mysql', version: '8.0.36' }, { family: 'mysql', version: '8.4.3' })).toBe(
      false,
    );
    expect(
      sameRelease({ family: 'mariadb', version: '11.8.9' }, { family: 'mysql', version: '11.8.0' }),
    ).toBe(false);
  });
});
