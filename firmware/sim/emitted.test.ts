// The simulator runs what esbuild emits for a device, not the TypeScript.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bundleDevice } from '../build/bundle';
import { fixtureDevice } from '../build/devices';
import { SimDevice } from './device';

test('an emitted fixture bundle boots from .bootcde and keeps working after a power cut', async () => {
  const bundle = await bundleDevice(fixtureDevice('post', 16 * 1024));
  const sim = new SimDevice();
  sim.journal.write('.bootcde', new TextEncoder().encode(bundle.code));
  sim.powerOn();
  assert.is(sim.evaluate('fixture.presses(0) + fixture.presses(100)'), 3);
  sim.powerCut();
  sim.powerOn();
  assert.is(sim.evaluate('fixture.presses(0)'), 1);
  assert.equal(sim.uncaught, []);
});

test.run();
