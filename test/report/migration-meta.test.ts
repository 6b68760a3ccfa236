import { describe, expect, test } from 'vitest';
import { renderCheckJson } from '../../src/core/parts/report/json-report.ts';
import { renderCheckMarkdown } from '../../src/core/parts/report/markdown-report.ts';
import { renderCheckText } from '../../src/core/parts/report/text-report.ts';
import { checkResult, migration } from './results.ts';

describe("what a migration declares about itself (Kysera's metadata)", () => {
  const slug = migration('002_add_posts_slug', {
    meta: {
      description: 'Adds a slug',
      breaking: true,
      estimatedDurationMs: 30_000,
      tags: ['blog', 'schema'],
    },
    timings: { up: 12, down: 3, upAgain: 11 },
  });

  test('the text report shows it under the migration line, the estimate beside the measured up', () => {
    expect(
      renderCheckText(checkResult([slug]), 'error')
        .split('\n')
        .slice(0, 4),
    ).toEqual([
      'ok   002_add_posts_slug  reversible',
      '       BREAKING change: Adds a slug',
      '       tags: blog, schema',
      '       duration: 30.0 s estimated, up took 12 ms on the throwaway database',
    ]);
  });

  test('the markdown table marks a breaking row and puts the estimate beside the measured time', () => {
    const markdown = renderCheckMarkdown(checkResult([slug, migration('003_plain')]));
    expect(markdown).toContain(
      '| <code>002_add_posts_slug</code> 💥 **breaking** | ✅ reversible | — | — | 26 ms (est. 30.0 s) |',
    );
    expect(markdown).toContain('| <code>003_plain</code> | ✅ reversible | — | — | 25 ms |');
  });

  test('the markdown details list description, breaking, tags and duration', () => {
    const markdown = renderCheckMarkdown(checkResult([slug]));
    expect(markdown).toContain('<code>002_add_posts_slug</code>: reversible · 💥 breaking</summary>');
    expect(markdown).toContain(
      [
        '- 💥 **Breaking change**, says its author',
        '- **Description:** Adds a slug',
        '- **Tags:** <code>blog</code>, <code>schema</code>',
        '- **Duration:** 30\\.0 s estimated, up took 12 ms on the throwaway database',
      ].join('\n'),
    );
  });

  test('JSON carries it as the migration declared it', () => {
    const json = JSON.parse(renderCheckJson(checkResult([slug]), 'error')) as {
      migrations: { meta: unknown }[];
    };
    expect(json.migrations[0]!.meta).toEqual({
      description: 'Adds a slug',
      breaking: true,
      estimatedDurationMs: 30_000,
      tags: ['blog', 'schema'],
    });
  });
});
