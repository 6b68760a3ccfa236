/**
 * Structural checks on rendered markdown: whether every code fence is closed and every
 * `<details>` element ends, reading the text the way a markdown parser would.
 */
export function markdownStructure(markdown: string): { unclosedFence: boolean; openDetails: number } {
  let fence: string | undefined;
  let openDetails = 0;
  for (const line of markdown.split('\n')) {
    if (fence !== undefined) {
      if (new RegExp(`^${fence}\`*\\s*$`).test(line)) fence = undefined;
      continue;
    }
    const opening = /^(`{3,})/.exec(line);
    if (opening !== null) {
      fence = opening[1];
      continue;
    }
    openDetails += (line.match(/<details[ >]/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  return { unclosedFence: fence !== undefined, openDetails };
}

/** The cells of each row of the first markdown table, split on unescaped pipes. */
export function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}
