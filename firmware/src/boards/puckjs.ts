// The wearable's HAL on Espruino PUCKJS: LEDs, button, battery, and the radio used only for
// our own frames — Espruino's default advert (its name) is switched off by NRF.sleep().
import { COMPANY_ID } from '@urgence/protocol';
import { puckjsPins } from '@urgence/hardware';
import type { WearableHal, WearableLamp } from '../hal';
import { EspruinoDevice } from './espruino-device';

export class PuckjsBoard extends EspruinoDevice implements WearableHal {
  private scanning = false;

  constructor(private readonly debounceMs: number) {
    super();
  }

  watchButton(onEdge: (pressed: boolean) => void): void {
    setWatch(
      (event) => onEdge(event.state === puckjsPins.button.activeHigh),
      puckjsPins.button.pin,
      {
        repeat: true,
        edge: 'both',
        debounce: this.debounceMs,
      },
    );
  }

  batteryVolts(): number {
    return NRF.getBattery();
  }

  lamp(which: WearableLamp, on: boolean): void {
    const line =
      which === 'red'
        ? puckjsPins.ledRed
        : which === 'green'
          ? puckjsPins.ledGreen
          : puckjsPins.ledBlue;
    digitalWrite(line.pin, on === line.activeHigh);
  }

  /** The Puck.js has no motor (hardware/boards/puckjs.ts): feedback stays on the LEDs. */
  vibrate(_ms: number): void {}

  advertise(manufacturerData: Uint8Array, intervalMs: number): void {
    const data: number[] = [];
    for (let i = 0; i < manufacturerData.length; i++) data.push(manufacturerData[i]);
    NRF.setAdvertising(
      {},
      {
        manufacturer: COMPANY_ID,
        manufacturerData: data,
        interval: intervalMs,
        connectable: false,
        scannable: false,
        showName: false,
        discoverable: false,
      },
    );
    NRF.wake();
  }

  stopAdvertising(): void {
    // Asleep, the radio sends nothing at all (not even Espruino's named advert).
    NRF.sleep();
  }

  useAddress(address: Uint8Array): void {
    let text = '';
    for (let i = 0; i < address.length; i++)
      // + 256 then drop the leading 1: two hex digits, a leading zero kept.
      text += (i > 0 ? ':' : '') + (address[i] + 256).toString(16).slice(1);
    NRF.setAddress(text + ' random');
  }

  startScan(onAdvert: (manufacturerData: Uint8Array) => void): void {
    this.scanning = true;
    // Filtered by Espruino before any JavaScript runs: a street full of adverts would
    // otherwise wake the interpreter for each one. Built by assignment (no computed key).
    const ours: Record<number, object> = {};
    ours[COMPANY_ID] = {};
    NRF.setScan(
      (device) => {
        const data = device.manufacturerData;
        if (device.manufacturer !== COMPANY_ID || data === undefined) return;
        onAdvert(new Uint8Array(data));
      },
      { filters: [{ manufacturerData: ours }] },
    );
  }

  stopScan(): void {
    if (!this.scanning) return;
    this.scanning = false;
    NRF.setScan();
  }
}
