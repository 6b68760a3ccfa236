/** Where the engine reports progress. Shells decide how (stderr, GitHub log groups, nothing). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** A logger that drops everything; the default for library use and tests. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  debug: () => {},
};
