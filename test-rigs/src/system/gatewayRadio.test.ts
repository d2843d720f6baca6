import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  FakeNobleBindings,
  parseConfig,
  type GatewayConfig,
} from '@urgence/edge-gateway';
import { radioDeps, radioFlag, radioFromArgs, type RadioIpc } from './gatewayRadio';

function gatewayConfig(bleEnabled: boolean): GatewayConfig {
  return parseConfig({
    gatewayId: 'gw-test',
    broker: { url: 'mqtt://127.0.0.1:1883', secret: 'not-used-here' },
    serial: [],
    outbox: { dir: '/tmp/not-opened' },
    ble: { enabled: bleEnabled },
  });
}

/** The rig's end of the IPC channel, recording what the gateway sends up. */
function recordingIpc() {
  const sent: Record<string, unknown>[] = [];
  let advert: ((address: string, data: Buffer, rssi: number) => void) | undefined;
  const ipc: RadioIpc = {
    send: (message) => sent.push(message),
    onAdvert: (listener) => {
      advert = listener;
    },
  };
  return { ipc, sent, hear: (...args: [string, Buffer, number]) => advert?.(...args) };
}

test('the flag System passes names the radio the gateway process reads back', () => {
  assert.is(radioFromArgs([radioFlag('real')]), 'real');
  assert.is(radioFromArgs([radioFlag('none')]), 'none');
  assert.is(radioFromArgs([radioFlag('virtual')]), 'virtual');
  assert.is(radioFromArgs([]), 'virtual');
  assert.throws(() => radioFromArgs(['--radio=wifi']), /one of virtual, real, none/);
});

test('the virtual radio injects IPC bindings that turn an advert into a discovery', async () => {
  const { ipc, hear } = recordingIpc();
  const deps = radioDeps('virtual', gatewayConfig(false), ipc);
  assert.instance(deps.bleBindings, FakeNobleBindings);
  const discovered = new Promise<unknown[]>((resolve) =>
    (deps.bleBindings as FakeNobleBindings).once('discover', (...args) => resolve(args)),
  );
  hear('C0:11:22:33:44:55', Buffer.from('ffff0102', 'hex'), -60);
  const [id, address, , , advertisement, rssi] = await discovered;
  assert.is(id, 'c01122334455');
  assert.is(address, 'C0:11:22:33:44:55');
  assert.is(rssi, -60);
  assert.equal(
    (advertisement as { manufacturerData: Buffer }).manufacturerData.toString('hex'),
    'ffff0102',
  );
});

test('the virtual radio sends acks up the IPC channel instead of on air', async () => {
  const { ipc, sent } = recordingIpc();
  const deps = radioDeps('virtual', gatewayConfig(false), ipc);
  await deps.ackAdvertiser!.advertise(Buffer.from('ffffaa', 'hex'), 10_000);
  await deps.ackAdvertiser!.stop();
  assert.equal(sent, [
    { type: 'ack', data: 'ffffaa', durationMs: 10_000 },
    { type: 'ack-stop' },
  ]);
});

test('the real radio injects nothing, so the gateway opens noble and bleno on HCI', () => {
  const { ipc, sent } = recordingIpc();
  const deps = radioDeps('real', gatewayConfig(true), ipc);
  assert.is(deps.bleBindings, undefined);
  assert.is(deps.ackAdvertiser, undefined);
  assert.equal(sent, []);
});

test('no radio injects nothing and needs BLE off in the gateway config', () => {
  assert.equal(radioDeps('none', gatewayConfig(false), recordingIpc().ipc), {});
});

test('a radio that disagrees with the config stops the gateway with both named', () => {
  assert.throws(
    () => radioDeps('real', gatewayConfig(false), recordingIpc().ipc),
    /ble.enabled false but the radio is real/,
  );
  assert.throws(
    () => radioDeps('virtual', gatewayConfig(true), recordingIpc().ipc),
    /ble.enabled true but the radio is virtual/,
  );
});

test.run();
