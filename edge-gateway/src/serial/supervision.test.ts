import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';
import { PostSupervisor } from './supervision';
import type { PostSilence } from './supervision';

let clock: FakeClock;
let reports: PostSilence[];
let supervisor: PostSupervisor;

test.before.each(() => {
  clock = fakeClock(0);
  reports = [];
  supervisor = new PostSupervisor({
    clock,
    heartbeatIntervalMs: 60_000,
    missedBeforeFault: 3,
    report: (silence) => reports.push(silence),
  });
});

test.after.each(() => {
  supervisor.stop();
  clock.restore();
});

test('a post heard within three intervals raises nothing', () => {
  supervisor.heard('0000002a', '/dev/ttyUSB0');
  clock.tick(170_000);
  supervisor.heard('0000002a', '/dev/ttyUSB0');
  clock.tick(170_000);
  assert.equal(reports, []);
});

test('a post silent for three intervals is reported once, with its port', () => {
  supervisor.heard('0000002a', '/dev/ttyUSB0');
  clock.tick(180_000 + 15_000);
  clock.tick(600_000);
  assert.equal(reports, [
    { event: 'post-silent', device: '0000002a', port: '/dev/ttyUSB0', lastHeard: 0 },
  ]);
});

test('a silent post heard again is reported back', () => {
  supervisor.heard('0000002a', '/dev/ttyUSB0');
  clock.tick(200_000);
  supervisor.heard('0000002a', '/dev/ttyUSB0');
  assert.equal(
    reports.map((r) => r.event),
    ['post-silent', 'post-back'],
  );
});

test('a post known from before a restart is reported silent one deadline after start', () => {
  clock.tick(5_000); // the gateway starts at 5 s
  supervisor.expect('0000002a', '/dev/ttyUSB0');
  clock.tick(170_000);
  assert.equal(reports, [], 'not before its deadline, counted from start-up');
  clock.tick(30_000);
  assert.equal(reports, [
    { event: 'post-silent', device: '0000002a', port: '/dev/ttyUSB0', lastHeard: 5_000 },
  ]);
});

test('expecting a post already heard since start changes nothing', () => {
  supervisor.heard('0000002a', '/dev/ttyUSB1');
  clock.tick(100_000);
  supervisor.expect('0000002a', '/dev/ttyUSB0');
  clock.tick(95_000);
  assert.equal(reports, [
    { event: 'post-silent', device: '0000002a', port: '/dev/ttyUSB1', lastHeard: 0 },
  ]);
});

test.run();
