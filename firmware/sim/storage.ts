// Espruino's Storage as a journal with a size limit, modelled on jsflash.c: every rewrite of
// a file appends a new copy and the old one becomes trash until compact(); an identical
// rewrite writes nothing; a write that does not fit compacts first and then fails with
// Espruino's own error. The journal outlives power cuts; the module object does not.

/** jsflash.c file header: size + 28-byte name; data is padded to 4-byte flash words. */
const headerBytes = 32;
const maxNameLength = 28;
const align = (n: number): number => (n + 3) & ~3;

interface Entry {
  name: string;
  data: Uint8Array;
  live: boolean;
}

export interface StorageStats {
  totalBytes: number;
  freeBytes: number;
  fileBytes: number;
  fileCount: number;
  trashBytes: number;
  trashCount: number;
}

export class StorageJournal {
  private entries: Entry[] = [];
  /** Copies written since creation, compactions included (flash wear, for tests). */
  writes = 0;
  compactions = 0;

  constructor(readonly capacityBytes: number) {}

  find(name: string): Uint8Array | undefined {
    return this.entries.find((entry) => entry.live && entry.name === name)?.data;
  }

  names(): string[] {
    return this.entries.filter((entry) => entry.live).map((entry) => entry.name);
  }

  stats(): StorageStats {
    const sum = (list: Entry[]): number =>
      list.reduce((total, entry) => total + headerBytes + align(entry.data.length), 0);
    const live = this.entries.filter((entry) => entry.live);
    const trash = this.entries.filter((entry) => !entry.live);
    const used = sum(this.entries);
    return {
      totalBytes: this.capacityBytes,
      freeBytes: this.capacityBytes - used,
      fileBytes: sum(live),
      fileCount: live.length,
      trashBytes: sum(trash),
      trashCount: trash.length,
    };
  }

  /**
   * Storage.write(name, data, offset, size). A new file (offset 0) of `size` bytes starts
   * erased (0xFF) so later writes at an offset can fill it, as on flash.
   * @returns false for empty data (Espruino returns false without an error).
   */
  write(name: string, data: Uint8Array, offset = 0, size = 0): boolean {
    if (name.length === 0 || name.length > maxNameLength) {
      throw new Error(`Filename must be 1..${maxNameLength} characters: ${name}`);
    }
    if (data.length === 0) return false;
    const fileSize = size === 0 ? data.length : size;
    let file = this.entries.find((entry) => entry.live && entry.name === name);

    if (offset === 0) {
      if (
        file !== undefined &&
        file.data.length === fileSize &&
        sameBytes(file.data, data)
      ) {
        return true; // jsflash.c: identical content, nothing written
      }
      if (file === undefined || file.data.length !== fileSize || !isErased(file.data)) {
        file = this.createFile(name, fileSize);
      }
    }
    if (file === undefined) throw new Error('Unable to find or create file');
    if (offset + data.length > file.data.length)
      throw new Error('Too much data for file size');
    if (!isErased(file.data.subarray(offset, offset + data.length))) {
      throw new Error('File already written with different data');
    }
    file.data.set(data, offset);
    return true;
  }

  erase(name: string): void {
    for (const entry of this.entries) if (entry.name === name) entry.live = false;
  }

  eraseAll(): void {
    this.entries = [];
  }

  /** Drops the trash; live files keep their order. */
  compact(): void {
    this.entries = this.entries.filter((entry) => entry.live);
    this.compactions++;
  }

  private createFile(name: string, size: number): Entry {
    const needed = headerBytes + align(size);
    // jsflash.c erases the old copy before looking for space: a rewrite that does not fit
    // loses the file. Firmware must not rely on the old copy surviving a failed write.
    this.erase(name);
    if (this.stats().freeBytes < needed) this.compact(); // Espruino prints "Compacting..."
    if (this.stats().freeBytes < needed) throw new Error('Unable to find or create file');
    const entry: Entry = { name, data: new Uint8Array(size).fill(0xff), live: true };
    this.entries.push(entry);
    this.writes++;
    return entry;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isErased(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0xff) return false;
  return true;
}
