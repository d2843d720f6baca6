// A virtual BLE radio for tests and rigs: a bindings object with the events and methods
// noble's Noble class drives (the same seam as its HCI and D-Bus bindings), so the real
// noble code runs above it; and an AckAdvertiser that records what would go on air.
import { EventEmitter } from 'node:events';
import type { AckAdvertiser } from '../ble/ack-advertiser';

export class FakeNobleBindings extends EventEmitter {
  scanning = false;

  start(): void {
    setImmediate(() => this.emit('stateChange', 'poweredOn'));
  }

  stop(): void {
    this.scanning = false;
  }

  reset(): void {}

  setScanParameters(): void {}

  startScanning(_uuids: string[], allowDuplicates: boolean): void {
    this.scanning = true;
    setImmediate(() => this.emit('scanStart', !allowDuplicates));
  }

  stopScanning(): void {
    this.scanning = false;
    setImmediate(() => this.emit('scanStop'));
  }

  addressToId(address: string): string {
    return address.replace(/:/g, '').toLowerCase();
  }

  /** One advert heard from `address` (manufacturer data includes the company id). */
  advertise(address: string, manufacturerData: Buffer, rssi: number): void {
    const advertisement = {
      localName: undefined,
      txPowerLevel: undefined,
      manufacturerData,
      serviceData: [],
      serviceUuids: [],
      solicitationServiceUuids: [],
      serviceSolicitationUuids: [],
    };
    const uuid = this.addressToId(address);
    this.emit('discover', uuid, address, 'random', false, advertisement, rssi, false);
  }
}

export class RecordingAckAdvertiser implements AckAdvertiser {
  readonly adverts: { manufacturerData: Buffer; durationMs: number }[] = [];

  async advertise(manufacturerData: Buffer, durationMs: number): Promise<void> {
    this.adverts.push({ manufacturerData, durationMs });
  }

  async stop(): Promise<void> {}
}

/** Loads noble's Noble class (not the package default, which opens the HCI adapter). */
export async function nobleOver(bindings: FakeNobleBindings) {
  const { default: Noble } = await import('@stoprocent/noble/lib/noble.js');
  return new Noble(bindings);
}
