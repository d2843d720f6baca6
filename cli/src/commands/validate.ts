// Checks of the technician's arguments, each failing with a usage error that says what is
// accepted (CONTRACTS.md "Identities" for ids).

import { CliError, ExitCode } from '../exit-codes';

export type DeviceKind = 'post' | 'wearable';
export type PrivacyPolicy = 'precise' | 'area' | 'none';

export interface Location {
  lat: number;
  lon: number;
  label?: string;
}

export function parseKind(text: string): DeviceKind {
  if (text === 'post' || text === 'wearable') return text;
  throw new CliError(ExitCode.Usage, `--kind "${text}": expected post or wearable`);
}

export function parseDeviceId(text: string): string {
  if (/^[0-9a-f]{8}$/.test(text)) return text;
  throw new CliError(
    ExitCode.Usage,
    `device id "${text}": expected 8 lowercase hex digits, e.g. 0000002a`,
    'the id is printed on the label inside the post door or on the wearable box',
  );
}

export function parseGatewayId(text: string): string {
  if (/^[a-z0-9-]{1,32}$/.test(text)) return text;
  throw new CliError(
    ExitCode.Usage,
    `gateway id "${text}": expected 1-32 of a-z, 0-9 and -, e.g. gw-001`,
  );
}

export function parsePolicy(text: string): PrivacyPolicy {
  if (text === 'precise' || text === 'area' || text === 'none') return text;
  throw new CliError(
    ExitCode.Usage,
    `--policy "${text}": expected precise, area or none`,
  );
}

/** "48.8566,2.3522" or "48.8566,2.3522,Rue de Rivoli 12" (the label may hold commas). */
export function parseLocation(text: string): Location {
  const [latText, lonText, ...labelParts] = text.split(',');
  const lat = Number(latText);
  const lon = Number(lonText);
  if (
    latText === undefined ||
    lonText === undefined ||
    latText.trim() === '' ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lon) ||
    Math.abs(lat) > 90 ||
    Math.abs(lon) > 180
  ) {
    throw new CliError(
      ExitCode.Usage,
      `--location "${text}": expected lat,lon[,label] in decimal degrees`,
      'e.g. --location 48.8566,2.3522,"Rue de Rivoli 12"',
    );
  }
  const label = labelParts.join(',').trim();
  return label === '' ? { lat, lon } : { lat, lon, label };
}
