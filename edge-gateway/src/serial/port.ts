// One serial port (USB-serial adapter to an RS-485 bus or a UART) opened through
// @serialport/bindings-cpp, read in a loop, reopened when it goes away (a USB adapter
// unplugged and plugged back gets the same udev name, see README.md).
import { autoDetect } from '@serialport/bindings-cpp';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock';

export type PortState = 'opening' | 'open' | 'closed' | 'failed';

export type PortOptions = {
  path: string;
  baudRate: number;
  log: Logger;
  clock: Clock;
  onBytes: (bytes: Uint8Array) => void;
  onState?: (state: PortState) => void;
  /** Wait before reopening a port that failed or vanished. */
  reopenMs?: number;
};

const READ_CHUNK = 1024;

type BindingPortInterface = Awaited<ReturnType<ReturnType<typeof autoDetect>['open']>>;

export class SerialPortIO {
  state: PortState = 'closed';
  private port: BindingPortInterface | undefined;
  private reopenTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly options: PortOptions) {}

  start(): void {
    void this.open();
  }

  /** Sends bytes if the port is open; false when they could not go out. */
  async write(bytes: Uint8Array): Promise<boolean> {
    const port = this.port;
    if (port === undefined || this.state !== 'open') return false;
    try {
      await port.write(Buffer.from(bytes));
      return true;
    } catch (error) {
      this.options.log.warn(
        { port: this.options.path, err: (error as Error).message },
        'serial write failed',
      );
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.clock.clearTimeout(this.reopenTimer);
    const port = this.port;
    this.port = undefined;
    this.setState('closed');
    if (port?.isOpen === true) await port.close().catch(() => {});
  }

  private setState(state: PortState): void {
    this.state = state;
    this.options.onState?.(state);
  }

  private async open(): Promise<void> {
    const { path, baudRate, log } = this.options;
    this.setState('opening');
    try {
      this.port = await autoDetect().open({ path, baudRate });
    } catch (error) {
      log.error(
        { port: path, err: (error as Error).message },
        'serial port failed to open',
      );
      this.scheduleReopen();
      return;
    }
    if (this.stopped) {
      await this.port.close().catch(() => {});
      return;
    }
    this.setState('open');
    log.info({ port: path, baudRate }, 'serial port open');
    await this.readLoop(this.port);
  }

  private async readLoop(port: BindingPortInterface): Promise<void> {
    const buffer = Buffer.alloc(READ_CHUNK);
    while (!this.stopped) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await port.read(buffer, 0, READ_CHUNK));
      } catch (error) {
        if (this.stopped) return;
        this.options.log.error(
          { port: this.options.path, err: (error as Error).message },
          'serial port lost',
        );
        await port.close().catch(() => {});
        this.scheduleReopen();
        return;
      }
      if (bytesRead > 0)
        this.options.onBytes(new Uint8Array(buffer.subarray(0, bytesRead)));
    }
  }

  private scheduleReopen(): void {
    if (this.stopped) return;
    this.port = undefined;
    this.setState('failed');
    this.reopenTimer = this.options.clock.setTimeout(
      () => void this.open(),
      this.options.reopenMs ?? 2000,
    );
  }
}
