import { mkdtemp, writeFile } from 'node:fs/promises';
import { redactSecrets } from '../core/parts/database/redaction.ts';
import { join } from 'node:path';
import type { CheckResult } from '../core/model/check-result.ts';
import type { FailOn } from '../core/model/fail-on.ts';
import { renderCheckJson } from '../core/parts/report/json-report.ts';
import { renderCheckMarkdown } from '../core/parts/report/markdown-report.ts';
import type { ReportPaths } from './outputs.ts';

/**
 * Writes the full reports, untruncated, into a new folder under `root` (the runner's temporary
 * folder), for the `report-json` and `plan-markdown` outputs: a later step can upload them. The
 * markdown's verdict is judged under the step's `fail-on`. Redacted, as everything written is.
 */
export async function writeReportFiles(
  result: CheckResult,
  how: { readonly title: string; readonly failOn: FailOn },
  root: string,
): Promise<ReportPaths> {
  const folder = await mkdtemp(join(root, 'migration-gate-'));
  const paths = { json: join(folder, 'check.json'), markdown: join(folder, 'check.md') };
  await writeFile(paths.json, redactSecrets(`${renderCheckJson(result, how.failOn)}\n`));
  await writeFile(paths.markdown, redactSecrets(renderCheckMarkdown(result, how)));
  return paths;
}
