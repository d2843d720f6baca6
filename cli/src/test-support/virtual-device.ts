// A simulated Espruino device (firmware/sim: the interpreter's globals, Storage journal and
// console REPL) on a real pty, for CLI tests. As a post it has the ESP32 post's pins on a
// bench (mains on, door shut, 13.2 V battery), so the real built bundle runs. Optional line
// noise between host and device corrupts one upload chunk, as a bad cable would. A live
// device follows real time; a post's gateway UART can go on a second pty (a real gateway,
// or monitor on a tap of the line).

import { esp32Post } from '@urgence/hardware';
import {
  SimConsole,
  SimDevice,
  attachPty,
  consoleEndpoint,
  uartEndpoint,
  type ByteEndpoint,
  type PtyAttachment,
} from '@urgence/firmware/sim';

export interface VirtualDeviceOptions {
  /** Storage files present before power-on (e.g. `.bootcde` = a firmware). */
  files?: Record<string, string>;
  /** Corrupt the n-th (0-based) console line that carries upload data (Storage.write). */
  corruptUploadLine?: number;
  /** Pass this many upload lines, then nothing more from the host: a pulled cable. */
  cutAfterUploadLines?: number;
  storageBytes?: number;
  /** Wire the ESP32 post board (pins, battery divider, gateway UART). */
  board?: 'post';
  /** With the post board: the door is open (tamper switch released) from power-on. */
  doorOpen?: boolean;
  /** The simulator's clock follows real time (otherwise only a test advances it). */
  live?: boolean;
  /**
   * Called when the host starts uploading this Storage file; the upload (and everything
   * after it on the console) waits until the promise settles.
   */
  beforeUpload?: { file: string; run: () => Promise<void> };
}

export interface VirtualDevice {
  /** The pty path the CLI opens. */
  port: string;
  /**
   * Puts the post's gateway UART on a pty of its own and returns its path; bytes the post
   * wrote before this are not on it.
   */
  attachGatewayLink(): Promise<string>;
  sim: SimDevice;
  /** A live Storage file as text, or undefined. */
  file(name: string): string | undefined;
  close(): Promise<void>;
}

export async function startVirtualDevice(
  options: VirtualDeviceOptions = {},
): Promise<VirtualDevice> {
  const sim =
    options.board === 'post'
      ? postOnBench(options.doorOpen === true)
      : new SimDevice({ storageBytes: options.storageBytes ?? 256 * 1024 });
  for (const [name, text] of Object.entries(options.files ?? {})) {
    sim.journal.write(name, Buffer.from(text, 'latin1'));
  }
  // A bare Espruino boots an empty program; `once` keeps later load() on `.bootcde`.
  if (options.files?.['.bootcde'] === undefined) sim.powerOn('', true);
  else sim.powerOn();

  const repl = new SimConsole(sim);
  let endpoint = consoleEndpoint(repl);
  if (options.corruptUploadLine !== undefined) {
    endpoint = withLineNoise(endpoint, options.corruptUploadLine);
  }
  if (options.cutAfterUploadLines !== undefined) {
    endpoint = cutAfterUploads(endpoint, options.cutAfterUploadLines);
  }
  if (options.beforeUpload !== undefined) {
    endpoint = heldAtUpload(endpoint, options.beforeUpload);
  }
  const pty = await attachPty(endpoint);
  let gatewayLink: PtyAttachment | undefined;
  const stopPacing = options.live === true ? followRealTime(sim) : () => {};
  return {
    port: pty.path,
    sim,
    async attachGatewayLink() {
      if (options.board !== 'post')
        throw new Error('only the post board has a gateway UART');
      gatewayLink ??= await attachPty(uartEndpoint(sim.uart(esp32Post.gatewayUart.port)));
      return gatewayLink.path;
    },
    file(name) {
      const bytes = sim.journal.find(name);
      return bytes === undefined ? undefined : Buffer.from(bytes).toString('latin1');
    },
    async close() {
      stopPacing();
      await gatewayLink?.close();
      await pty.close();
      repl.close();
    },
  };
}

function postOnBench(doorOpen: boolean): SimDevice {
  const pins = esp32Post.pins;
  const sim = new SimDevice({
    storageBytes: 256 * 1024,
    button: { pin: pins.button.pin, activeHigh: pins.button.activeHigh },
    maxPin: 39,
    uarts: ['Serial1', 'Serial2', 'USB'],
  });
  // Inputs at rest as wired (hardware/boards/esp32-post.ts): button released (pull-up),
  // tamper switch closed, mains-ok opto low = mains present, intercom idle.
  sim.pins.input(pins.button.pin, 1);
  sim.pins.input(pins.tamper.pin, doorOpen ? 1 : 0);
  sim.pins.input(pins.mainsOk.pin, 0);
  sim.pins.input(pins.intercomActive.pin, 1);
  const battery = esp32Post.battery;
  sim.pins.setAnalog(battery.pin, 13.2 / battery.dividerRatio / battery.fullScaleVolts);
  return sim;
}

/** Advances the fake clock by the real time elapsed, every 20 ms; returns the stop. */
function followRealTime(sim: SimDevice): () => void {
  let last = Date.now();
  const pacer = setInterval(() => {
    const now = Date.now();
    if (now > last && sim.running) sim.advance(now - last);
    last = now;
  }, 20);
  return () => clearInterval(pacer);
}

/**
 * Passes host bytes on; at the first console line writing `hold.file` into Storage, stops
 * passing them until `hold.run()` settles, then passes that line and the rest in order.
 */
function heldAtUpload(
  endpoint: ByteEndpoint,
  hold: { file: string; run: () => Promise<void> },
): ByteEndpoint {
  const marker = `.write(${JSON.stringify(hold.file)},`;
  let pending = '';
  let state: 'watching' | 'holding' | 'passed' = 'watching';
  const flush = (): void => {
    if (pending.length === 0) return;
    endpoint.write(new Uint8Array(Buffer.from(pending, 'latin1')));
    pending = '';
  };
  return {
    onData: (listener) => endpoint.onData(listener),
    write(bytes) {
      pending += Buffer.from(bytes).toString('latin1');
      if (state !== 'watching') {
        if (state === 'passed') flush();
        return;
      }
      const at = pending.indexOf(marker);
      if (at < 0) {
        // Pass whole lines (Ctrl-C acts at once); keep the tail, which could be the
        // start of the marker split across two reads.
        const keep = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\x03')) + 1;
        if (keep === 0) return;
        endpoint.write(new Uint8Array(Buffer.from(pending.slice(0, keep), 'latin1')));
        pending = pending.slice(keep);
        return;
      }
      state = 'holding';
      const start = pending.lastIndexOf('\n', at) + 1;
      endpoint.write(new Uint8Array(Buffer.from(pending.slice(0, start), 'latin1')));
      pending = pending.slice(start);
      void hold.run().finally(() => {
        state = 'passed';
        flush();
      });
    },
  };
}

/**
 * Passes host bytes on a console line at a time (see lineEnd), each as `pass` returns it:
 * the same, altered, or undefined to drop it.
 */
function perConsoleLine(
  endpoint: ByteEndpoint,
  pass: (line: string) => string | undefined,
): ByteEndpoint {
  let pending = '';
  return {
    onData: (listener) => endpoint.onData(listener),
    write(bytes) {
      pending += Buffer.from(bytes).toString('latin1');
      let end: number;
      while ((end = lineEnd(pending)) >= 0) {
        const line = pass(pending.slice(0, end + 1));
        pending = pending.slice(end + 1);
        if (line !== undefined)
          endpoint.write(new Uint8Array(Buffer.from(line, 'latin1')));
      }
    },
  };
}

/**
 * Changes one plain letter or digit of the data in the chosen upload line, so the device
 * stores other bytes of the same length than the host sent, as a flipped bit on a bad
 * cable would.
 */
function withLineNoise(endpoint: ByteEndpoint, corruptLine: number): ByteEndpoint {
  let uploadLines = 0;
  return perConsoleLine(endpoint, (line) => {
    const data = line.indexOf('.write("') >= 0 ? line.indexOf('","') + 3 : -1;
    return data >= 3 && uploadLines++ === corruptLine ? flipPlainChar(line, data) : line;
  });
}

/** Passes host lines until `passed` upload lines went through, then drops them all. */
function cutAfterUploads(endpoint: ByteEndpoint, passed: number): ByteEndpoint {
  let uploadLines = 0;
  return perConsoleLine(endpoint, (line) => {
    if (uploadLines >= passed) return undefined;
    if (line.includes('.write("')) uploadLines += 1;
    return line;
  });
}

/** Replaces the first letter or digit at or after `from` that is not part of an escape. */
function flipPlainChar(line: string, from: number): string {
  for (let at = from; at < line.length; at++) {
    const escaped = line.slice(Math.max(from, at - 3), at).includes('\\');
    if (escaped || !/[A-Za-z0-9]/.test(line[at] ?? '')) continue;
    return line.slice(0, at) + (line[at] === 'Q' ? 'R' : 'Q') + line.slice(at + 1);
  }
  return line;
}

/** Where the console acts: Enter, or Ctrl-C which it handles at once. */
function lineEnd(text: string): number {
  for (let at = 0; at < text.length; at++) {
    if (text[at] === '\n' || text.charCodeAt(at) === 0x03) return at;
  }
  return -1;
}
