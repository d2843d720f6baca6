// The console protocol against a virtual device on a real pty pair (socat).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError, ExitCode } from '../exit-codes';
import { openPtyPair } from '@urgence/firmware/sim';
import { startVirtualDevice, type VirtualDevice } from '../test-support/virtual-device';
import { EspruinoConsole } from './espruino-console';
import { openSerialLink } from './serial-link';
import { localCrc32, storedCrc32, uploadFile, verifyStoredFile } from './storage-upload';

async function withDevice(
  body: (device: EspruinoConsole, virtual: VirtualDevice) => Promise<void>,
  options: { corruptUploadLine?: number } = {},
): Promise<void> {
  const virtual = await startVirtualDevice(options);
  const device = new EspruinoConsole(await openSerialLink(virtual.port));
  try {
    await body(device, virtual);
  } finally {
    await device.close();
    await virtual.close();
  }
}

async function expectCliError(
  promise: Promise<unknown>,
  exitCode: number,
): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, CliError);
    assert.is((error as CliError).exitCode, exitCode);
    return error as CliError;
  }
  throw new Error(`expected a CliError with exit code ${exitCode}`);
}

test('an expression is evaluated on the device and its JSON value returned', async () => {
  await withDevice(async (device) => {
    await device.wake();
    const { value } = await device.evaluate('({a:[1,2],b:"x"})');
    assert.equal(value, { a: [1, 2], b: 'x' });
  });
});

test('lines the device prints while evaluating are returned with the value', async () => {
  await withDevice(async (device) => {
    const { value, printed } = await device.evaluate('(print("hello"),print("{}"),3)');
    assert.is(value, 3);
    assert.equal(printed, ['hello', '{}']);
  });
});

test('an exception on the device is reported with the device message', async () => {
  await withDevice(async (device) => {
    const error = await expectCliError(
      device.evaluate('nosuchthing.x'),
      ExitCode.VerifyFailed,
    );
    assert.match(error.message, /nosuchthing/);
  });
});

test('a port nobody answers makes wake fail as a silent device', async () => {
  // socat relays between two ptys; with nothing on the far end, nobody answers.
  const pty = await openPtyPair();
  const device = new EspruinoConsole(await openSerialLink(pty.paths[1]), {
    replyTimeoutMs: 600,
  });
  try {
    await expectCliError(device.wake(), ExitCode.DeviceSilent);
  } finally {
    await device.close();
    await pty.close();
  }
});

test('an uploaded file is stored byte for byte across many chunks', async () => {
  await withDevice(async (device, virtual) => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff));
    const progress: number[] = [];
    await uploadFile(device, 'test.bin', bytes, {
      chunkSize: 700,
      onProgress: (sent) => progress.push(sent),
    });
    assert.equal(virtual.file('test.bin'), bytes.toString('latin1'));
    assert.equal(progress, [700, 1400, 2100, 2800, 3000]);
    assert.is(await storedCrc32(device, 'test.bin'), localCrc32(bytes));
  });
});

test('a chunk corrupted on the way is caught by the checksum', async () => {
  await withDevice(
    async (device) => {
      const bytes = Buffer.alloc(2000, 'a');
      await uploadFile(device, 'test.bin', bytes, { chunkSize: 500 });
      const error = await expectCliError(
        verifyStoredFile(device, 'test.bin', bytes),
        ExitCode.VerifyFailed,
      );
      assert.match(error.message, /does not match/);
    },
    { corruptUploadLine: 2 },
  );
});

test('the checksum of a missing file is reported as missing, not as a number', async () => {
  await withDevice(async (device) => {
    assert.is(await storedCrc32(device, 'absent'), undefined);
  });
});

test.run();
