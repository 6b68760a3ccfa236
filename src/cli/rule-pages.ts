import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleDocs } from '../core/parts/report/rule-docs.ts';
import { ruleDocsUnder } from '../core/parts/report/rule-docs.ts';

/**
 * The rule pages shipped with the package (docs/rules, two folders up from src/cli and from
 * lib/cli alike), as file paths the terminal can open.
 */
export const cliRuleDocs: RuleDocs = ruleDocsUnder(
  fileURLToPath(new URL('../../docs/rules', import.meta.url)),
  sep,
);
