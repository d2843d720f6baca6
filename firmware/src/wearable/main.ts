// Entry of the wearable bundle (Espruino PUCKJS): read provisioning, build the board and the
// alarm machine, start, and expose urgence.info() for the technicians' CLI.
import { storage } from '../boards/espruino-device';
import { PuckjsBoard } from '../boards/puckjs';
import { wearableDefaults, wearableSettingNames } from '../config/defaults';
import type { WearableConfig } from '../config/defaults';
import { readConfig } from '../logic/config';
import { createMessageCounter } from '../logic/counter';
import { createWearable } from '../logic/wearable-alarm';
import { createWearableWire } from '../logic/wearable-wire';
import { CONFIG_FILE, FIRMWARE_VERSION } from '../version';

declare const global: { urgence: { info(): void; testAlarm?: () => boolean } };

/** One JSON line on the console, what the CLI parses. */
const printJson = (fields: object): void => console.log(JSON.stringify(fields));

function start(): void {
  const stored = storage.readJSON(CONFIG_FILE, true);
  const read = readConfig<WearableConfig>(
    stored,
    'wearable',
    wearableDefaults,
    wearableSettingNames,
  );
  if (!read.ok) {
    // No machine will run to silence Espruino's named boot advert: do it here, so even a
    // badly provisioned wearable puts nothing static on air (the console stays on serial).
    NRF.sleep();
    console.log(read.error);
    global.urgence = {
      info: () => printJson({ version: FIRMWARE_VERSION, error: read.error }),
    };
    return;
  }
  const config = read.config;
  const t = config.timings;
  const board = new PuckjsBoard(t.debounceMs);
  const wire = createWearableWire(
    (m) => board.sha256(m),
    config.key,
    () => board.batteryVolts(),
  );
  const wearable = createWearable(
    board,
    t,
    wire,
    createMessageCounter(board, t.counterStep),
  );
  global.urgence = {
    // The CLI's `urgence test`: true when the TestAlarm went on air.
    testAlarm: () => wearable.testAlarm(),
    info: () => {
      const state = wearable.state();
      printJson({
        version: FIRMWARE_VERSION,
        id: config.id,
        kind: 'wearable',
        battery: Math.round(board.batteryVolts() * 100) / 100,
        storageFree: board.freeBytes(),
        counter: state.counter,
        stage: state.stage,
        lowBattery: state.lowBattery,
      });
    },
  };
  wearable.start();
}

start();
