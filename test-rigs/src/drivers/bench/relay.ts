// USB power relay, LCUS protocol: the CH340-based "LC Technology" serial relay boards sold
// as LCUS-1/2/4. Each command is 4 bytes at 9600 baud: 0xA0, channel (1-based), state
// (1 = contact closed, 0 = open), and the low byte of the sum of the first three.
// Devices are powered through the normally-open contact: closed = powered.

import type { SerialLine } from '../../serial/serialLine';

export function lcusCommand(channel: number, closed: boolean): Uint8Array {
  const state = closed ? 1 : 0;
  return Uint8Array.of(0xa0, channel, state, (0xa0 + channel + state) & 0xff);
}

export class LcusRelay {
  constructor(
    readonly name: string,
    private readonly line: SerialLine,
    private readonly channels: number,
  ) {}

  async set(channel: number, closed: boolean): Promise<void> {
    if (!Number.isInteger(channel) || channel < 1 || channel > this.channels) {
      throw new RangeError(
        `relay ${this.name} has channels 1-${this.channels}, not ${channel}`,
      );
    }
    // The board does not answer: the command is fire-and-forget, so the runner waits for
    // the device's console or outputs to show the effect rather than trusting the write.
    await this.line.write(lcusCommand(channel, closed));
  }
}
