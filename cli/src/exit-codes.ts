// Exit codes of every `urgence` command, and the error type that carries one. A script
// driving the CLI (or a technician reading `echo $?`) can tell why a step stopped.

export const ExitCode = {
  /** Everything asked for was done and verified. */
  Ok: 0,
  /** Bad arguments or options: nothing was touched. */
  Usage: 1,
  /** The device did not answer on its console (silent port, wrong baud, timeout). */
  DeviceSilent: 2,
  /** The device answered but what it holds is not what was sent (checksum, id, version). */
  VerifyFailed: 3,
  /** The registry refused: id already in use, unknown id, unreadable registry file. */
  Registry: 4,
  /** The serial port could not be opened (missing, busy, permission). */
  PortUnavailable: 5,
  /** diagnose: the device answered and at least one check failed. */
  ChecksFailed: 6,
  /** test-alarm: the broker could not be reached or refused the login. */
  BrokerUnreachable: 7,
  /** test-alarm: the alarm was not acknowledged end to end in time. */
  NotAcknowledged: 8,
  /** A bug in this tool: please report it with the message. */
  Internal: 9,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const exitCodeNames = new Map<number, string>(
  Object.entries(ExitCode).map(([name, code]) => [code, name]),
);

export function exitCodeName(code: number): string {
  return exitCodeNames.get(code) ?? 'Unknown';
}

/**
 * An expected failure: `message` says what happened, `hint` what to do next. main.ts prints
 * both and exits with `exitCode`.
 */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(
    exitCode: ExitCodeValue,
    message: string,
    hint?: string,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
    this.details = details;
  }
}
