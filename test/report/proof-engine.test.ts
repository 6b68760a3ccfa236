import { describe, expect, test } from 'vitest';
import { renderCheckJson } from '../../src/core/parts/report/json-report.ts';
import { renderCheckMarkdown } from '../../src/core/parts/report/markdown-report.ts';
import { checkVerdict } from '../../src/core/parts/report/verdict.ts';
import { summaryLine } from '../../src/core/parts/report/text-report.ts';
import { checkResult, migration } from './results.ts';

const onMysql = checkResult([migration('001_a')], {
  dialect: 'mysql',
  database: 'scratch database migration_gate_x on container mysql:9.7',
  provenOn: { family: 'mysql', version: '9.7.4', image: 'mysql:9.7' },
  targetEngine: { family: 'mysql', version: '9.7.2' },
});

const onOlderServer = checkResult([migration('001_a')], {
  database: 'scratch database migration_gate_x on 127.0.0.1:5432',
  provenOn: { family: 'postgres', version: '15.19' },
  targetEngine: { family: 'postgres', version: '17.2' },
});

describe('which engine proved the check', () => {
  test("proven on the target's release: every report names engine, version and image; the verdict stays short", () => {
    expect(summaryLine(onMysql, 'error')).toMatch(/; proven on MySQL 9\.7\.4 \(container mysql:9\.7\)$/);
    expect(checkVerdict(onMysql)).toBe('✅ 1 migration is reversible');
    expect(renderCheckMarkdown(onMysql)).toContain('(MySQL 9.7.4 (container mysql:9.7))');
    expect(JSON.parse(renderCheckJson(onMysql, 'error'))).toMatchObject({
      provenOn: { family: 'mysql', version: '9.7.4', image: 'mysql:9.7' },
      targetEngine: { family: 'mysql', version: '9.7.2' },
    });
  });

  test('proven on another release than the target runs: the verdict line says both', () => {
    const words = 'proven on PostgreSQL 15.19, target runs PostgreSQL 17.2';
    expect(checkVerdict(onOlderServer)).toBe(`✅ 1 migration is reversible; ${words}`);
    expect(summaryLine(onOlderServer, 'error')).toMatch(new RegExp(`; ${words}$`));
  });

  test('proven on embedded PGlite for a target of another major: the verdict says PGlite', () => {
    const result = checkResult([migration('001_a')], {
      provenOn: { family: 'postgres', version: '18.1', embedded: true },
      targetEngine: { family: 'postgres', version: '16.4' },
    });
    expect(checkVerdict(result)).toBe(
      '✅ 1 migration is reversible; proven on PGlite (PostgreSQL 18.1), target runs PostgreSQL 16.4',
    );
  });
});
