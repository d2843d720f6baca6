// Espruino's console (REPL) over a byte stream, as the CLI and the Web IDE see it on a real
// device: prompt `>`, characters echoed as typed, `\x10` at the start of a line turns echo
// (and the `=result` line) off for that line, results printed as `=value`, output with
// \r\n line ends, unbalanced brackets continue the line, reset()/load()/E.reboot() restart.

import type { SimDevice } from './device';

const banner =
  '\r\n ____                 _\r\n|  __|___ ___ ___ _ _|_|___ ___\r\n' +
  '|  __|_ -| . |  _| | | |   | . |\r\n|____|___|  _|_| |___|_|_|_|___|\r\n' +
  '         |_| espruino.com (simulated)\r\n 2v29\r\n\r\n';

export class SimConsole {
  private line = '';
  private echoOff = false;
  private lastWasCarriageReturn = false;
  private listeners: ((bytes: Uint8Array) => void)[] = [];
  private readonly detach: () => void;

  constructor(private readonly device: SimDevice) {
    // Espruino's console turns every \n it prints into \r\n.
    this.detach = device.onConsole((text) => this.emit(text.replace(/\r?\n/g, '\r\n')));
  }

  /** Bytes the console sends to the host (echo, results, program output). */
  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /** Shows the prompt, as a freshly connected console does after a key press. */
  prompt(): void {
    this.emit('>');
  }

  /** Bytes typed by the host. */
  input(data: Uint8Array | string): void {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
    for (const char of text) this.key(char);
  }

  close(): void {
    this.detach();
    this.listeners = [];
  }

  private key(char: string): void {
    const afterCarriageReturn = this.lastWasCarriageReturn;
    this.lastWasCarriageReturn = char === '\r';
    if (char === '\n' && afterCarriageReturn) return; // \r\n is one Enter
    if (char === '\x10' && this.line.length === 0) {
      this.echoOff = true;
      return;
    }
    if (char === '\r' || char === '\n') return this.enter();
    if (char === '\x03') {
      // Ctrl-C clears the line being typed.
      this.line = '';
      this.echoOff = false;
      return this.emit('\r\n>');
    }
    if (char === '\x7f' || char === '\b') {
      if (this.line.length === 0) return;
      this.line = this.line.slice(0, -1);
      if (!this.echoOff) this.emit('\b \b');
      return;
    }
    this.line += char;
    if (!this.echoOff) this.emit(char);
  }

  private enter(): void {
    if (bracketDepth(this.line) > 0) {
      // Espruino waits for the closing bracket; the continuation prompt is ':'.
      this.line += '\n';
      if (!this.echoOff) this.emit('\r\n:');
      return;
    }
    const echo = !this.echoOff;
    const code = this.line;
    this.line = '';
    this.echoOff = false;
    if (echo) this.emit('\r\n');
    if (!this.device.running) return;

    const resetsBefore = this.device.resets.length;
    try {
      const result = this.device.evaluate(code);
      if (echo) this.emit('=' + formatResult(result) + '\r\n');
    } catch (error) {
      this.emit('Uncaught ' + String(error) + '\r\n');
    }
    this.device.settle();
    if (this.device.resets.length !== resetsBefore) this.emit(banner);
    if (echo) this.emit('>');
  }

  private emit(text: string): void {
    if (text.length === 0) return;
    const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
    for (const listener of this.listeners) listener(bytes);
  }
}

/** How deep the line is inside ( [ { — strings and comments are skipped roughly. */
function bracketDepth(line: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
  }
  return depth;
}

/** The `=value` text, close to Espruino's (strings quoted, objects as JSON). */
function formatResult(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'function () { ... }';
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
