import type { ValueParser } from './value-parsers.ts';

/**
 * The commands an option can be for: the CLI's six. The action has all but `restore`, which its
 * `rollback` does, and `new`, which writes files for a person to fill in.
 */
export const COMMAND_NAMES = ['check', 'apply', 'status', 'rollback', 'restore', 'new'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/**
 * What an option can be scoped to: the CLI's commands, and the action's own `comment` (posting
 * a check's report from its artifact, in the companion workflow of pull requests from forks).
 */
export type OptionCommand = CommandName | 'comment';

/**
 * One option, defined once for the CLI (`--name`) and the action (input `name`): both shells
 * read, check and describe it from here, so their values, defaults, messages and help agree.
 */
export interface Option<T> {
  /** `--name` on the command line, `name` as an action input. */
  readonly name: string;
  /** What it does, for `--help`, action.yml and the README. */
  readonly description: string;
  /** What `--help` shows after `--name`, such as `<path>`; absent: a switch, given without a value. */
  readonly placeholder?: string;
  /** The commands that take it. */
  readonly commands: readonly OptionCommand[];
  /** The value when none is given, written as a user would give it. */
  readonly default?: string;
  /** Reads given text; a UsageError naming `label` (`--mode`, `input mode`) on a bad value. */
  readonly parse: ValueParser<T>;
}

/** An option with a default: reading it always yields a value. */
export interface DefaultedOption<T> extends Option<T> {
  readonly default: string;
}
