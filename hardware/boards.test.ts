import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { esp32Post, puckjs } from './index';
import type { DigitalLine } from './index';
import { wearableBudget } from './power-budget';

const postLines = Object.values(esp32Post.pins) as DigitalLine[];

test('no two post signals share a pin', () => {
  const used = [
    ...postLines.map((l) => l.pin),
    esp32Post.battery.pin,
    esp32Post.gatewayUart.tx,
    esp32Post.gatewayUart.rx,
  ];
  assert.is(new Set(used).size, used.length);
});

test('the post avoids the ESP32 flash pins and boot straps', () => {
  const forbidden = ['D0', 'D2', 'D6', 'D7', 'D8', 'D9', 'D10', 'D11', 'D12', 'D15'];
  for (const line of postLines) assert.not.ok(forbidden.includes(line.pin), line.pin);
});

test('input-only ESP32 pins (34-39) are used only as inputs, without internal pull-ups', () => {
  for (const line of postLines) {
    const gpio = Number(line.pin.slice(1));
    if (gpio >= 34) assert.is(line.mode, 'input', line.pin);
  }
});

test('the battery is sensed on ADC1 (GPIO 32-39), usable while a radio is on', () => {
  const gpio = Number(esp32Post.battery.pin.slice(1));
  assert.ok(gpio >= 32 && gpio <= 39);
});

test('13.8 V float charge stays inside the ADC range after the divider', () => {
  const atPin = 13.8 / esp32Post.battery.dividerRatio;
  assert.ok(atPin < esp32Post.battery.fullScaleVolts, `${atPin} V at the pin`);
});

/** The BOM row of one part reference on the post board. */
function bomRow(ref: string): Record<string, string> {
  const [header, ...rows] = readFileSync(new URL('./bom.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  const row = rows.find((cells) => cells[0] === 'esp32-post' && cells[1] === ref);
  assert.ok(row, `${ref} is in bom.csv`);
  return Object.fromEntries(header!.map((name, i) => [name, row[i]!]));
}

test('the intercom relay in the BOM has the coil voltage of the board figures', () => {
  const coil = esp32Post.intercomRelayCoil;
  assert.is(bomRow('K1').part_number, `G5V-1-DC${coil.coilVolts}`);
});

test('the relay closes on an emptied battery and survives the float charge', () => {
  const coil = esp32Post.intercomRelayCoil;
  const rails = esp32Post.rails;
  assert.ok(rails.supplyEmptyVolts >= coil.coilVolts * coil.mustOperateShare, 'operates');
  assert.ok(
    rails.supplyFloatVolts <= coil.coilVolts * coil.maxShare,
    'within its maximum',
  );
});

test('the relay driver saturates: base current at least a tenth of the coil current', () => {
  const coil = esp32Post.intercomRelayCoil;
  const rails = esp32Post.rails;
  const baseAmps = (rails.logicVolts - coil.baseEmitterVolts) / coil.baseOhms;
  const coilAmps = rails.supplyFloatVolts / coil.coilOhms;
  assert.ok(baseAmps >= coilAmps / 10, `${baseAmps * 1000} mA for ${coilAmps * 1000} mA`);
});

test('the Puck.js has no vibration motor and its button is D0', () => {
  assert.is(puckjs.vibration, undefined);
  assert.is(puckjs.pins.button.pin, 'D0');
});

test('the wearable lasts at least 3 years on a CR2032 with its stated alarms', () => {
  assert.ok(wearableBudget.years >= 3, `${wearableBudget.years.toFixed(2)} years`);
  assert.ok(wearableBudget.alarmsPerYear > 0);
});

test('the low-battery warning leaves at least 28 days', () => {
  assert.ok(
    wearableBudget.daysAfterLow >= 28,
    `${wearableBudget.daysAfterLow.toFixed(0)} days`,
  );
});

test.run();
