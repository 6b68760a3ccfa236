import type { OptionCommand, Option } from './option.ts';

/**
 * The option's description where a shell lists it among `commands`: prefixed with those of
 * them that take it (`apply, rollback: …`) unless that is all of them. Generated from the
 * option's commands, so the text cannot claim a command the parser refuses.
 */
export function describeAmong(option: Option<unknown>, commands: readonly OptionCommand[]): string {
  const takers = commands.filter((command) => option.commands.includes(command));
  return takers.length === commands.length
    ? option.description
    : `${takers.join(', ')}: ${option.description}`;
}
