// Shape of a board definition: the pins and published figures the firmware build and the
// power budget read. Pin names are Espruino's ("D27"): its pin functions accept the name.

/** A digital line and the level that means "active" on it. */
export interface DigitalLine {
  pin: string;
  /** true when the line reads/drives high for the active state. */
  activeHigh: boolean;
  /** Espruino pinMode for inputs ('input_pullup' needs a pin with an internal pull-up). */
  mode?: 'input' | 'input_pullup' | 'input_pulldown' | 'output';
}

/** An analog input through a resistor divider: volts at the source = reading * ratio. */
export interface AnalogSense {
  pin: string;
  /** Source volts per volt at the pin (divider ratio); 1 when wired directly. */
  dividerRatio: number;
  /** Full-scale volts of analogRead() = 1.0 at the pin. */
  fullScaleVolts: number;
}

/** Current figures from datasheets, in amperes, with the document they come from. */
export interface PublishedCurrent {
  amps: number;
  source: string;
}

export interface SerialPort {
  /** Espruino serial object name ("Serial2"). */
  port: string;
  tx: string;
  rx: string;
  baud: number;
}
