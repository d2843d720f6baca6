import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageType } from '@urgence/protocol';
import { ClockWatch } from './clock-watch';
import { World, postFrame, uplink } from '../ingest/test/world';

test('an open incident is republished once when its clock turns at risk', async () => {
  const world = new World();
  try {
    await world.ingest.onUplink(
      'gw-a',
      uplink(postFrame({ type: MessageType.Alarm, counter: 1 })),
    );
    const core = world.ingest.core;
    const watch = new ClockWatch(core.stores.incidents, core.feed, core.clock);
    const changes = () =>
      world.json<{ change: string; atRisk: boolean }>('urgence/v1/feed/changes');
    await watch.check();
    assert.equal(
      changes().map((line) => line.change),
      ['created'],
    );
    world.now += 181_000;
    await watch.check();
    await watch.check();
    assert.equal(
      changes().map((line) => [line.change, line.atRisk]),
      [
        ['created', false],
        ['at-risk', true],
      ],
    );
  } finally {
    world.close();
  }
});

test.run();
