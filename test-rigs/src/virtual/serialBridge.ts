// A post's serial link: its simulated UART joined to one end of a socat pty pair whose
// other end the gateway opens with its real serial code. Cutting the link drops bytes in
// both directions, as a cut RS-485 pair would.

import { openPtyPair, type PtyPair } from '../serial/ptyPair';
import { SerialLine } from '../serial/serialLine';
import type { VirtualDevice } from './virtualDevice';

export class SerialBridge {
  private constructor(
    readonly gatewayEnd: string,
    private readonly pair: PtyPair,
    private readonly line: SerialLine,
    private readonly detach: () => void,
  ) {}

  static async attach(post: VirtualDevice, baud = 115200): Promise<SerialBridge> {
    const uart = post.linkUart;
    if (uart === undefined) throw new Error(`${post.place.name} has no serial link`);
    const pair = await openPtyPair();
    const line = await SerialLine.open(pair.b, baud);
    line.onData((bytes) => {
      if (post.linkUp && post.sim.running) uart.feed(new Uint8Array(bytes));
    });
    const detach = uart.onWire((bytes) => {
      if (post.linkUp) void line.write(bytes).catch(() => undefined);
    });
    return new SerialBridge(pair.a, pair, line, detach);
  }

  async close(): Promise<void> {
    this.detach();
    await this.line.close();
    await this.pair.close();
  }
}
