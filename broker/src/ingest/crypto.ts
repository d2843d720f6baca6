// Node's SHA-256 in the shape protocol/ expects (platform services are passed in).
import { createHash } from 'node:crypto';
import type { Sha256 } from '@urgence/protocol';

export const sha256: Sha256 = (message) =>
  new Uint8Array(createHash('sha256').update(message).digest());
