// Results instead of exceptions: every decoder in this package returns one, because a bad
// frame from the street must be counted and dropped, never crash a gateway or a device.

export type ProtocolError = { code: string; message: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value: value };
}

/**
 * Device paths pass only the code (short strings keep the bundles small); the message is
 * then the code itself, and servers turn it into text with describeError(code).
 */
export function fail<T>(code: string, message?: string): Result<T> {
  return {
    ok: false,
    error: { code: code, message: message !== undefined ? message : code },
  };
}
