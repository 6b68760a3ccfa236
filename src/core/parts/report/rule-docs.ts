/**
 * Where a rule's page is (docs/rules/<id>.md): a URL for the pull-request comment, a file
 * path for the terminal; undefined when the shell cannot tell. The shells know where they run
 * from, so they build it and the renderers only show it.
 */
export type RuleDocs = (rule: string) => string | undefined;

/** The rule pages under a base: a URL (`https://.../docs/rules`) or a folder. */
export function ruleDocsUnder(base: string, separator = '/'): RuleDocs {
  return (rule) => `${base}${separator}${rule}.md`;
}
