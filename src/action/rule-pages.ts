import type { RuleDocs } from '../core/parts/report/rule-docs.ts';
import { ruleDocsUnder } from '../core/parts/report/rule-docs.ts';

/**
 * Links to the rule pages in the action's own repository, at the ref the workflow uses
 * (`uses: owner/migration-gate@v1` sets GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF), so a
 * reviewer reads the page of the version that judged the pull request. A local action
 * (`uses: ./`) sets neither: then no link.
 */
export function actionRuleDocs(env: Readonly<Record<string, string | undefined>>): RuleDocs | undefined {
  const repository = env['GITHUB_ACTION_REPOSITORY'];
  const ref = env['GITHUB_ACTION_REF'];
  if (!repository || !ref) return undefined;
  const server = env['GITHUB_SERVER_URL'] || 'https://github.com';
  return ruleDocsUnder(`${server}/${repository}/blob/${ref}/docs/rules`);
}
