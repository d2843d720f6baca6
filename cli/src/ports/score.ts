// Ranks serial ports so the one most likely to be an urgence device comes first, the way
// zigbee-herdsman's adapter discovery ranks Zigbee sticks: fingerprint table + score.

import type { PortInfo } from './port-info';
import { findFingerprint, PortScore, type PortScoreValue } from './fingerprints';

export interface RankedPort {
  path: string;
  score: PortScoreValue;
  /** What we think it is, for a person: "Silicon Labs CP210x". */
  description: string;
  kind?: 'post' | 'wearable';
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
}

// Espruino boards announce themselves in the USB manufacturer/product strings.
const espruinoName = /espruino|puck\.js|pixl\.js|bangle/i;

export function scorePort(port: PortInfo): RankedPort {
  const fingerprint = findFingerprint(port.vendorId, port.productId);
  const named = espruinoName.test(port.manufacturer ?? '');

  let score: PortScoreValue = fingerprint?.score ?? PortScore.Unknown;
  if (fingerprint === undefined && port.vendorId !== undefined)
    score = PortScore.OtherUsb;
  if (named) score = PortScore.Device;

  const ranked: RankedPort = {
    path: port.path,
    score,
    description:
      fingerprint?.name ??
      (named ? 'Espruino board' : (port.manufacturer ?? 'serial port')),
  };
  if (fingerprint?.kind !== undefined) ranked.kind = fingerprint.kind;
  if (port.vendorId !== undefined) ranked.vendorId = port.vendorId.toLowerCase();
  if (port.productId !== undefined) ranked.productId = port.productId.toLowerCase();
  if (port.manufacturer !== undefined) ranked.manufacturer = port.manufacturer;
  if (port.serialNumber !== undefined) ranked.serialNumber = port.serialNumber;
  return ranked;
}

/** Best guess first; equal scores keep a stable order by path so output does not jitter. */
export function rankPorts(ports: readonly PortInfo[]): RankedPort[] {
  return ports
    .map(scorePort)
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
}

/**
 * The port to use when the technician named none: the single best one, if it is at least a
 * known bridge and no other port ties with it (a tie means we would be guessing).
 */
export function pickPort(ranked: readonly RankedPort[]): RankedPort | undefined {
  const best = ranked[0];
  if (best === undefined || best.score < PortScore.SerialBridge) return undefined;
  const tied = ranked.filter((port) => port.score === best.score);
  return tied.length === 1 ? best : undefined;
}
