// Battery life of the wearable (Puck.js on a CR2032), computed from the firmware's own
// advertising defaults and the nRF52832's published currents. Run: npx tsx hardware/power-budget.ts
// Prints every assumption; exits 1 if standby life < 3 years or low battery leaves < 28 days.
import { fileURLToPath } from 'node:url';
import { wearableDefaults } from '@urgence/firmware';
import { puckjs } from './index';

const HOURS_PER_YEAR = 8766;
const c = puckjs.currents;
const t = puckjs.timings;

/** Alarms (real or test) a wearer raises per year: a monthly test plus some real ones. */
const ALARMS_PER_YEAR = 24;
/** Usable share of the nominal capacity: pulse loads, cold, and ageing (derating). */
const DERATING = 0.8;
/** Lithium manganese dioxide cells lose about 1 % of capacity per year on the shelf. */
const SELF_DISCHARGE_PER_YEAR = 0.01;
/** Every advert is the full legacy PDU: 1 preamble + 4 access address + 2 header
 * + 6 AdvA + 31 AdvData + 3 CRC = 47 bytes, sent on the 3 advertising channels. */
const ADVERT_BYTES = 47;
const ADVERT_CHANNELS = 3;
/** Watchdog kicks and housekeeping wake the CPU for about 1 ms each. */
const WAKE_SECONDS = 1e-3;
/** The red LED blinks 1 s on, 1 s off through the alarm (logic/wearable-alarm.ts). */
const LED_DUTY = 0.5;

/** Charge in coulombs of one advertising event (three channels plus CPU and clock). */
function advertEventCoulombs(): number {
  const airSeconds = (ADVERT_BYTES * 8) / t.bitsPerSecond;
  const radio =
    ADVERT_CHANNELS * (t.radioRampUpSeconds + airSeconds) * c.radioTx0dBm.amps;
  const cpu = t.cpuPerAdvertSeconds * (c.cpuFlash.amps + c.hfxo.amps);
  return radio + cpu;
}

function mAh(coulombs: number): number {
  return (coulombs / 3600) * 1000;
}

const d = wearableDefaults;
const perAdvert = advertEventCoulombs();

// Standby: radio off, SoC asleep with its RTC running; the board figure already includes
// the SoC, so the larger of the two counts. Plus the wake-ups that kick the watchdog.
const wakeAmps =
  (WAKE_SECONDS * (c.cpuFlash.amps + c.hfxo.amps)) / (d.watchdogKickMs / 1000);
const sleepAmps = Math.max(c.systemOnRtc.amps, c.boardIdle.amps);
const standbyAmps = sleepAmps + wakeAmps;
const standbyPerYear = mAh(standbyAmps * HOURS_PER_YEAR * 3600);

// Supervision bursts.
const supervisionPerDay = 86400000 / d.supervisionEveryMs;
const advertsPerBurst = d.supervisionBurstMs / d.supervisionAdvertMs;
const supervisionPerYear = mAh(supervisionPerDay * 365.25 * advertsPerBurst * perAdvert);

// The wearable scans for its ack without pause while an alarm is on (NRF.setScan has no
// duty setting the firmware uses): the receiver's whole current for the whole alarm.
const ACK_SCAN_DUTY = 1;

// One alarm lasting its full time-out (worst case: nobody acknowledges), receiver on for
// the ack scan, LED blinking at half duty, plus the pre-alarm.
const fastAdverts = d.fastPhaseMs / d.fastAdvertMs;
const slowAdverts = (d.alarmTimeoutMs - d.fastPhaseMs) / d.slowAdvertMs;
const alarmSeconds = d.alarmTimeoutMs / 1000;
const alarmCoulombs =
  (fastAdverts + slowAdverts) * perAdvert +
  alarmSeconds * ACK_SCAN_DUTY * c.radioRx1M.amps +
  (alarmSeconds + d.preAlarmMs / 1000) * LED_DUTY * c.led.amps;
const alarmsPerYear = mAh(alarmCoulombs) * ALARMS_PER_YEAR;

const nominal = puckjs.battery.nominalMilliampHours;
const usable = nominal * DERATING;
const selfDischargePerYear = nominal * SELF_DISCHARGE_PER_YEAR;
const perYear =
  standbyPerYear + supervisionPerYear + alarmsPerYear + selfDischargePerYear;
const years = usable / perYear;

// Low battery: share of the capacity already delivered when the cell at rest reads the
// threshold (light-load CR2032 discharge curve, Panasonic/Energizer datasheets, rounded).
const curve: Array<[volts: number, delivered: number]> = [
  [2.9, 0.7],
  [2.8, 0.85],
  [2.7, 0.9],
  [2.6, 0.93],
  [2.5, 0.95],
  [2.3, 0.98],
  [2.0, 1.0],
];
function deliveredAt(volts: number): number {
  for (const [v, share] of curve) if (volts >= v) return share;
  return 1;
}
const leftAtLow = usable * (1 - deliveredAt(d.lowBatteryVolts));
// Worst case after the warning: twice the yearly rate (alarms bunch up when a person is
// unwell), so the margin holds even if the wearer raises several alarms in those weeks.
const daysAfterLow = (leftAtLow / (2 * perYear)) * 365.25;

/** The figures the tests check: the promises of issue 3. */
export const wearableBudget = {
  years: years,
  daysAfterLow: daysAfterLow,
  alarmsPerYear: ALARMS_PER_YEAR,
  mAhPerYear: perYear,
};

function report(): number {
  const line = (name: string, value: string) =>
    console.log(`  ${name.padEnd(44)} ${value}`);
  console.log('Wearable (Puck.js v2, nRF52832) on a CR2032 — assumptions');
  line('cell nominal capacity', `${nominal} mAh (${puckjs.battery.source})`);
  line(
    'derating (pulse load, cold, ageing)',
    `${DERATING * 100} % usable = ${usable} mAh`,
  );
  line('self-discharge', `${SELF_DISCHARGE_PER_YEAR * 100} %/year`);
  for (const [name, cur] of Object.entries(c)) {
    line(`current ${name}`, `${(cur.amps * 1e6).toFixed(1)} uA (${cur.source})`);
  }
  line(
    'advert PDU',
    `${ADVERT_BYTES} bytes x ${ADVERT_CHANNELS} channels, 1M PHY, 0 dBm`,
  );
  line('charge per advertising event', `${(perAdvert * 1e6).toFixed(2)} uC`);
  line('watchdog kick period (firmware)', `${d.watchdogKickMs} ms`);
  line(
    'supervision (firmware)',
    `every ${d.supervisionEveryMs / 3600000} h, ` +
      `${advertsPerBurst} adverts at ${d.supervisionAdvertMs} ms`,
  );
  line(
    'alarm advertising (firmware)',
    `${d.fastAdvertMs} ms for ${d.fastPhaseMs / 1000} s, ` +
      `then ${d.slowAdvertMs} ms, up to ${d.alarmTimeoutMs / 1000} s (never acked: worst case)`,
  );
  line('ack scan while alarm is on', `${ACK_SCAN_DUTY * 100} % receiver duty`);
  line('alarms per year (stated)', `${ALARMS_PER_YEAR}`);
  console.log('Consumption per year');
  line(
    'standby',
    `${standbyPerYear.toFixed(2)} mAh (${(standbyAmps * 1e6).toFixed(2)} uA)`,
  );
  line('supervision', `${supervisionPerYear.toFixed(2)} mAh`);
  line(
    `alarms (${mAh(alarmCoulombs).toFixed(3)} mAh each)`,
    `${alarmsPerYear.toFixed(2)} mAh`,
  );
  line('self-discharge', `${selfDischargePerYear.toFixed(2)} mAh`);
  line('total', `${perYear.toFixed(2)} mAh/year`);
  console.log('Result');
  line('battery life', `${years.toFixed(2)} years (need >= 3)`);
  line(
    `low-battery threshold ${d.lowBatteryVolts} V leaves`,
    `${leftAtLow.toFixed(1)} mAh = ${daysAfterLow.toFixed(0)} days at 2x rate (need >= 28)`,
  );

  // How far the board's idle figure may be off before the 3-year promise breaks.
  const spareAmps = (usable / 3 - perYear) / 1000 / HOURS_PER_YEAR;
  line('idle current margin for 3 years', `+${(spareAmps * 1e6).toFixed(2)} uA`);

  if (years < 3 || daysAfterLow < 28) {
    console.error('power budget NOT met');
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(report());
