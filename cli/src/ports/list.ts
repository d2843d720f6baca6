// Lists the machine's serial ports. @serialport/bindings-cpp asks `udevadm` on Linux; where
// udev is absent (containers, minimal images) it fails, so we fall back to reading sysfs,
// which exposes the same USB vendor/product ids under /sys/class/tty/<name>/device.

import { readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { autoDetect } from '@serialport/bindings-cpp';
import type { PortInfo } from './port-info';

export async function listPorts(): Promise<PortInfo[]> {
  try {
    return (await autoDetect().list()) as PortInfo[];
  } catch (error) {
    if (process.platform !== 'linux') throw error;
    return listFromSysfs('/sys/class/tty');
  }
}

// Names of kernel tty drivers behind USB and on-board UARTs (virtual consoles excluded).
const serialTty = /^tty(USB|ACM|S|AMA|WCH|XRUSB)\d+$/;

export async function listFromSysfs(ttyClass: string): Promise<PortInfo[]> {
  const names = (await readdir(ttyClass).catch(() => [] as string[])).filter((name) =>
    serialTty.test(name),
  );
  const ports: PortInfo[] = [];
  for (const name of names) {
    const usb = await usbAttributes(join(ttyClass, name, 'device'));
    // ttyS0..31 exist on every PC whether wired or not; only keep them with a real device.
    if (name.startsWith('ttyS') && usb === undefined) continue;
    ports.push({
      path: '/dev/' + name,
      manufacturer: usb?.manufacturer,
      serialNumber: usb?.serial,
      vendorId: usb?.idVendor,
      productId: usb?.idProduct,
    });
  }
  return ports;
}

interface UsbAttributes {
  idVendor: string;
  idProduct: string | undefined;
  manufacturer: string | undefined;
  serial: string | undefined;
}

/** Walks up from the tty's device node to the USB device that owns it (at most 4 levels). */
async function usbAttributes(deviceLink: string): Promise<UsbAttributes | undefined> {
  let directory = await realpath(deviceLink).catch(() => undefined);
  for (let level = 0; directory !== undefined && level < 4; level++) {
    const idVendor = await attribute(directory, 'idVendor');
    if (idVendor !== undefined) {
      return {
        idVendor,
        idProduct: await attribute(directory, 'idProduct'),
        manufacturer: await attribute(directory, 'manufacturer'),
        serial: await attribute(directory, 'serial'),
      };
    }
    directory = join(directory, '..');
  }
  return undefined;
}

async function attribute(directory: string, name: string): Promise<string | undefined> {
  const text = await readFile(join(directory, name), 'utf8').catch(() => undefined);
  return text?.trim();
}
