import { access, readdir, readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { actionRuleDocs } from '../../src/action/rule-pages.ts';
import { cliRuleDocs } from '../../src/cli/rule-pages.ts';
import type { Risk } from '../../src/core/model/risk.ts';
import { RISK_RULE_IDS } from '../../src/core/model/risk-rule-ids.ts';
import { renderCheckMarkdown } from '../../src/core/parts/report/markdown-report.ts';
import { migrationDetails } from '../../src/core/parts/report/text-report.ts';
import { checkResult, migration } from './results.ts';

const RULES = new URL('../../docs/rules/', import.meta.url);

describe('rule pages: one per rule id, linked from the reports', () => {
  test('every rule id has a page with why, the safe way, a bad and a good example, and what we observe', async () => {
    for (const id of RISK_RULE_IDS) {
      const page = await readFile(new URL(`${id}.md`, RULES), 'utf8');
      expect(page.split('\n')[0]).toBe(`# \`${id}\``);
      for (const section of ['## Why', '## The safe way', '## Bad', '## Good', '## What we observe'])
        expect(page, `${id}.md: ${section}`).toContain(`\n${section}\n`);
    }
  });

  test('every page is a rule, and the index links every rule', async () => {
    const pages = (await readdir(RULES)).filter((name) => name !== 'README.md');
    expect(pages.sort()).toEqual(RISK_RULE_IDS.map((id) => `${id}.md`).sort());
    const index = await readFile(new URL('README.md', RULES), 'utf8');
    for (const id of RISK_RULE_IDS) expect(index).toContain(`[\`${id}\`](${id}.md)`);
  });

  const risk: Risk = {
    rule: 'drop-column',
    severity: 'error',
    what: 'drops column accounts.legacy',
    why: 'its values are lost',
    instead: 'stop using it first',
  };

  test('the terminal shows the path of the page shipped with the package, which exists', async () => {
    const lines = migrationDetails(migration('0001_a', { risks: [risk] }), cliRuleDocs);
    expect(lines.at(-1)).toBe(`           rule: ${cliRuleDocs('drop-column')!}`);
    await access(cliRuleDocs('drop-column')!);
  });

  test("the pull-request comment links each rule to its page in the action's repository, at its ref", () => {
    const ruleDocs = actionRuleDocs({
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_ACTION_REPOSITORY: 'acme/migration-gate',
      GITHUB_ACTION_REF: 'v1',
    });
    const markdown = renderCheckMarkdown(checkResult([migration('0001_a', { risks: [risk] })]), {
      ...(ruleDocs === undefined ? {} : { ruleDocs }),
    });
    expect(markdown).toContain(
      '- 🛑 <a href="https://github.com/acme/migration-gate/blob/v1/docs/rules/drop-column.md"><code>drop-column</code></a>: drops column accounts.legacy',
    );
  });

  test('a local action (uses: ./) does not know its repository: no link, the rule id alone', () => {
    expect(actionRuleDocs({ GITHUB_REPOSITORY: 'acme/app' })).toBeUndefined();
    expect(renderCheckMarkdown(checkResult([migration('0001_a', { risks: [risk] })]))).toContain(
      '- 🛑 <code>drop-column</code>: drops column accounts.legacy',
    );
  });
});
