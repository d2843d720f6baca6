// A virtual BLE advertiser for tests: a bindings object with the events and methods
// bleno's Bleno class drives (the seam its HCI bindings fill), so the real bleno code
// runs above it. It records every advertising payload handed to the radio, with its time.
import { EventEmitter } from 'node:events';

type AdapterState = 'poweredOn' | 'poweredOff';

export type RecordedAdvert = { eir: Buffer; at: number };

export class FakeBlenoBindings extends EventEmitter {
  /** Every advertising payload bleno handed down, in order, with the time it was set. */
  readonly adverts: RecordedAdvert[] = [];
  /** The payload the controller is advertising now, if any. */
  onAir: Buffer | undefined;
  inits = 0;
  private refusal: string | undefined;

  constructor(
    private state: AdapterState = 'poweredOn',
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  init(): void {
    this.inits++;
    // The HCI bindings report the adapter's state once the socket is up, never inline.
    setImmediate(() => {
      this.emit('platform', 'linux');
      this.emit('stateChange', this.state);
    });
  }

  powerOff(): void {
    // A controller that goes down drops its advertising set with it.
    this.onAir = undefined;
    this.switchTo('poweredOff');
  }

  powerOn(): void {
    this.switchTo('poweredOn');
  }

  /** The controller answers the next advertise-enable with this HCI status text. */
  refuseNextAdvert(status: string): void {
    this.refusal = status;
  }

  startAdvertisingWithEIRData(advertisementData: Buffer, scanData: Buffer | null): void {
    // Same limit and wording as bleno's hci-socket gap.js: legacy PDUs carry 31 bytes.
    if (advertisementData.length > 31 || (scanData?.length ?? 0) > 31) {
      const error = new Error('Advertisement data is over maximum limit of 31 bytes');
      setImmediate(() => this.emit('advertisingStart', error));
      return;
    }
    const refusal = this.refusal;
    this.refusal = undefined;
    if (refusal === undefined) {
      this.onAir = Buffer.from(advertisementData);
      this.adverts.push({ eir: this.onAir, at: this.now() });
    }
    const error = refusal === undefined ? null : new Error(refusal);
    setImmediate(() => this.emit('advertisingStart', error));
  }

  stopAdvertising(): void {
    this.onAir = undefined;
    setImmediate(() => this.emit('advertisingStop'));
  }

  stop(): void {
    this.onAir = undefined;
  }

  // bleno calls these only for GATT servers and named or iBeacon adverts, none of which
  // the gateway uses: failing loudly keeps a test from passing on a path never modelled.
  startAdvertising(): void {
    throw new Error('FakeBlenoBindings models EIR adverts only');
  }

  startAdvertisingIBeacon(): void {
    throw new Error('FakeBlenoBindings models EIR adverts only');
  }

  setServices(): void {
    throw new Error('FakeBlenoBindings has no GATT server');
  }

  disconnect(): void {}

  updateRssi(): void {}

  private switchTo(state: AdapterState): void {
    this.state = state;
    setImmediate(() => this.emit('stateChange', state));
  }
}
