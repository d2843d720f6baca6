// Reads the device's provisioning (Storage "urgence.json", CONTRACTS.md): id, kind, key and
// optional timing overrides. A bad file stops start-up with one line naming the setting.

/** What provisioning wrote, checked: the key as bytes, every timing a positive number. */
export interface DeviceConfig<T> {
  id: string;
  kind: string;
  key: Uint8Array;
  timings: T;
}

export type ConfigResult<T> =
  { ok: true; config: DeviceConfig<T> } | { ok: false; error: string };

/** True for exactly `length` lowercase hex digits (what the CLI writes). */
function isHex(text: unknown, length: number): boolean {
  if (typeof text !== 'string' || text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    if ('0123456789abcdef'.indexOf(text.charAt(i)) < 0) return false;
  }
  return true;
}

function keyBytes(hex: string): Uint8Array {
  const key = new Uint8Array(hex.length / 2);
  for (let i = 0; i < key.length; i++) key[i] = parseInt(hex.substr(i * 2, 2), 16);
  return key;
}

function bad<T>(setting: string, accepted: string): ConfigResult<T> {
  return { ok: false, error: 'urgence.json: ' + setting + ' must be ' + accepted };
}

const hexDigits = ' lowercase hex digits';

/**
 * Checks `stored` against the expected kind; timings start from `defaults` and take each
 * override that names a known setting. Unknown settings are refused: a typo must not pass
 * silently as a default. `names[i]` is the urgence.json name of the i-th key of
 * `defaults` (config/defaults.ts: the bundle shortens those keys, not the names).
 */
export function readConfig<T extends object>(
  stored: unknown,
  kind: string,
  defaults: T,
  names: string[],
): ConfigResult<T> {
  if (typeof stored !== 'object' || stored === null) {
    return bad('the file', 'a JSON object');
  }
  const file = stored as Record<string, unknown>;
  const id = file['id'];
  if (!isHex(id, 8)) return bad('id', '8' + hexDigits);
  if (file['kind'] !== kind) return bad('kind', kind);
  const key = file['key'];
  if (!isHex(key, 64)) return bad('key', '64' + hexDigits);

  const timings = {} as Record<string, unknown>;
  const defaultValues = defaults as Record<string, unknown>;
  const keys = Object.keys(defaults);
  for (const each of keys) timings[each] = defaultValues[each];
  for (const name of Object.keys(file)) {
    if (name === 'id' || name === 'kind' || name === 'key') continue;
    const at = names.indexOf(name);
    if (at < 0) return bad(name, 'a known setting');
    const value = file[name];
    // 1e10 ms is about four months: anything above is a unit mistake (and rules out Infinity).
    if (typeof value !== 'number' || !(value > 0) || !(value <= 1e10)) {
      return bad(name, 'a number in (0, 1e10]');
    }
    // Unshortened (Node, Lua) the name is the key. In the bundle the key is the one at the
    // same place: JavaScript keeps string keys in insertion order, Espruino too; Lua's
    // tables do not, hence the name first.
    timings[name in defaultValues ? name : keys[at]!] = value;
  }
  return {
    ok: true,
    config: {
      id: id as string,
      kind: kind,
      key: keyBytes(key as string),
      timings: timings as T,
    },
  };
}
