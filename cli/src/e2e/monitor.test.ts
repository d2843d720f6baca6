// monitor through the real binary: console text and link frames from a pty, decoded; and
// a tap on the gateway line of a simulated post running the built bundle, bytes and all.
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { autoDetect } from '@serialport/bindings-cpp';
import { openRegistry } from '@urgence/broker';
import { postDefaults } from '@urgence/firmware';
import { openPtyPair } from '@urgence/firmware/sim';
import { LinkKind, MessageType, encodeLinkFrame, sealMessage } from '@urgence/protocol';
import { ExitCode } from '../exit-codes';
import { builtBundle } from '../test-support/built-firmware';
import { Bench, runCli } from '../test-support/run-cli';

const sha256 = (bytes: Uint8Array): Uint8Array =>
  createHash('sha256').update(bytes).digest();

test('console lines and link frames are shown decoded, with the tag checked', async () => {
  const bench = await Bench.create();
  const pty = await openPtyPair();
  const key = randomBytes(32);
  const registry = openRegistry(bench.registry);
  registry.addDevice({ id: '0000002a', kind: 'post', key });
  registry.close();
  const wire = await autoDetect().open({ path: pty.paths[0], baudRate: 115200 });
  try {
    const alarm = sealMessage(sha256, '0000002a', key, {
      type: MessageType.Alarm,
      counter: 17,
    });
    const forged = sealMessage(sha256, '0000002a', randomBytes(32), {
      type: MessageType.Alarm,
      counter: 18,
    });
    let sent = false;
    const run = await runCli(
      ['monitor', pty.paths[1], '--count', '3', '--json', '--registry', bench.registry],
      {
        onStdout: (stdout) => {
          if (sent || !stdout.includes('listening')) return;
          sent = true;
          const bytes = Buffer.concat([
            Buffer.from('boot ok\r\n'),
            encodeLinkFrame(LinkKind.Data, 4, alarm),
            encodeLinkFrame(LinkKind.Ack, 4, new Uint8Array(0)),
            encodeLinkFrame(LinkKind.Data, 5, forged),
          ]);
          void wire.write(bytes);
        },
      },
    );
    assert.is(run.code, ExitCode.Ok, run.stderr);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(
      events.slice(1).map((event) => event.console ?? event.frame),
      [
        'boot ok',
        'link data seq 4: alarm from 0000002a counter 17, tag ok',
        'link ack seq 4',
        'link data seq 5: alarm from 0000002a counter 18, TAG DOES NOT VERIFY',
      ],
    );
  } finally {
    await wire.close();
    await pty.close();
    await bench.close();
  }
});

test('--raw shows the exact bytes the built post bundle sends on its line, beside the decoded frame', async () => {
  const bench = await Bench.create();
  const key = randomBytes(32);
  const registry = openRegistry(bench.registry);
  registry.addDevice({ id: '0000e1e1', kind: 'post', key });
  registry.close();
  try {
    const post = await bench.device({
      board: 'post',
      files: {
        '.bootcde': await builtBundle('post'),
        'urgence.json': JSON.stringify({
          id: '0000e1e1',
          kind: 'post',
          key: key.toString('hex'),
        }),
      },
    });
    const tap = await post.attachGatewayLink();
    const sent: number[] = [];
    post.sim.uart('Serial2').onWire((bytes) => sent.push(...bytes));
    let retransmitted = false;
    const run = await runCli(
      ['monitor', tap, '--raw', '--count', '1', '--registry', bench.registry],
      {
        onStdout: (stdout) => {
          if (retransmitted || !stdout.includes('monitoring')) return;
          retransmitted = true;
          // The post sent its first heartbeat at boot, before the tap was on the line; with
          // no gateway to ack it, it sends it again once the link's ack timeout passes. The
          // simulator's clock moves only here, so exactly one frame goes by.
          post.sim.advance(postDefaults.linkAckTimeoutMs);
        },
      },
    );
    assert.is(run.code, ExitCode.Ok, run.stdout + run.stderr);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => line.slice(13));
    const rawHex = lines
      .filter((line) => line.startsWith('raw '))
      .map((line) => line.slice(4).trim().replace(/ /g, ''))
      .join('');
    assert.is(
      rawHex,
      Buffer.from(sent).toString('hex'),
      'every byte the post wrote, as written',
    );
    assert.ok(sent.length > 0);
    const frames = lines.filter((line) => line.startsWith('frame '));
    assert.equal(frames.length, 1, run.stdout);
    assert.match(
      frames[0] ?? '',
      /^frame +link data seq \d+: heartbeat from 0000e1e1 counter \d+.*, tag ok$/,
    );
  } finally {
    await bench.close();
  }
});

test.run();
