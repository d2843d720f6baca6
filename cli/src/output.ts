// How commands speak: human lines on stdout (notes on stderr), or, with --json, exactly one
// JSON document on stdout so scripts can parse it. Secrets never pass through here unless
// the command was asked for them (--show-key).

import { CliError, ExitCode, exitCodeName } from './exit-codes';

export interface Output {
  readonly json: boolean;
  /** A line for a person; dropped in --json mode (the final result carries the facts). */
  say(line: string): void;
  /** The command's result: JSON document, or the given human lines. */
  result(document: Record<string, unknown>, lines: readonly string[]): void;
}

export interface OutputSinks {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processSinks: OutputSinks = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function createOutput(json: boolean, sinks: OutputSinks = processSinks): Output {
  return {
    json,
    say(line) {
      if (!json) sinks.err(line + '\n');
    },
    result(document, lines) {
      if (json) sinks.out(JSON.stringify({ ok: true, ...document }) + '\n');
      else for (const line of lines) sinks.out(line + '\n');
    },
  };
}

/** Prints a failure the way the mode asks and returns the exit code to use. */
export function reportFailure(
  error: unknown,
  json: boolean,
  sinks: OutputSinks = processSinks,
): number {
  const failure =
    error instanceof CliError
      ? error
      : new CliError(
          ExitCode.Internal,
          'unexpected error: ' + (error instanceof Error ? error.message : String(error)),
          'this is a bug in urgence; report the command and this message',
        );

  if (json) {
    sinks.out(
      JSON.stringify({
        ok: false,
        exitCode: failure.exitCode,
        reason: exitCodeName(failure.exitCode),
        error: failure.message,
        hint: failure.hint,
        ...failure.details,
      }) + '\n',
    );
  } else {
    sinks.err('error: ' + failure.message + '\n');
    if (failure.hint !== undefined) sinks.err('next:  ' + failure.hint + '\n');
  }
  return failure.exitCode;
}
