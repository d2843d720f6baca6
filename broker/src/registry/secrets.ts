// Hashing and checking of shared secrets (gateway and dispatch passwords) with scrypt.
// Each hash keeps its own salt and cost parameters, so the cost can be raised later
// without invalidating what is already stored.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export interface SecretHash {
  hash: Buffer;
  salt: Buffer;
  n: number;
  r: number;
  p: number;
}

// N=2^14, r=8, p=1: the interactive-login cost from the scrypt paper (16 MiB, ~50 ms).
// Gateway secrets are random machine secrets, so a higher cost buys little and would
// slow 500 gateways reconnecting together after a broker restart.
const DEFAULT_COST = { n: 1 << 14, r: 8, p: 1 };
const HASH_BYTES = 32;
const SALT_BYTES = 16;

function maxmemFor(n: number, r: number): number {
  // scrypt needs 128 * N * r bytes; leave headroom so Node does not refuse it.
  return 256 * n * r;
}

export function hashSecret(secret: string, cost = DEFAULT_COST): SecretHash {
  const salt = randomBytes(SALT_BYTES);
  const hash = scryptSync(secret, salt, HASH_BYTES, {
    N: cost.n,
    r: cost.r,
    p: cost.p,
    maxmem: maxmemFor(cost.n, cost.r),
  });
  return { hash, salt, n: cost.n, r: cost.r, p: cost.p };
}

function scryptAsync(secret: string, stored: SecretHash): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const options = {
      N: stored.n,
      r: stored.r,
      p: stored.p,
      maxmem: maxmemFor(stored.n, stored.r),
    };
    scrypt(secret, stored.salt, stored.hash.length, options, (error, derived) => {
      if (error) reject(error);
      else resolve(derived);
    });
  });
}

// Stands in for an unknown account so that a miss costs the same scrypt work as a hit
// and the answer time does not tell which part of a login was wrong.
const decoy: SecretHash = hashSecret(randomBytes(24).toString('base64'));

/** Checks `secret` against `stored` (or against a decoy when `stored` is undefined). */
export async function verifySecret(
  secret: string,
  stored: SecretHash | undefined,
): Promise<boolean> {
  const target = stored ?? decoy;
  const derived = await scryptAsync(secret, target);
  const equal = timingSafeEqual(derived, target.hash);
  return equal && stored !== undefined;
}
