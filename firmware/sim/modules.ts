// The modules a bundle gets from require(): "Storage" over the persistent journal and
// "crypto" with SHA1/SHA256 returning ArrayBuffers, shaped as Espruino's are. Values handed
// to the bundle are built in its own realm so `instanceof ArrayBuffer` holds there.

import { createHash } from 'node:crypto';
import { bytesOf } from './radio';
import type { StorageJournal } from './storage';

/** Constructors of the device's realm, taken before Espruino-absent globals are removed. */
export interface Realm {
  arrayBuffer(bytes: Uint8Array): ArrayBuffer;
  uint8Array(bytes: ArrayLike<number>): Uint8Array;
  array<T>(items: T[]): T[];
  object<T extends object>(value: T): T;
}

const binaryString = (bytes: Uint8Array): string => {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
};

/** Espruino's JSON.stringify writes typed arrays as plain arrays (Node: {"0":…}). */
function espruinoJson(_key: string, value: unknown): unknown {
  if (!ArrayBuffer.isView(value) || !('length' in value)) return value;
  return Array.prototype.slice.call(value as unknown as ArrayLike<number>);
}

export function storageModule(journal: StorageJournal, realm: Realm): object {
  const read = (name: string, offset?: number, length?: number): string | undefined => {
    const data = journal.find(name);
    if (data === undefined) return undefined;
    const start = offset ?? 0;
    return binaryString(
      data.subarray(start, length === undefined ? undefined : start + length),
    );
  };

  return {
    write: (name: string, data: unknown, offset?: number, size?: number): boolean =>
      journal.write(name, bytesOf(data), offset ?? 0, size ?? 0),
    read,
    readJSON(name: string, noExceptions?: boolean): unknown {
      const text = read(name);
      if (text === undefined) return undefined;
      try {
        return realm.object(JSON.parse(text) as object);
      } catch (error) {
        if (noExceptions === true) return undefined;
        throw error;
      }
    },
    writeJSON: (name: string, value: unknown): boolean =>
      journal.write(name, bytesOf(JSON.stringify(value, espruinoJson))),
    readArrayBuffer(name: string): ArrayBuffer | undefined {
      const data = journal.find(name);
      return data === undefined ? undefined : realm.arrayBuffer(data);
    },
    erase: (name: string): void => journal.erase(name),
    eraseAll: (): void => journal.eraseAll(),
    list(pattern?: RegExp | string): string[] {
      const names = journal.names().filter((name) => {
        if (pattern === undefined) return true;
        return typeof pattern === 'string' ? name.includes(pattern) : pattern.test(name);
      });
      return realm.array(names);
    },
    getFree: (): number => journal.stats().freeBytes,
    getStats: (): object => realm.object(journal.stats()),
    compact: (): void => journal.compact(),
  };
}

export function cryptoModule(realm: Realm): object {
  const digest = (algorithm: string) => (message: unknown) =>
    realm.arrayBuffer(
      new Uint8Array(createHash(algorithm).update(bytesOf(message)).digest()),
    );
  return { SHA1: digest('sha1'), SHA256: digest('sha256') };
}
