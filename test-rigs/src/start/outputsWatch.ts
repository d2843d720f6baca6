// What a person standing at each device would see: every output sampled on the device's
// own clock and summarised as on, off or blinking over the last two seconds.

import type { VirtualDevice } from '../virtual/virtualDevice';

const sampleMs = 125;
const windowSamples = 16; // 2 s: the slowest pattern (help coming, 1 s period) shows

export type Look = 'on' | 'off' | 'blinking';

export class OutputsWatch {
  private readonly samples = new Map<VirtualDevice, Record<string, boolean>[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly devices: VirtualDevice[]) {}

  start(): void {
    this.timer ??= setInterval(() => void this.sample(), sampleMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  looks(device: VirtualDevice): Record<string, Look> {
    const history = this.samples.get(device) ?? [];
    const looks: Record<string, Look> = {};
    for (const name of Object.keys(history[0] ?? {})) {
      const on = history.filter((sample) => sample[name] === true).length;
      looks[name] = on === 0 ? 'off' : on === history.length ? 'on' : 'blinking';
    }
    return looks;
  }

  private async sample(): Promise<void> {
    for (const device of this.devices) {
      const history = this.samples.get(device) ?? [];
      history.push(await device.outputs());
      if (history.length > windowSamples) history.shift();
      this.samples.set(device, history);
    }
  }
}

const symbols: Record<Look, string> = { on: '●', off: '○', blinking: '◐' };

/** "calling ● received ○ strobe ◐" */
export function describeLooks(looks: Record<string, Look>): string {
  return Object.entries(looks)
    .map(([name, look]) => `${name} ${symbols[look]}`)
    .join('  ');
}

/**
 * What the lamps tell the person at the device, in words (firmware/src/logic/post-lamps.ts
 * and wearable-alarm.ts): a newcomer should not have to know that green blinking on a
 * post means help is coming. Empty when the device rests.
 */
export function meaningOf(
  kind: 'post' | 'wearable',
  looks: Record<string, Look>,
): string {
  if (kind === 'post') {
    if (looks['received'] === 'blinking' && looks['calling'] === 'off')
      return 'help coming';
    if (looks['received'] === 'on') return 'received by dispatch';
    if (looks['calling'] === 'on') return 'calling';
    if (looks['calling'] === 'blinking') return 'gateway unreachable';
    return '';
  }
  if (looks['green'] !== undefined && looks['green'] !== 'off')
    return 'ack felt: help coming';
  if (looks['red'] !== undefined && looks['red'] !== 'off') return 'pre-alarm or alarm';
  return '';
}
