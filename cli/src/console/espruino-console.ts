// Speaks Espruino's interactive console (the REPL on the device's serial port) to run
// JavaScript on the device and read back results.
//
// Why not the `espruino` npm CLI (DESIGN.md, measured on 0.1.67): it hangs on small uploads
// unless sends are throttled, turns TLS certificate checks off for the whole Node process,
// opens only ports udev lists (so never a pty, which our tests and bench rigs use) and exits
// 0 when the device never answered. A flashing tool that can report success on a silent
// device is worse than none, so we speak the console protocol ourselves: every command
// waits for its own answer, and silence is an error with its own exit code.
//
// Protocol, as Espruino's console implements it: Ctrl-C (0x03) interrupts running code and
// clears the input line; a line starting with DLE (0x10) is executed without echo. Each
// request prints a begin marker, runs, then prints an end marker carrying the JSON result
// (or the exception), so results are found even among log lines of a running firmware. The
// markers are built by concatenation on the device, so an echoed command never matches one.

import { CliError, ExitCode } from '../exit-codes';
import type { ByteLink } from './serial-link';

export interface Evaluation {
  /** The expression's value, parsed from the device's JSON.stringify. */
  value: unknown;
  /** Lines the device printed while evaluating (e.g. urgence.info()'s JSON line). */
  printed: string[];
}

export interface ConsoleOptions {
  /** How long one request may take before the device counts as silent. */
  replyTimeoutMs?: number;
  /** How many Ctrl-C + probe rounds `wake` tries before giving up. */
  wakeAttempts?: number;
}

/** The device ran the request and threw: the message is the device's own. */
export class DeviceException extends CliError {
  constructor(expression: string, deviceMessage: string) {
    super(
      ExitCode.VerifyFailed,
      `the device raised "${deviceMessage}" running ${abbreviate(expression)}`,
      'the firmware on the device may be older than this tool: run `urgence flash`',
    );
  }
}

const interrupt = 0x03;
const echoOffForLine = '\x10';
// Most text the console keeps while no request is pending: enough for a burst of logs.
const maxBufferedText = 64 * 1024;

interface PendingRequest {
  id: number;
  expression: string;
  resolve: (evaluation: Evaluation) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class EspruinoConsole {
  private received = '';
  private nextId = 1;
  private pending: PendingRequest | undefined;
  private readonly replyTimeoutMs: number;
  private readonly wakeAttempts: number;
  private readonly stopListening: () => void;
  private readonly textListeners = new Set<(text: string) => void>();

  constructor(
    private readonly link: ByteLink,
    options: ConsoleOptions = {},
  ) {
    this.replyTimeoutMs = options.replyTimeoutMs ?? 3000;
    this.wakeAttempts = options.wakeAttempts ?? 3;
    this.stopListening = link.onData((bytes) => this.receive(bytes));
  }

  /** Everything the device prints, as it arrives (latin1: one char per byte). */
  onText(listener: (text: string) => void): () => void {
    this.textListeners.add(listener);
    return () => this.textListeners.delete(listener);
  }

  /**
   * Interrupts whatever runs and checks the console answers. Throws DeviceSilent after
   * `wakeAttempts` rounds without an answer.
   */
  async wake(): Promise<void> {
    for (let attempt = 1; attempt <= this.wakeAttempts; attempt++) {
      await this.link.write(Uint8Array.of(interrupt));
      try {
        await this.evaluate('1', this.replyTimeoutMs / this.wakeAttempts);
        return;
      } catch (error) {
        if (!(error instanceof CliError) || error.exitCode !== ExitCode.DeviceSilent) {
          throw error;
        }
      }
    }
    throw new CliError(
      ExitCode.DeviceSilent,
      `the device did not answer on its console (${this.wakeAttempts} tries)`,
      'check the cable and that the device is powered; press its reset button and retry; ' +
        'is it the right port? (`urgence ports`)',
    );
  }

  /** Runs `expression` on the device and returns its value and what it printed. */
  evaluate(expression: string, timeoutMs = this.replyTimeoutMs): Promise<Evaluation> {
    if (expression.includes('\n')) {
      throw new TypeError(
        'console expression must be one line: ' + abbreviate(expression),
      );
    }
    if (this.pending !== undefined) {
      throw new Error('console request already pending: ' + this.pending.expression);
    }
    const id = this.nextId++;
    const marker = `"@urg:"+${id}+`;
    const line =
      `${echoOffForLine}print(${marker}"<");` +
      `try{print(${marker}"="+JSON.stringify(${expression}))}` +
      `catch(e){print(${marker}"!"+e)}\n`;

    return new Promise<Evaluation>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(
          new CliError(
            ExitCode.DeviceSilent,
            `no answer from the device within ${timeoutMs} ms to ${abbreviate(expression)}`,
            'check the cable and power; if the device is busy, retry in a few seconds',
          ),
        );
      }, timeoutMs);
      this.pending = { id, expression, resolve, reject, timer };
      this.link.write(Buffer.from(line, 'latin1')).catch((error: unknown) => {
        clearTimeout(timer);
        this.pending = undefined;
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Sends a line without waiting for an answer: for `load()`, which restarts the device. */
  async send(statement: string): Promise<void> {
    await this.link.write(Buffer.from(echoOffForLine + statement + '\n', 'latin1'));
  }

  async close(): Promise<void> {
    this.stopListening();
    if (this.pending !== undefined) {
      clearTimeout(this.pending.timer);
      this.pending.reject(new Error('console closed'));
      this.pending = undefined;
    }
    await this.link.close();
  }

  private receive(bytes: Buffer): void {
    const text = bytes.toString('latin1');
    for (const listener of this.textListeners) listener(text);
    this.received += text;
    this.settlePending();
    if (this.pending === undefined && this.received.length > maxBufferedText) {
      this.received = this.received.slice(-maxBufferedText / 2);
    }
  }

  private settlePending(): void {
    const request = this.pending;
    if (request === undefined) return;

    const end = new RegExp(`@urg:${request.id}([=!])(.*?)\\r?\\n`).exec(this.received);
    if (end === null) return;
    const beginMarker = `@urg:${request.id}<`;
    const begin = this.received.lastIndexOf(beginMarker, end.index);
    const printedText =
      begin < 0 ? '' : this.received.slice(begin + beginMarker.length, end.index);
    this.received = this.received.slice(end.index + end[0].length);
    clearTimeout(request.timer);
    this.pending = undefined;

    const printed = printedText.split(/\r?\n/).filter((line) => line.length > 0);
    if (end[1] === '!') {
      request.reject(new DeviceException(request.expression, end[2] ?? ''));
      return;
    }
    request.resolve({ value: parseDeviceJson(end[2] ?? ''), printed });
  }
}

function parseDeviceJson(text: string): unknown {
  // JSON.stringify(undefined) is undefined, which print() shows as the word.
  if (text === 'undefined' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function abbreviate(expression: string): string {
  return expression.length <= 60 ? expression : expression.slice(0, 57) + '...';
}
