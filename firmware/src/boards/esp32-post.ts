// The post's HAL on Espruino ESP32: lamps, strobe, tamper, mains, battery divider, intercom
// relay and the RS-485 link on Serial2, with the pins from @urgence/hardware.
import { asciiBytes } from '@urgence/protocol';
import { esp32PostBattery, esp32PostPins, esp32PostUart } from '@urgence/hardware';
import type { DigitalLine } from '@urgence/hardware';
import type { PostHal, PostLamp, TimerHandle } from '../hal';
import { EspruinoDevice } from './espruino-device';

const pins = esp32PostPins;
/** Serial bits per byte (start + 8 + stop) at the link's baud rate, for the RS-485 turn. */
const BITS_PER_BYTE = 10;

function active(line: DigitalLine): boolean {
  return (digitalRead(line.pin) === 1) === line.activeHigh;
}

function drive(line: DigitalLine, on: boolean): void {
  digitalWrite(line.pin, on === line.activeHigh);
}

export class Esp32PostBoard extends EspruinoDevice implements PostHal {
  private driverOffTimer: TimerHandle | undefined = undefined;
  private relayOpenTimer: TimerHandle | undefined = undefined;

  constructor(private readonly debounceMs: number) {
    super();
    const lines: DigitalLine[] = [
      pins.button,
      pins.ledCalling,
      pins.ledReceived,
      pins.strobe,
      pins.tamper,
      pins.mainsOk,
      pins.intercomRelay,
      pins.intercomActive,
      pins.rs485DriverEnable,
    ];
    for (const line of lines)
      pinMode(line.pin, line.mode === undefined ? 'input' : line.mode);
    drive(pins.rs485DriverEnable, false);
    const uart = esp32PostUart;
    Serial2.setup(uart.baud, { tx: uart.tx, rx: uart.rx });
  }

  watchButton(onEdge: (pressed: boolean) => void): void {
    const activeHigh = pins.button.activeHigh;
    setWatch((event) => onEdge(event.state === activeHigh), pins.button.pin, {
      repeat: true,
      edge: 'both',
      debounce: this.debounceMs,
    });
  }

  buttonPressed(): boolean {
    return active(pins.button);
  }

  batteryVolts(): number {
    const sense = esp32PostBattery;
    return analogRead(sense.pin) * sense.fullScaleVolts * sense.dividerRatio;
  }

  lamp(which: PostLamp, on: boolean): void {
    if (which === 'calling') drive(pins.ledCalling, on);
    else if (which === 'received') drive(pins.ledReceived, on);
    else drive(pins.strobe, on);
  }

  tamperOpen(): boolean {
    return active(pins.tamper);
  }

  mainsPresent(): boolean {
    return active(pins.mainsOk);
  }

  intercomDial(ms: number): void {
    // Not digitalPulse: on ESP32 Espruino times pulses with the RMT peripheral, 1 us ticks
    // in a 15-bit field, so 500 ms would come out as 8.5 ms. Long pulses want a timer.
    // A dial during a pulse restarts it: the relay opens ms after the last one.
    drive(pins.intercomRelay, true);
    this.cancel(this.relayOpenTimer);
    this.relayOpenTimer = this.after(ms, () => {
      this.relayOpenTimer = undefined;
      drive(pins.intercomRelay, false);
    });
  }

  intercomInCall(): boolean {
    return active(pins.intercomActive);
  }

  linkWrite(bytes: Uint8Array): void {
    // Half-duplex RS-485: drive the bus for as long as the UART needs to shift the bytes
    // out, plus 2 ms. Known weakness: Espruino gives no "transmit complete" event, so this
    // is timed from the baud rate; a busy interpreter may hold the bus a little longer.
    drive(pins.rs485DriverEnable, true);
    Serial2.write(bytes);
    const ms = Math.ceil((bytes.length * BITS_PER_BYTE * 1000) / esp32PostUart.baud) + 2;
    this.cancel(this.driverOffTimer);
    this.driverOffTimer = this.after(ms, () => {
      this.driverOffTimer = undefined;
      drive(pins.rs485DriverEnable, false);
    });
  }

  onLinkData(receive: (bytes: Uint8Array) => void): void {
    // A 'data' event is a string of 8-bit characters: its codes are the bytes.
    Serial2.on('data', (text) => receive(asciiBytes(text)));
  }
}
