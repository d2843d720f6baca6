// The sysfs fallback, on a fixture tree shaped like Linux's /sys (class links into devices).
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listFromSysfs } from './list';

async function fixtureSys(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'urgence-sys-'));
  // A CP2102 on USB: the tty's device is the USB interface; ids sit one level up.
  const usb = join(root, 'devices', 'usb1', '1-1');
  await mkdir(join(usb, '1-1:1.0'), { recursive: true });
  for (const [name, value] of Object.entries({
    idVendor: '10c4',
    idProduct: 'ea60',
    manufacturer: 'Silicon Labs',
    serial: '0001',
  })) {
    await writeFile(join(usb, name), value + '\n');
  }
  // An on-board UART with a platform device and no USB ids, and one with no device at all.
  await mkdir(join(root, 'devices', 'platform', 'serial8250'), { recursive: true });
  const ttyClass = join(root, 'class', 'tty');
  for (const name of ['ttyUSB0', 'ttyS0', 'ttyS1', 'tty1']) {
    await mkdir(join(ttyClass, name), { recursive: true });
  }
  await symlink(join(usb, '1-1:1.0'), join(ttyClass, 'ttyUSB0', 'device'));
  await symlink(
    join(root, 'devices', 'platform', 'serial8250'),
    join(ttyClass, 'ttyS0', 'device'),
  );
  return root;
}

test('USB serial ports are listed with the ids of the USB device that owns them', async () => {
  const root = await fixtureSys();
  try {
    const ports = await listFromSysfs(join(root, 'class', 'tty'));
    assert.equal(ports, [
      {
        path: '/dev/ttyUSB0',
        manufacturer: 'Silicon Labs',
        serialNumber: '0001',
        vendorId: '10c4',
        productId: 'ea60',
      },
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a missing sysfs gives an empty list, not an error', async () => {
  assert.equal(await listFromSysfs('/nonexistent/class/tty'), []);
});

test.run();
