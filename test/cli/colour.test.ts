import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test } from 'vitest';
import { colourWanted, paint } from '../../src/cli/colour.ts';
import { spawnCli } from './spawn-cli.ts';

const ESCAPE = '\u001b[';

describe('colour', () => {
  test.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
  ])('env %o on a terminal: %s → %s', (env, terminal, wanted) => {
    expect(colourWanted(env, terminal)).toBe(wanted);
  });

  test('only the marks a line starts with are coloured; the words stay', () => {
    const text = 'ok   0001_a  reversible\nFAIL 0002_b  missing down\n       - left table b\nPASSED: 1';
    expect(paint(text)).toBe(
      '\u001b[32mok\u001b[39m   0001_a  reversible\n' +
        '\u001b[1m\u001b[31mFAIL\u001b[39m\u001b[22m 0002_b  missing down\n' +
        '       - left table b\n' +
        '\u001b[1m\u001b[32mPASSED\u001b[39m\u001b[22m: 1',
    );
    expect(stripVTControlCharacters(paint(text))).toBe(text);
  });

  const check = ['check', '--migrations', 'migrations-example', '--throwaway', 'embedded'];

  test('FORCE_COLOR colours the output of a run that is not on a terminal; NO_COLOR wins over it', async () => {
    const [forced, refused, piped] = await Promise.all(
      [
        { FORCE_COLOR: '1', NO_COLOR: undefined },
        { FORCE_COLOR: '1', NO_COLOR: '1' },
        { FORCE_COLOR: undefined, NO_COLOR: undefined },
      ].map(async (env) => {
        await using cli = spawnCli(check, { env });
        return await cli.exited;
      }),
    );
    expect(forced!.code).toBe(0);
    expect(forced!.stdout).toContain(`${ESCAPE}32mok${ESCAPE}39m   2024_01_10_0900_create_users`);
    expect(refused!.stdout + refused!.stderr).not.toContain(ESCAPE);
    expect(piped!.stdout + piped!.stderr).not.toContain(ESCAPE);
  });
});
