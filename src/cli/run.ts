import { createRequire } from 'node:module';
import { redactSecrets } from '../core/parts/database/redaction.ts';
import { UsageError, messageOf } from '../core/model/errors.ts';
import { optional } from '../core/model/optional.ts';
import { USAGE, commandUsage } from './usage.ts';
import { newCommand } from './new-command.ts';
import { checkCommand } from './check-command.ts';
import type { CliIo } from './io.ts';
import { redactingIo } from './io.ts';
import { colouredIo } from './colour.ts';
import type { CommandName } from '../core/parts/options/option.ts';
import { targetCommand } from './target-command.ts';

const COMMANDS: Readonly<Record<CommandName, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  check: checkCommand,
  apply: targetCommand('apply'),
  status: targetCommand('status'),
  rollback: targetCommand('rollback'),
  restore: targetCommand('restore'),
  new: newCommand,
};

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/**
 * Runs the CLI and returns its exit code: 0 passed, 1 the check failed under `--fail-on` (or
 * apply, rollback or restore refused or failed), 2 usage or environment error. The one place that catches, and it
 * never loses a non-Error value.
 */
export async function runCli(argv: readonly string[], plainIo: CliIo): Promise<number> {
  const io = redactingIo(colouredIo(plainIo));
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr(USAGE);
    return 2;
  }
  if (command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) {
    io.stdout(USAGE);
    return 0;
  }
  if (command === '--version') {
    io.stdout(readVersion());
    return 0;
  }
  if (command === 'help') return help(rest[0]!, io);
  if (!isCommand(command)) {
    io.stderr(`error: unknown command ${command}\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandUsage(command));
    return 0;
  }
  try {
    return await COMMANDS[command](rest, io);
  } catch (error) {
    io.stderr(`error: ${describeFailure(error)}`);
    if (!(error instanceof UsageError) && error instanceof Error && error.stack !== undefined) {
      io.stderr(redactSecrets(error.stack));
    }
    // A script that asked for JSON gets JSON, even when no result exists.
    if (asksForJson(rest)) io.stdout(JSON.stringify(jsonError(error), null, 2));
    return 2;
  }
}

/** Whether the arguments ask for JSON, read without parsing them (they may be what failed). */
function asksForJson(argv: readonly string[]): boolean {
  return argv.some(
    (argument, index) =>
      argument === '--json' ||
      argument === '--format=json' ||
      (argument === '--format' && argv[index + 1] === 'json'),
  );
}

/**
 * The run's failure for machines: `{ ok: false, error: { kind, message, file?, line? } }`.
 * `usage`: bad input or environment (a missing folder, an unreachable server); `unexpected`: a
 * bug or an error nothing anticipated.
 */
function jsonError(error: unknown): object {
  const usage = error instanceof UsageError;
  return {
    ok: false,
    error: {
      kind: usage ? 'usage' : 'unexpected',
      message: redactSecrets(messageOf(error)),
      ...optional('file', usage ? error.file : undefined),
      ...optional('line', usage ? error.line : undefined),
    },
  };
}

/** `help <command>`: that command's options. */
function help(command: string, io: CliIo): number {
  if (!isCommand(command)) {
    io.stderr(`error: unknown command ${command}\n\n${USAGE}`);
    return 2;
  }
  io.stdout(commandUsage(command));
  return 0;
}

function describeFailure(error: unknown): string {
  const message = redactSecrets(messageOf(error));
  if (error instanceof UsageError && error.file !== undefined) {
    const where = error.line === undefined ? error.file : `${error.file}:${error.line}`;
    return message.includes(error.file) ? message : `${message} (${where})`;
  }
  return message;
}

function readVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}
