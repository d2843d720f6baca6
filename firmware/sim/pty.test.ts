// A simulated device reached through a real pseudo-terminal, as the CLI and gateway do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openSync, constants } from 'node:fs';
import tty from 'node:tty';
import { SimConsole } from './console';
import { SimDevice } from './device';
import { attachPty, consoleEndpoint, uartEndpoint } from './pty';

/** Opens the host end of a pty and collects what arrives until `until` matches. */
function openHost(path: string) {
  const stream = new tty.ReadStream(
    openSync(path, constants.O_RDWR | constants.O_NOCTTY),
  );
  stream.setRawMode(true);
  let received = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  stream.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    for (const wake of waiters.splice(0)) wake();
  });
  stream.on('error', () => undefined);
  return {
    write: (bytes: Uint8Array | string) => stream.write(bytes),
    async until(done: (bytes: Buffer) => boolean): Promise<Buffer> {
      while (!done(received)) await new Promise<void>((wake) => waiters.push(wake));
      return received;
    },
    close: () => stream.destroy(),
  };
}

test('bytes cross a pty into a simulated UART and back, all 256 values intact', async () => {
  const sim = new SimDevice();
  sim.powerOn(
    'Serial2.setup(115200); Serial2.on("data", function (d) { Serial2.write(d); });',
  );
  const attachment = await attachPty(uartEndpoint(sim.uart('Serial2')));
  const host = openHost(attachment.path);
  try {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    host.write(all);
    const echoed = await host.until((bytes) => bytes.length >= 256);
    assert.equal([...echoed], [...all]);
  } finally {
    host.close();
    await attachment.close();
  }
});

test('the console answers over a pty as a device would', async () => {
  const sim = new SimDevice();
  sim.powerOn('');
  const repl = new SimConsole(sim);
  const attachment = await attachPty(consoleEndpoint(repl));
  const host = openHost(attachment.path);
  try {
    host.write('6*7\r');
    const reply = await host.until((bytes) => bytes.toString('latin1').endsWith('>'));
    assert.is(reply.toString('latin1'), '6*7\r\n=42\r\n>');
  } finally {
    host.close();
    await attachment.close();
    repl.close();
  }
});

test.run();
