import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRig } from '../../rig/rigFile';
import { openPtyPair, type PtyPair } from '../../serial/ptyPair';
import { resolvePort, SerialLine } from '../../serial/serialLine';
import { openBench, type BenchDevices } from './benchDriver';
import { lcusCommand } from './relay';
import { simulateFingerBoard, simulateLcusRelay, Wires } from './simulatedInstruments';

interface Bench {
  pairs: PtyPair[];
  far: SerialLine[];
  wires: Wires;
  relay: ReturnType<typeof simulateLcusRelay>;
  console: SerialLine;
  bench: BenchDevices;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.unreachable(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One post on a bench whose finger board, relay and console are simulated on ptys. */
async function openSimulatedBench(): Promise<Bench> {
  const pairs = [await openPtyPair(), await openPtyPair(), await openPtyPair()];
  const [fingerPty, relayPty, consolePty] = pairs as [PtyPair, PtyPair, PtyPair];
  const far = await Promise.all(pairs.map((pair) => SerialLine.open(pair.b, 9600)));
  const wires = new Wires();
  wires.pulls.set('B3', 1); // the post's button line has a pull-up: idle high
  simulateFingerBoard(far[0]!, wires);
  const relay = simulateLcusRelay(far[1]!);
  const rig = parseRig({
    name: 'simulated',
    driver: 'bench',
    fingers: { pico: { port: fingerPty.a } },
    relays: { lcus: { port: relayPty.a, protocol: 'lcus', channels: 4 } },
    places: {
      'post-1': {
        kind: 'post',
        deviceId: '00000a01',
        console: { port: consolePty.a },
        link: { port: '/dev/null' },
        power: { relay: 'lcus', channel: 2 },
        button: { finger: 'pico', pin: 'B3', activeHigh: false },
        tamper: { finger: 'pico', pin: 'B4' },
        leds: {
          calling: { finger: 'pico', pin: 'A5' },
          received: { finger: 'pico', pin: 'A6' },
        },
      },
    },
  });
  const bench = await openBench(rig);
  return { pairs, far, wires, relay, console: far[2]!, bench };
}

async function closeBench(rig: Bench) {
  await rig.bench.close();
  await Promise.all(rig.far.map((line) => line.close()));
  await Promise.all(rig.pairs.map((pair) => pair.close()));
}

test('a press pulls an active-low button line down and a release lets it float back', async () => {
  const rig = await openSimulatedBench();
  try {
    const post = rig.bench.devices[0]!;
    await post.press();
    assert.is(rig.wires.levelAtDevice('B3'), 0);
    await post.release();
    assert.is(rig.wires.fingerModes.get('B3'), 'input');
    assert.is(rig.wires.levelAtDevice('B3'), 1);
  } finally {
    await closeBench(rig);
  }
});

test('outputs report each sensed LED line by its name', async () => {
  const rig = await openSimulatedBench();
  try {
    rig.wires.deviceLevels.set('A5', 1);
    rig.wires.deviceLevels.set('A6', 0);
    assert.equal(await rig.bench.devices[0]!.outputs(), {
      calling: true,
      received: false,
    });
  } finally {
    await closeBench(rig);
  }
});

test('opening the door drives the tamper line to its active level', async () => {
  const rig = await openSimulatedBench();
  try {
    await rig.bench.devices[0]!.setTamper(true);
    assert.is(rig.wires.levelAtDevice('B4'), 1);
    await rig.bench.devices[0]!.setTamper(false);
    assert.is(rig.wires.levelAtDevice('B4'), 0);
  } finally {
    await closeBench(rig);
  }
});

test('opening the bench closes each place power channel, as the relay wakes open', async () => {
  const rig = await openSimulatedBench();
  try {
    await until(() => rig.relay.contacts.get(2) === true, 'the relay to close channel 2');
    assert.is(rig.bench.devices[0]!.powered, true);
  } finally {
    await closeBench(rig);
  }
});

test('a power cut opens the place relay channel and a restore closes it', async () => {
  const rig = await openSimulatedBench();
  try {
    const post = rig.bench.devices[0]!;
    await post.powerCut();
    await until(() => rig.relay.contacts.get(2) === false, 'the relay to open channel 2');
    assert.is(post.powered, false);
    await post.powerRestore();
    await until(() => rig.relay.contacts.get(2) === true, 'the relay to close channel 2');
    assert.is(post.powered, true);
    assert.is(rig.relay.rejected, 0);
  } finally {
    await closeBench(rig);
  }
});

test('lines the device prints on its console are collected', async () => {
  const rig = await openSimulatedBench();
  try {
    await rig.console.write('urgence 0.1 post 00000a01\r\n{"kind":"post"}\r\n');
    const post = rig.bench.devices[0]!;
    await until(() => post.consoleLines().length === 2, 'two console lines');
    assert.equal(post.consoleLines(), ['urgence 0.1 post 00000a01', '{"kind":"post"}']);
  } finally {
    await closeBench(rig);
  }
});

test('a place without a link relay says how to wire one when asked to cut its link', async () => {
  const rig = await openSimulatedBench();
  try {
    await rig.bench.devices[0]!.linkCut().then(
      () => assert.unreachable('the link cut was accepted'),
      (error: Error) =>
        assert.match(error.message, /post-1 cannot cut its link: wire "linkRelay"/),
    );
  } finally {
    await closeBench(rig);
  }
});

test('LCUS commands carry the channel, the state and the byte sum', () => {
  assert.equal([...lcusCommand(1, true)], [0xa0, 0x01, 0x01, 0xa2]);
  assert.equal([...lcusCommand(2, false)], [0xa0, 0x02, 0x00, 0xa2]);
});

test('a USB serial number resolves to the port that reports it', async () => {
  const list = async () => [
    { path: '/dev/ttyACM0', serialNumber: 'X1' },
    { path: '/dev/ttyUSB0', serialNumber: 'A50285BI' },
  ];
  const lister = list as unknown as Parameters<typeof resolvePort>[1];
  assert.is(
    await resolvePort({ usbSerial: 'A50285BI', baud: 9600 }, lister),
    '/dev/ttyUSB0',
  );
  await resolvePort({ usbSerial: 'nope', baud: 9600 }, lister).then(
    () => assert.unreachable('an absent serial number resolved'),
    (error: Error) =>
      assert.match(error.message, /no serial port has USB serial number nope/),
  );
});

test('a finger board that never answers fails the bench start with its name', async () => {
  const silent = await openPtyPair();
  try {
    const rig = parseRig({
      name: 'silent',
      driver: 'bench',
      fingers: { pico: { port: silent.a } },
      places: {
        w: { kind: 'wearable', deviceId: '00000b01', console: { port: silent.b } },
      },
    });
    await openBench(rig).then(
      () => assert.unreachable('the bench opened'),
      (error: Error) => assert.match(error.message, /finger board pico did not answer/),
    );
  } finally {
    await silent.close();
  }
});

test.run();
