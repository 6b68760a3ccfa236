import { createRequire } from 'node:module';
import { redactSecrets } from '../core/parts/database/connection-url.ts';
import { UsageError, messageOf } from '../core/model/errors.ts';
import { NEW_USAGE, TARGET_USAGE, USAGE } from './usage.ts';
import { newCommand } from './new-command.ts';
import { checkCommand } from './check-command.ts';
import type { CliIo } from './io.ts';
import { targetCommand } from './target-command.ts';

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  check: checkCommand,
  apply: targetCommand('apply'),
  status: targetCommand('status'),
  rollback: targetCommand('rollback'),
  restore: targetCommand('restore'),
  new: newCommand,
};

const TARGET_COMMANDS: ReadonlySet<string> = new Set(['apply', 'status', 'rollback', 'restore']);

/**
 * Runs the CLI and returns its exit code: 0 passed, 1 the proof failed (or apply, rollback or
 * restore refused or failed), 2 usage or environment error. The one place that catches, and it
 * never loses a non-Error value.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help')) {
    io.stdout(
      command === 'new'
        ? NEW_USAGE
        : command !== undefined && TARGET_COMMANDS.has(command)
          ? TARGET_USAGE
          : USAGE,
    );
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    io.stdout(readVersion());
    return 0;
  }
  const handler = COMMANDS[command];
  if (handler === undefined) {
    io.stderr(`error: unknown command ${command}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await handler(rest, io);
  } catch (error) {
    io.stderr(`error: ${describeFailure(error)}`);
    if (!(error instanceof UsageError) && error instanceof Error && error.stack !== undefined) {
      io.stderr(redactSecrets(error.stack));
    }
    return 2;
  }
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
