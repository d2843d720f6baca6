// The finger board: a small Espruino board (a Pico, say) wired to the button and LED lines
// of the device under test. It is driven over its own console with one-line commands; each
// answer is a JSON line carrying the request's id, so stray console output is ignored.

import { LineSplitter, type SerialLine } from '../../serial/serialLine';

/** Espruino: a line starting with DLE (0x10) is executed without being echoed back. */
const noEcho = '\x10';

export class FingerBoard {
  private nextId = 1;
  private readonly waiting = new Map<number, (value: unknown) => void>();
  private readonly splitter = new LineSplitter((line) => this.onLine(line));

  constructor(
    readonly name: string,
    private readonly line: SerialLine,
    private readonly timeoutMs = 2000,
  ) {
    line.onData((bytes) => this.splitter.push(bytes));
  }

  /** Turns off the console's echo and result printing, so only our JSON answers come back. */
  async start(): Promise<void> {
    await this.line.write(`${noEcho}echo(0)\n`);
    await this.evaluate('1');
  }

  /** Drives a line to its active level (finger down, door open). */
  async drive(pin: string, level: boolean): Promise<void> {
    await this.evaluate(
      `(pinMode(${pin},'output'),digitalWrite(${pin},${level ? 1 : 0}),0)`,
    );
  }

  /** Lets go of a line: high impedance, so the device's own pull resistor decides. */
  async float(pin: string): Promise<void> {
    await this.evaluate(`(pinMode(${pin},'input'),0)`);
  }

  /** Reads several lines in one round trip. */
  async read(pins: string[]): Promise<boolean[]> {
    const levels = await this.evaluate(
      `[${pins.map((pin) => `digitalRead(${pin})`).join(',')}]`,
    );
    if (!Array.isArray(levels) || levels.length !== pins.length) {
      throw new Error(
        `finger board ${this.name} answered ${JSON.stringify(levels)} for ${pins}`,
      );
    }
    return levels.map((level) => level === 1 || level === true);
  }

  private evaluate(expression: string): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(
          new Error(
            `finger board ${this.name} did not answer "${expression}" within ${this.timeoutMs} ms`,
          ),
        );
      }, this.timeoutMs);
      this.waiting.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      const command = `${noEcho}print(JSON.stringify({id:${id},v:${expression}}))\n`;
      this.line.write(command).catch((error: Error) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        reject(error);
      });
    });
  }

  private onLine(text: string): void {
    const start = text.indexOf('{"id":');
    if (start < 0) return;
    try {
      const answer = JSON.parse(text.slice(start)) as { id: number; v: unknown };
      const resolve = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      resolve?.(answer.v);
    } catch {
      // A line that only looks like an answer (console noise): ignored.
    }
  }
}
