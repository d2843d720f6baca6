// monitor through the real binary: console text and link frames from a pty, decoded.
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { autoDetect } from '@serialport/bindings-cpp';
import { openRegistry } from '@urgence/broker';
import { openPtyPair } from '@urgence/firmware/sim';
import { LinkKind, MessageType, encodeLinkFrame, sealMessage } from '@urgence/protocol';
import { ExitCode } from '../exit-codes';
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

test.run();
