// The CBOR data model this package speaks (RFC 8949): integers, byte and text strings,
// arrays, maps with integer or text keys, tags, booleans and null. No floats and no
// indefinite lengths: the devices never send them, so the decoder refuses them.

export type CborKey = number | string;

export type CborValue =
  number | string | boolean | null | Uint8Array | CborValue[] | CborMap | CborTag;

/** A map as ordered pairs (no Map on Espruino); the encoder sorts keys deterministically. */
export class CborMap {
  keys: CborKey[] = [];
  values: CborValue[] = [];

  get size(): number {
    return this.keys.length;
  }

  indexOf(key: CborKey): number {
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] === key) return i;
    }
    return -1;
  }

  has(key: CborKey): boolean {
    return this.indexOf(key) >= 0;
  }

  get(key: CborKey): CborValue | undefined {
    const index = this.indexOf(key);
    return index >= 0 ? this.values[index] : undefined;
  }

  set(key: CborKey, value: CborValue): CborMap {
    const index = this.indexOf(key);
    if (index >= 0) {
      this.values[index] = value;
    } else {
      this.keys.push(key);
      this.values.push(value);
    }
    return this;
  }
}

export class CborTag {
  tag: number;
  value: CborValue;

  constructor(tag: number, value: CborValue) {
    this.tag = tag;
    this.value = value;
  }
}
