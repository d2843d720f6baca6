// Assembles one gateway: serial links to posts and BLE scanning in; everything heard goes
// to the durable outbox first, then to the broker over MQTT; acks come back down to the
// device that sent the alarm. startGateway is the one entry point (main.ts, tests, rigs).
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { AckAdvertiser } from './ble/ack-advertiser';
import { hciDeviceId, openBlenoAdvertiser } from './ble/ack-advertiser';
import { BleScanner } from './ble/scanner';
import type { NobleLike, WearableHeard } from './ble/scanner';
import { systemClock } from './clock';
import type { Clock } from './clock';
import { ConfigError } from './config';
import type { GatewayConfig } from './config';
import { PostMailbox } from './downlink/post-mailbox';
import { DownlinkRouter } from './downlink/router';
import { PostRoutes } from './downlink/routes';
import { Outbox, OutboxFullError } from './outbox/outbox';
import type { EntryClass, Uplink } from './outbox/outbox';
import { StoreRetry } from './outbox/store-retry';
import { readPostFrame } from './serial/post-frame';
import { PostLink } from './serial/post-link';
import { PostSupervisor } from './serial/supervision';
import type { PostSilence } from './serial/supervision';
import { GatewayCounters } from './telemetry';
import { BrokerLink } from './uplink/broker-link';
import { gatewayReport } from './report';

export type GatewayDeps = {
  /** Noble bindings (a virtual radio in tests and rigs); default: noble's own for the OS. */
  bleBindings?: unknown;
  ackAdvertiser?: AckAdvertiser;
  clock?: Clock;
  log?: Logger;
};

export type RunningGateway = {
  stop(): Promise<void>;
  readonly outbox: Outbox;
  readonly counters: GatewayCounters;
  /** The telemetry document as it would be published now. */
  report(): object;
};

export async function startGateway(
  config: GatewayConfig,
  deps: GatewayDeps = {},
): Promise<RunningGateway> {
  const clock = deps.clock ?? systemClock;
  // Every line carries the gateway id, whichever logger the caller gave.
  const log = (deps.log ?? pino({ level: config.logLevel })).child({
    gateway: config.gatewayId,
  });
  const counters = new GatewayCounters();
  const startedAt = clock.now();
  const outbox = await Outbox.open({
    dir: config.outbox.dir,
    maxBytes: config.outbox.maxBytes,
    log,
  }).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(
      'outbox.dir',
      `cannot use ${config.outbox.dir} (${error.message})`,
    );
  });
  const routes = await PostRoutes.open(config.outbox.dir, log);
  // Entries still waiting from before a restart name their post's port: an ack for that
  // alarm must find it even if the post has nothing more to say.
  for (const entry of outbox.pending()) {
    if (entry.uplink.port !== undefined) routes.learn(entry.device, entry.uplink.port);
  }

  const store = (
    device: string,
    entryClass: EntryClass,
    uplink: Uplink,
    counter?: number,
  ) =>
    outbox.append(device, entryClass, uplink).then(
      (entry) => {
        const fields = { device, counter, seq: entry.seq, link: uplink.link };
        if (entryClass === 'heartbeat') log.debug(fields, 'heartbeat stored');
        else log.info(fields, 'frame stored');
      },
      (error: Error) => {
        if (error instanceof OutboxFullError) counters.drop(`outbox-${error.reason}`);
        log.error({ device, counter, err: error.message }, 'frame not stored');
        throw error;
      },
    );

  // For records no device will send again: a wearable frame collapsed from its copies,
  // a fault record raised here. A post's frame is not retried here: unacked, it is resent.
  const retry = new StoreRetry({
    clock,
    failed: (record, error, tries) =>
      log.warn({ record, tries, err: error.message }, 'store failed, will retry'),
  });

  const supervisor = new PostSupervisor({
    clock,
    heartbeatIntervalMs: config.heartbeat.postIntervalMs,
    missedBeforeFault: config.heartbeat.missedBeforeFault,
    report: (silence) => reportSilence(silence),
  });
  // Posts served before a restart: one that died meanwhile must still be reported silent.
  const served = new Set(config.serial.map((port) => port.path));
  for (const [device, port] of routes.entries()) {
    if (served.has(port)) supervisor.expect(device, port);
  }
  function reportSilence(silence: PostSilence): void {
    log.warn(
      silence,
      silence.event === 'post-silent' ? 'post silent' : 'post heard again',
    );
    const now = clock.now();
    const uplink: Uplink = {
      link: 'gateway',
      event: silence.event,
      frame: new Uint8Array(0),
      port: silence.port,
      firstHeard: silence.lastHeard,
      lastHeard: now,
      copies: 1,
    };
    const key = `${silence.event}:${silence.device}:${silence.lastHeard}`;
    retry.run(key, () => store(silence.device, 'other', uplink));
  }

  const links = new Map<string, PostLink>();
  for (const port of config.serial) {
    const link = new PostLink({
      ...port,
      log,
      clock,
      counters,
      onReady: () => mailbox.pump(),
      store: async (payload, path) => {
        const post = readPostFrame(payload);
        if (!post.ok) {
          // Acked anyway: the line delivered it intact (CRC good); retransmitting an
          // unreadable message forever would block the post's next alarm.
          counters.drop(`bad-message:${post.code}`);
          log.warn(
            { port: path, reason: post.code },
            'unreadable message from post dropped',
          );
          return;
        }
        const { device, counter, entryClass } = post.value;
        supervisor.heard(device, path);
        // A new route is on disk before the post is acked, like the frame itself: after a
        // crash, an ack for this alarm can find the post even if it never speaks again.
        const moved = routes.learn(device, path);
        if (moved) mailbox.pump();
        const now = clock.now();
        const uplink: Uplink = {
          link: 'serial',
          frame: payload,
          port: path,
          firstHeard: now,
          lastHeard: now,
          copies: 1,
        };
        await Promise.all([
          store(device, entryClass, uplink, counter),
          moved ? routes.flushed() : undefined,
        ]);
      },
    });
    links.set(port.path, link);
  }

  const ackAdvertiser =
    deps.ackAdvertiser ??
    (config.ble.enabled
      ? await openBlenoAdvertiser(config.ble.adapter, log, clock)
      : undefined);
  const mailbox = new PostMailbox({
    portOf: (device) => routes.portOf(device),
    ackPort: (port) => links.get(port),
    clock,
    counters,
    log,
  });
  const downlink = new DownlinkRouter({
    posts: mailbox,
    ackAdvertiser,
    wearableAckMs: config.wearableAckMs,
    counters,
    log,
  });

  const scanner = await openScanner(config, deps, clock, log, counters, (heard) => {
    const { advert } = heard;
    const uplink: Uplink = {
      link: 'ble',
      frame: advert.frame,
      rssi: heard.rssi,
      firstHeard: heard.firstHeard,
      lastHeard: heard.lastHeard,
      copies: heard.copies,
    };
    // Its copies are now taken for duplicates: if the store fails, the frame is forgotten
    // so a later copy tries again at once, and the retry keeps trying meanwhile.
    const device = `ble:${advert.rotatingId}`;
    const stored = () =>
      store(device, advert.entryClass, uplink).then(
        () => scanner?.remember(heard.key),
        (error: Error) => {
          scanner?.forget(heard.key);
          throw error;
        },
      );
    retry.run(heard.key, stored, device);
  });

  const report = (): object =>
    gatewayReport({
      config,
      clock,
      startedAt,
      outbox,
      counters,
      links,
      supervisor,
      mailbox,
      scanner,
      retrying: () => retry.size,
      broker: () => ({ connected: broker.connected, connectedAt: broker.connectedAt }),
    });
  const broker = new BrokerLink({
    config,
    outbox,
    counters,
    log,
    clock,
    onDownlink: (envelope) => downlink.deliver(envelope),
    telemetry: report,
  });

  broker.start();
  for (const link of links.values()) link.start();
  scanner?.start();
  log.info(
    { ports: config.serial.length, ble: scanner !== undefined },
    'gateway started',
  );

  return {
    outbox,
    counters,
    report,
    async stop() {
      await scanner?.stop();
      retry.stop();
      await Promise.all([...links.values()].map((link) => link.stop()));
      supervisor.stop();
      mailbox.stop();
      await routes.flushed();
      await ackAdvertiser?.stop();
      await broker.stop();
      await outbox.close();
      log.info('gateway stopped');
    },
  };
}

async function openScanner(
  config: GatewayConfig,
  deps: GatewayDeps,
  clock: Clock,
  log: Logger,
  counters: GatewayCounters,
  onFrame: (heard: WearableHeard) => void,
): Promise<BleScanner | undefined> {
  let noble: NobleLike;
  if (deps.bleBindings !== undefined) {
    // noble's Noble class over the injected bindings: the real noble code runs above them.
    const { default: Noble } = await import('@stoprocent/noble/lib/noble.js');
    noble = new Noble(deps.bleBindings) as unknown as NobleLike;
  } else if (config.ble.enabled) {
    const { withBindings } = await import('@stoprocent/noble');
    const bindings = { deviceId: hciDeviceId(config.ble.adapter) };
    noble = withBindings('hci', bindings) as unknown as NobleLike;
  } else {
    return undefined;
  }
  return new BleScanner({ noble, counters, log, clock, onFrame });
}
