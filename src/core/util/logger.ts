// The logging interface the core writes to. The extension backs it with a LogOutputChannel, the CLI with stderr;
// the core never decides where logs go.

export interface Logger {
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const noop = (): void => {};

export const nullLogger: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };
