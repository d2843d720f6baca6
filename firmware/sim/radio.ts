// The nRF52 radio as Espruino's NRF object shows it: adverts built as the firmware builds
// them (flags, optional name, service data, manufacturer data) and held to the 31-byte
// legacy limit, non-connectable intervals of at least 100 ms, random static addresses, and
// scanning with manufacturer filters. The test observes adverts and delivers scan results.

import type { FakeClock } from './clock';

/** Legacy advertising PDU payload (Bluetooth Core 5.x, Vol 6, Part B, 2.3.1). */
export const maxAdvertBytes = 31;
/** ADV_NONCONN_IND / ADV_SCAN_IND minimum interval before Bluetooth 5 (100 ms). */
export const minNonConnectableIntervalMs = 100;

export interface AdvertOptions {
  name?: string;
  showName?: boolean;
  manufacturer?: number;
  manufacturerData?: ArrayLike<number> | ArrayBuffer;
  interval?: number;
  connectable?: boolean;
  scannable?: boolean;
  discoverable?: boolean;
}

export interface Advert {
  atMs: number;
  /** The advertising payload as it goes on air. */
  packet: Uint8Array;
  manufacturer?: number;
  manufacturerData?: Uint8Array;
  intervalMs: number;
  connectable: boolean;
  address: string;
}

export interface ScanResult {
  manufacturer: number;
  manufacturerData: Uint8Array;
  rssi?: number;
  /** Sender address, e.g. "c0:11:22:33:44:55 random". */
  id?: string;
}

type Bytes = (values: ArrayLike<number>) => unknown;

export function bytesOf(value: unknown): Uint8Array {
  if (
    value instanceof ArrayBuffer ||
    Object.prototype.toString.call(value) === '[object ArrayBuffer]'
  ) {
    return new Uint8Array(value as ArrayBuffer).slice();
  }
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  }
  if (typeof value === 'string') {
    return Uint8Array.from(value, (char) => char.charCodeAt(0) & 0xff);
  }
  if (Array.isArray(value))
    return Uint8Array.from(value as number[], (byte) => byte & 0xff);
  if (typeof value === 'number') return Uint8Array.of(value & 0xff);
  throw new Error('Expected bytes, got ' + typeof value);
}

export class Radio {
  /** The advert on air now (undefined while asleep or before any). */
  current: Advert | undefined;
  /** The advert set last, on air or not. */
  private configured: Advert | undefined;
  private asleep = false;
  readonly history: Advert[] = [];
  /** The factory random static address a Puck.js boots with. */
  static readonly factoryAddress = 'e7:00:00:00:00:01 random';
  address = Radio.factoryAddress;
  txPower = 0;
  restarts = 0;
  private scanCallback: ((device: unknown) => void) | undefined;
  private scanManufacturers: number[] | undefined;
  private listeners: Record<string, ((...args: unknown[]) => void)[]> = {};

  constructor(
    private readonly clock: FakeClock,
    /** Builds context-realm arrays for the bundle (ArrayBuffer of its own realm). */
    private readonly toContextBuffer: Bytes,
    private readonly onCallbackError: (error: unknown) => void,
  ) {}

  /** NRF.getAdvertisingData(data, options): the payload without advertising it. */
  payload(data: unknown, options: AdvertOptions = {}): Uint8Array {
    if (Array.isArray(data) || ArrayBuffer.isView(data)) return bytesOf(data);
    const parts: number[] = [];
    const discoverable = options.discoverable !== false;
    // Flags AD: LE General Discoverable (if discoverable), BR/EDR not supported.
    parts.push(2, 0x01, discoverable ? 0x06 : 0x04);
    if (options.showName !== false) {
      const name =
        options.name ?? 'Puck.js ' + this.address.slice(12, 17).replace(':', '');
      parts.push(name.length + 1, 0x09, ...bytesOf(name));
    }
    for (const [uuid, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
      const serviceData = bytesOf(value);
      const id = Number(uuid);
      parts.push(serviceData.length + 3, 0x16, id & 0xff, id >> 8, ...serviceData);
    }
    if (options.manufacturerData !== undefined) {
      const id = options.manufacturer ?? 0x0590;
      const mfr = bytesOf(options.manufacturerData);
      parts.push(mfr.length + 3, 0xff, id & 0xff, id >> 8, ...mfr);
    }
    return Uint8Array.from(parts);
  }

  /** NRF.setAdvertising(data, options). */
  advertise(data: unknown, options: AdvertOptions = {}): void {
    const packet = this.payload(data, options);
    if (packet.length > maxAdvertBytes) {
      // The SoftDevice refuses it (NRF_ERROR_INVALID_LENGTH) and Espruino throws.
      throw new Error(
        `Got BLE error 0x0C DATA_SIZE: ${packet.length} bytes > ${maxAdvertBytes}`,
      );
    }
    const intervalMs = options.interval ?? 375; // Espruino's default advertising interval
    const connectable = options.connectable !== false;
    if (!connectable && intervalMs < minNonConnectableIntervalMs) {
      throw new Error(
        `Got BLE error 0x07 INVALID_PARAM: non-connectable interval ${intervalMs} ms < 100`,
      );
    }
    const mfr =
      options.manufacturerData === undefined
        ? undefined
        : bytesOf(options.manufacturerData);
    this.configured = {
      atMs: this.clock.now(),
      packet,
      manufacturer: mfr === undefined ? undefined : (options.manufacturer ?? 0x0590),
      manufacturerData: mfr,
      intervalMs,
      connectable,
      address: this.address,
    };
    // Asleep, Espruino only stores the advert; NRF.wake() puts it on air.
    if (!this.asleep) this.goOnAir();
  }

  /** NRF.sleep(): the radio stops advertising (and keeps the advert for wake()). */
  sleep(): void {
    this.asleep = true;
    this.current = undefined;
  }

  /** NRF.wake(): advertising resumes with the last advert set. */
  wake(): void {
    if (!this.asleep) return;
    this.asleep = false;
    if (this.configured !== undefined) this.goOnAir();
  }

  /**
   * What a Puck.js sends from power-on until the firmware changes it: its name,
   * connectable, at Espruino's default 375 ms. Static bytes: firmware must replace it.
   */
  bootAdvert(): void {
    this.advertise({}, {});
  }

  private goOnAir(): void {
    this.current = { ...this.configured!, atMs: this.clock.now(), address: this.address };
    this.history.push(this.current);
  }

  /** NRF.setAddress("aa:bb:cc:dd:ee:ff random"). */
  setAddress(address: string): void {
    const match = /^([0-9a-f]{2})(:[0-9a-f]{2}){5}( (public|random))?$/i.exec(address);
    if (match === null) throw new Error('Invalid address: ' + address);
    // A random static address has its two top bits set (Core Vol 6, Part B, 1.3.2.1).
    if (/random/.test(address) && (parseInt(match[1]!, 16) & 0xc0) !== 0xc0) {
      throw new Error('Got BLE error 0x3202 INVALID_BLE_ADDR: ' + address);
    }
    this.address = address.toLowerCase().includes(' ')
      ? address.toLowerCase()
      : address.toLowerCase() + ' public';
    // DESIGN.md: Puck.js has no address privacy of its own; setAddress restarts the radio.
    this.restarts++;
    if (this.current !== undefined)
      this.current = { ...this.current, address: this.address };
  }

  /** NRF.setScan(callback, options) starts, NRF.setScan() stops. */
  setScan(
    callback?: unknown,
    options?: { filters?: { manufacturerData?: object }[] },
  ): void {
    if (typeof callback !== 'function') {
      this.scanCallback = undefined;
      return;
    }
    this.scanCallback = callback as (device: unknown) => void;
    const filters = options?.filters;
    this.scanManufacturers = filters
      ?.filter((filter) => filter.manufacturerData !== undefined)
      .flatMap((filter) => Object.keys(filter.manufacturerData!).map(Number));
  }

  get scanning(): boolean {
    return this.scanCallback !== undefined;
  }

  /** Test handle: an advert heard by the radio. False when not scanning or filtered out. */
  deliver(result: ScanResult): boolean {
    const callback = this.scanCallback;
    if (callback === undefined) return false;
    const wanted = this.scanManufacturers;
    if (
      wanted !== undefined &&
      wanted.length > 0 &&
      !wanted.includes(result.manufacturer)
    ) {
      return false;
    }
    const mfr = result.manufacturerData;
    const raw = Uint8Array.from([
      mfr.length + 3,
      0xff,
      result.manufacturer & 0xff,
      result.manufacturer >> 8,
      ...mfr,
    ]);
    // Espruino's BluetoothDevice: data is the raw advert, manufacturerData an ArrayBuffer.
    const device = {
      id: result.id ?? 'c0:00:00:00:00:02 random',
      rssi: result.rssi ?? -60,
      data: this.toContextBuffer(raw),
      manufacturer: result.manufacturer,
      manufacturerData: this.toContextBuffer(mfr),
    };
    try {
      callback(device);
    } catch (error) {
      this.onCallbackError(error);
    }
    return true;
  }

  on(event: string, listener: (...args: unknown[]) => void): void {
    (this.listeners[event] ??= []).push(listener);
  }

  powerCut(): void {
    this.current = undefined;
    this.scanCallback = undefined;
    this.listeners = {};
    this.address = Radio.factoryAddress;
    this.configured = undefined;
    this.asleep = false;
  }
}
