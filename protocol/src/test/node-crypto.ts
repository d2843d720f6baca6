// Node's SHA-256 in the shape the protocol expects; tests and servers pass this in.
import { createHash } from 'node:crypto';

export const sha256 = (message: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(message).digest());

export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}
