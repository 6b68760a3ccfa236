import { UsageError } from '../../model/errors.ts';
import type { OptionCommand, DefaultedOption, Option } from './option.ts';

/** What a shell was given, and how its messages name an option. */
export interface OptionSource {
  /** The text given for the option; undefined when it was not given. */
  readonly given: (name: string) => string | undefined;
  /** How a message names the option: `--mode` on the command line, `input mode` in the action. */
  readonly label: (name: string) => string;
}

/** The option's value: what was given, else its default, parsed; undefined when neither is. */
export function optionValue<T>(source: OptionSource, option: DefaultedOption<T>): T;
export function optionValue<T>(source: OptionSource, option: Option<T>): T | undefined;
export function optionValue<T>(source: OptionSource, option: Option<T>): T | undefined {
  const text = source.given(option.name) ?? option.default;
  return text === undefined ? undefined : option.parse(text, source.label(option.name));
}

/**
 * The option's value only when given. For a default that is the engine's own (Kysely's table
 * name), or one the runner fills in (the action's token): the shell passes on only a choice.
 */
export function givenValue<T>(source: OptionSource, option: Option<T>): T | undefined {
  const text = source.given(option.name);
  return text === undefined ? undefined : option.parse(text, source.label(option.name));
}

/**
 * Refuses the first of `options` given to a command that does not take it, so that a `to`
 * meant for rollback does not pass silently with apply. `shellCommands` are the shell's own
 * commands, the only ones the message may suggest.
 */
export function refuseOutsideCommand(
  source: OptionSource,
  options: readonly Option<unknown>[],
  command: OptionCommand,
  shellCommands: readonly OptionCommand[],
): void {
  for (const option of options) {
    if (source.given(option.name) === undefined || option.commands.includes(command)) continue;
    const takers = option.commands.filter((taker) => shellCommands.includes(taker));
    throw new UsageError(
      `${source.label(option.name)} is for command ${takers.join(' or ')}, not ${command}`,
    );
  }
}
