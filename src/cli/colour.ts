import { styleText } from 'node:util';
import type { CliIo } from './io.ts';

/**
 * Whether a stream gets colour: never with NO_COLOR set (https://no-color.org), always with
 * FORCE_COLOR set to anything but 0 (as Node and most tools read it), else only on a terminal.
 */
export function colourWanted(env: NodeJS.ProcessEnv, isTerminal: boolean): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTerminal;
}

type Style = Parameters<typeof styleText>[0];

/** The words a line starts with that get a colour: verdicts, failures, warnings. */
const MARKS: readonly (readonly [RegExp, Style])[] = [
  [/^ok(?= )/, 'green'],
  [/^PASSED(?=:)/, ['bold', 'green']],
  [/^(?:FAIL|FAILED)\b/, ['bold', 'red']],
  [/^error(?=:)/, ['bold', 'red']],
  [/^warning(?=:)/, 'yellow'],
  [/^ {7}risk \(error\)/, 'red'],
  [/^ {7}risk \(warning\)/, 'yellow'],
];

/** Colours the marks each line of `text` starts with; the words stay as they are. */
export function paint(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      for (const [pattern, style] of MARKS) {
        const match = pattern.exec(line);
        // validateStream: false: whether to colour was decided once, for the stream (colourWanted).
        if (match !== null)
          return styleText(style, match[0], { validateStream: false }) + line.slice(match[0].length);
      }
      return line;
    })
    .join('\n');
}

/** `io` with colour on the streams that want it. */
export function colouredIo(io: CliIo): CliIo {
  const colour = io.colour;
  if (colour === undefined) return io;
  return {
    ...io,
    stdout: colour.stdout ? (text) => io.stdout(paint(text)) : io.stdout,
    stderr: colour.stderr ? (text) => io.stderr(paint(text)) : io.stderr,
  };
}
