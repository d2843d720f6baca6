// Drives one pipeline: a gateway publishes QoS 2 uplinks with a bounded number in flight
// while a dispatcher on the feed notes when each uplink's feed message arrives.
import mqtt from 'mqtt';
import type { RunningPipeline } from './pipelines';

export interface LoadResult {
  messages: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Broker CPU time per message while sending (logins excluded), in microseconds. */
  brokerCpuMicros: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

const client = {
  protocolVersion: 4 as const,
  reconnectPeriod: 0,
  connectTimeout: 30_000,
};

/** Sends uplinks `first` .. `first + count - 1`, at most `window` in flight. */
export async function drive(
  pipeline: RunningPipeline,
  first: number,
  count: number,
  window: number,
): Promise<LoadResult> {
  const dispatcher = await mqtt.connectAsync(pipeline.url, {
    ...client,
    ...pipeline.dispatcher,
  });
  await dispatcher.subscribeAsync(pipeline.feedFilter, { qos: 0 });
  const gateway = await mqtt.connectAsync(pipeline.url, {
    ...client,
    ...pipeline.gateway,
  });

  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let fed = 0;
  let allFed: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allFed = resolve));
  dispatcher.on('message', (topic, payload) => {
    const index = pipeline.indexOf(topic, payload);
    const start = index === undefined ? undefined : sentAt.get(index);
    if (index === undefined || start === undefined) return;
    sentAt.delete(index);
    latencies.push(performance.now() - start);
    fed += 1;
    if (fed === count) allFed();
  });

  const uplinks = Array.from({ length: count }, (_, offset) =>
    pipeline.makeUplink(first + offset),
  );
  const cpuBefore = await pipeline.brokerCpuMicros();
  const began = performance.now();
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const offset = next;
      next += 1;
      sentAt.set(first + offset, performance.now());
      await gateway.publishAsync(pipeline.uplinkTopic, uplinks[offset], { qos: 2 });
    }
  };
  await Promise.all(Array.from({ length: window }, sender));
  await finished;
  const seconds = (performance.now() - began) / 1000;
  const cpuUsed = (await pipeline.brokerCpuMicros()) - cpuBefore;

  await gateway.endAsync();
  await dispatcher.endAsync();
  latencies.sort((a, b) => a - b);
  return {
    messages: count,
    seconds,
    perSecond: count / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    brokerCpuMicros: cpuUsed / count,
  };
}
