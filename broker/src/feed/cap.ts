// The incident as a CAP 1.2 alert (OASIS Common Alerting Protocol), the format dispatch
// and public-warning systems already read. Retained on feed/cap/<id>: one document per
// incident, replaced as it moves through its lifecycle.
import { createHash } from 'node:crypto';
import type { Incident } from '../incidents/types';
import { fiveMinuteClock } from './five-minute-clock';

export interface CapOptions {
  /** CAP 1.2 §3.2.1 sender: no spaces, commas or '<' '&'. */
  readonly sender: string;
  /**
   * True for the incident's first document, its Alert (the feed's `created` change);
   * every later one Updates or Cancels it, whatever the history holds by then.
   */
  readonly first: boolean;
}

/** CAP 1.2 §3.3.2: dates carry an explicit offset and UTC is written "-00:00", never "Z". */
export function capTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}-00:00`;
}

/** The characters escapeXml rewrites; most values (times, ids, states) have none. */
const XML_SPECIAL = /[&<>"]/;

function escapeXml(text: string): string {
  // A document has some thirty values: testing once skips four replace passes on each.
  if (!XML_SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function element(name: string, value: string | number): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function parameter(name: string, value: string | number): string {
  return `<parameter>${element('valueName', name)}${element('value', value)}</parameter>`;
}

/** msgType: the first document is an Alert, a false alarm Cancels it, the rest Update it. */
function messageType(incident: Incident, first: boolean): 'Alert' | 'Update' | 'Cancel' {
  if (incident.state === 'false-alarm') return 'Cancel';
  return first ? 'Alert' : 'Update';
}

/** The Alert's identifier, fixed so that every later document can reference it. */
function alertIdentifier(incident: Incident): string {
  return `urgence-${incident.id}`;
}

/**
 * CAP 1.2 §3.2.1: an identifier is unique per message. A later document's carries a
 * digest of its own content (its `sent` time included), so a new gateway, a state or
 * the clock turning at risk each give a new identifier, and two documents share one
 * only if they are the same document. A counter would have to survive restarts.
 */
function laterIdentifier(incident: Incident, content: string): string {
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 16);
  return `${alertIdentifier(incident)}-${digest}`;
}

function area(incident: Incident): string {
  const where = incident.location;
  if (where === null) return '';
  // CAP 1.2 §3.2.4 circle: "lat,lon radius" in WGS 84 degrees, radius in kilometres.
  const radiusKm = (where.radiusM / 1000).toFixed(3);
  const label =
    where.label ??
    (where.source === 'installed'
      ? `call post ${incident.deviceId}`
      : 'area around the gateways that heard the wearable');
  return (
    `<area>${element('areaDesc', label)}` +
    `${element('circle', `${where.lat.toFixed(6)},${where.lon.toFixed(6)} ${radiusKm}`)}</area>`
  );
}

function info(incident: Incident, now: number): string {
  const clock = fiveMinuteClock(incident, now);
  const what = incident.deviceKind === 'post' ? 'call post' : 'wearable panic button';
  const event =
    incident.kind === 'test' ? `Test alarm from ${what}` : `Alarm from ${what}`;
  const parameters = [
    parameter('state', incident.state),
    parameter('device', incident.deviceId),
    parameter('deviceKind', incident.deviceKind),
    parameter('pressed', capTime(incident.pressedAt)),
    parameter('secondsSincePress', clock.secondsSincePress),
    parameter('atRisk', clock.atRisk ? 'true' : 'false'),
    parameter('gateways', incident.heardBy.map((heard) => heard.gatewayId).join(' ')),
  ];
  if (incident.etaSeconds !== null)
    parameters.push(parameter('etaSeconds', incident.etaSeconds));
  const closed = incident.state === 'closed';
  return (
    '<info>' +
    element('language', 'en') +
    element('category', incident.deviceKind === 'post' ? 'Safety' : 'Rescue') +
    element('event', event) +
    element('responseType', closed ? 'AllClear' : 'Assess') +
    element('urgency', 'Immediate') +
    element('severity', 'Unknown') +
    element('certainty', incident.kind === 'test' ? 'Unknown' : 'Observed') +
    element('senderName', 'urgence emergency call network') +
    element('headline', `${event} ${incident.deviceId}: ${incident.state}`) +
    element('description', `Incident ${incident.id}, ${incident.presses} press(es).`) +
    parameters.join('') +
    area(incident) +
    '</info>'
  );
}

export function incidentCap(
  incident: Incident,
  now: number,
  options: CapOptions,
): string {
  const type = messageType(incident, options.first);
  const alertSent = capTime(incident.receivedAt);
  const references =
    type === 'Alert'
      ? ''
      : element(
          'references',
          `${options.sender},${alertIdentifier(incident)},${alertSent}`,
        );
  // Everything after the identifier: what a later document's identifier is a digest of.
  const content =
    element('sender', options.sender) +
    element('sent', type === 'Alert' ? alertSent : capTime(now)) +
    element('status', incident.kind === 'test' ? 'Test' : 'Actual') +
    element('msgType', type) +
    element('scope', 'Restricted') +
    element('restriction', 'Police dispatch only: personal safety alarm') +
    references +
    element('incidents', incident.id) +
    info(incident, now);
  const identifier =
    type === 'Alert' ? alertIdentifier(incident) : laterIdentifier(incident, content);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">' +
    element('identifier', identifier) +
    content +
    '</alert>\n'
  );
}
