// Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): removes every 0x00 from a
// frame so 0x00 can delimit frames on the serial line, at a cost of one byte per 254.
// Errors carry only their code: this runs on the post (describeError gives the text).

import { fail, ok } from './result';
import type { Result } from './result';

/** Worst-case encoded size of n bytes. */
export function cobsMaxEncodedLength(length: number): number {
  return length + Math.floor(length / 254) + 1;
}

export function cobsEncode(source: Uint8Array): Uint8Array {
  const scratch = new Uint8Array(cobsMaxEncodedLength(source.length));
  let codeAt = 0;
  let out = 1;
  let code = 1;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === 0) {
      scratch[codeAt] = code;
      codeAt = out;
      out += 1;
      code = 1;
    } else {
      scratch[out] = source[i];
      out += 1;
      code += 1;
      if (code === 0xff && i + 1 < source.length) {
        scratch[codeAt] = code;
        codeAt = out;
        out += 1;
        code = 1;
      }
    }
  }
  scratch[codeAt] = code;
  return scratch.subarray(0, out);
}

/** source must not contain 0x00 (the delimiter is stripped before decoding). */
export function cobsDecode(source: Uint8Array): Result<Uint8Array> {
  const out = new Uint8Array(source.length);
  let length = 0;
  let i = 0;
  while (i < source.length) {
    const code = source[i];
    if (code === 0) return fail('bad-cobs');
    if (i + code > source.length) return fail('bad-cobs');
    for (let j = 1; j < code; j++) {
      const byte = source[i + j];
      if (byte === 0) return fail('bad-cobs');
      out[length] = byte;
      length += 1;
    }
    i += code;
    // A block shorter than 255 stands for "data then 0x00", except at the very end.
    if (code < 0xff && i < source.length) {
      out[length] = 0;
      length += 1;
    }
  }
  return ok(out.subarray(0, length));
}
