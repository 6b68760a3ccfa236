import { redactSecrets } from '../core/parts/database/redaction.ts';
import { colourWanted } from './colour.ts';

/** The process surface the CLI writes to, injected so tests can capture it. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Which streams get colour (see colour.ts); none when absent. */
  readonly colour?: { readonly stdout: boolean; readonly stderr: boolean };
}

/** The real process. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  colour: {
    stdout: colourWanted(process.env, process.stdout.isTTY === true),
    stderr: colourWanted(process.env, process.stderr.isTTY === true),
  },
};

/**
 * `io` with every line redacted before it is written (see redactSecrets): whatever a command,
 * an error or a driver prints, no password given to this run reaches stdout or stderr.
 */
export function redactingIo(io: CliIo): CliIo {
  return {
    ...io,
    stdout: (text) => io.stdout(redactSecrets(text)),
    stderr: (text) => io.stderr(redactSecrets(text)),
  };
}
