import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PostRoutes, ROUTES_FILE } from './routes';

const log = pino({ level: 'silent' });
let dir: string;

test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'urgence-routes-'));
});

test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('a route learnt is there for the next run, without any orderly shutdown', async () => {
  const first = await PostRoutes.open(dir, log);
  first.learn('0000002a', '/dev/urgence-post-1');
  await first.flushed();

  const next = await PostRoutes.open(dir, log);
  assert.is(next.portOf('0000002a'), '/dev/urgence-post-1');
});

test('a post moved to another port is saved under its new port', async () => {
  const routes = await PostRoutes.open(dir, log);
  routes.learn('0000002a', '/dev/urgence-post-1');
  routes.learn('0000002a', '/dev/urgence-post-2');
  await routes.flushed();

  assert.is((await PostRoutes.open(dir, log)).portOf('0000002a'), '/dev/urgence-post-2');
});

test('hearing a post on the port it is known on writes nothing', async () => {
  const routes = await PostRoutes.open(dir, log);
  assert.ok(routes.learn('0000002a', '/dev/a'));
  await routes.flushed();
  assert.not.ok(routes.learn('0000002a', '/dev/a'));
});

test('the file is replaced whole: no temporary file is left behind', async () => {
  const routes = await PostRoutes.open(dir, log);
  for (let i = 0; i < 20; i++)
    routes.learn(`000000${i.toString(16).padStart(2, '0')}`, '/dev/a');
  await routes.flushed();
  assert.equal(readdirSync(dir), [ROUTES_FILE]);
  assert.is((await PostRoutes.open(dir, log)).size, 20);
});

test('an unreadable routes file starts the gateway with no routes instead of failing', async () => {
  writeFileSync(join(dir, ROUTES_FILE), '{"0000002a": "/dev/a"'); // torn by hand
  const routes = await PostRoutes.open(dir, log);
  assert.is(routes.size, 0);
  routes.learn('0000002a', '/dev/b');
  await routes.flushed();
  assert.ok(existsSync(join(dir, ROUTES_FILE)));
  assert.is((await PostRoutes.open(dir, log)).portOf('0000002a'), '/dev/b');
});

test.run();
