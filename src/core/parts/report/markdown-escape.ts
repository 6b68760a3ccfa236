/**
 * Escaping for user data (migration names, messages, SQL) in the markdown GitHub renders.
 * Besides rendering right, it keeps the raw text free of `<!--`, so that nothing a migration
 * contains can pose as the hidden marker a sticky PR comment is found by.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
};

/**
 * Text for a raw HTML context (a `<summary>`): markdown is not processed there, so only HTML
 * is escaped. Line breaks become spaces.
 */
export function escapeHtml(text: string): string {
  return oneLine(text).replace(/[&<>|]/g, (char) => HTML_ENTITIES[char]!);
}

/**
 * Text for a markdown context (a paragraph, a list item, a table cell): HTML escaped, the
 * characters that would start emphasis, code, links or strikethrough backslash-escaped, pipes
 * made entities so a table cell holds, a leading heading or list marker escaped, line breaks
 * turned into spaces. Underscores inside words stay as they are (they never emphasize), so
 * `2024_01_10_create_users` stays readable.
 */
export function escapeMarkdown(text: string): string {
  return (
    escapeHtml(text)
      .replace(/[\\`*[\]~]/g, '\\$&')
      .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
      // At the start of a line or list item these would open a heading, list or rule.
      .replace(/^[#=+-]/, '\\$&')
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}

/** User text as inline code in a markdown context: `<code>` with escaped content. */
export function code(text: string): string {
  return `<code>${escapeMarkdown(text)}</code>`;
}

/**
 * A fenced code block holding `body` verbatim: the fence is longer than any run of backticks
 * in it, so the body cannot close it. The one change to the body: `<!--` gets a zero-width
 * space (`<!-\u200b-`), so the comment's raw text cannot contain a marker.
 */
export function fencedBlock(language: string, body: string): string {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const safe = body.replace(/\r\n?/g, '\n').replaceAll('<!--', '<!-\u200b-');
  return `${fence}${language}\n${safe}\n${fence}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
