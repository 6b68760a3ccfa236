import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { withOptionTables } from '../../scripts/readme-options.ts';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

test("the README's option tables are the catalogue's (node scripts/write-readme-options.ts renders them)", () => {
  expect(README.match(/<!-- options: [a-z]+ -->/g)).toEqual([
    '<!-- options: check -->',
    '<!-- options: target -->',
    '<!-- options: new -->',
    '<!-- options: action -->',
  ]);
  expect(README).toBe(withOptionTables(README));
});
