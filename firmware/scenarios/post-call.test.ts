// The post's intercom call state on the BUILT bundle: a press closes the relay, the SIP
// module answers on its call line, and the gateway hears the state in a Heartbeat (key 10,
// inCall) at once, not a minute later.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageType } from '@urgence/protocol';
import type { DeviceMessage } from '@urgence/protocol';
import { esp32Post } from '@urgence/hardware';
import { postDefaults } from '../src/config/defaults';
import { PostBench, bundleOf } from './harness';

const p = { id: '0000002a', key: new Uint8Array(32).fill(0x5a) };
const pins = esp32Post.pins;
let bundle = '';

test.before(async () => {
  bundle = await bundleOf('post');
});

const inCallOf = (m: DeviceMessage): boolean | undefined =>
  (m as { inCall?: boolean }).inCall;

/** The SIP module's call line: active while a call is in progress. */
function callLine(b: PostBench, inCall: boolean): void {
  const line = pins.intercomActive;
  b.sim.pins.input(line.pin, inCall === line.activeHigh ? 1 : 0);
}

test('every heartbeat of a post says whether its intercom is in a call', () => {
  const b = new PostBench(bundle, p).powerOn();
  b.sim.advance(1000);
  assert.equal(b.ofType(MessageType.Heartbeat).map(inCallOf), [false]);
});

test('alarm, relay, call starts then ends: each change is on the link within a poll', () => {
  const b = new PostBench(bundle, p).powerOn();
  b.sim.advance(1000);
  b.sim.hold(200);
  b.sim.advance(postDefaults.intercomPulseMs);
  assert.is(b.ofType(MessageType.Alarm).length, 1);
  const relay = b.sim.pins.changes(pins.intercomRelay.pin);
  assert.ok(relay.length >= 2, 'the relay was pulsed to start the call');

  const heartbeats = b.ofType(MessageType.Heartbeat).length;
  callLine(b, true);
  b.sim.advance(postDefaults.sensePollMs + 500);
  const started = b.ofType(MessageType.Heartbeat).slice(heartbeats);
  assert.equal(started.map(inCallOf), [true], 'one heartbeat, well before the minute');

  callLine(b, false);
  b.sim.advance(postDefaults.sensePollMs + 500);
  const all = b.ofType(MessageType.Heartbeat);
  assert.equal(all.slice(heartbeats).map(inCallOf), [true, false]);
  assert.equal(b.sim.uncaught, []);
});

test.run();
