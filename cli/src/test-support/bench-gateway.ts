// The gateway's side of a post on a bench, over real MQTT: when the simulated post's
// firmware asks for a test alarm (it writes to its gateway UART), this publishes the
// post's sealed TestAlarm uplink as a gateway would (QoS 2, CBOR envelope), and shows each
// ack that comes down on the post (its `stage`), as the post's firmware would.

import { createHash } from 'node:crypto';
import { decode, encode } from 'cbor-x';
import mqtt from 'mqtt';
import { gatewayTopic } from '@urgence/broker';
import { AckStage, MessageType, openMessage, sealMessage } from '@urgence/protocol';
import type { VirtualDevice } from './virtual-device';

const sha256 = (bytes: Uint8Array): Uint8Array =>
  createHash('sha256').update(bytes).digest();
const stageNames: Record<number, string> = {
  [AckStage.Received]: 'received',
  [AckStage.HelpComing]: 'helpComing',
  [AckStage.Closed]: 'idle',
};

/** A few lines of firmware: info() with a stage, testAlarm() asking the gateway UART. */
export function benchPostFirmware(id: string): string {
  return [
    `var urgence = { stage: "idle", info: function () { print(JSON.stringify({`,
    `  version: "0.1.0", id: ${JSON.stringify(id)}, kind: "post", stage: urgence.stage })); },`,
    '  testAlarm: function () { urgence.stage = "calling"; Serial2.write("T"); } };',
  ].join('\n');
}

export async function startBenchGateway(options: {
  url: string;
  gatewayId: string;
  secret: string;
  device: VirtualDevice;
  deviceId: string;
  key: Uint8Array;
}): Promise<{ stop(): Promise<void> }> {
  const client = await mqtt.connectAsync(options.url, {
    protocolVersion: 4,
    username: options.gatewayId,
    password: options.secret,
    clientId: `gw:${options.gatewayId}`,
    reconnectPeriod: 0,
  });
  await client.subscribeAsync(gatewayTopic(options.gatewayId, 'down'), { qos: 1 });
  client.on('message', (_topic, payload) => {
    const envelope = decode(payload) as { frame: Uint8Array };
    const opened = openMessage(sha256, envelope.frame, (id) =>
      id === options.deviceId ? options.key : undefined,
    );
    if (!opened.ok || opened.value.message.type !== MessageType.Ack) return;
    const stage = stageNames[opened.value.message.stage] ?? 'idle';
    options.device.sim.evaluate(`urgence.stage = ${JSON.stringify(stage)}`);
  });

  let counter = 0;
  const stopWatching = options.device.sim.uart('Serial2').onWire(() => {
    counter += 1;
    const frame = sealMessage(sha256, options.deviceId, options.key, {
      type: MessageType.TestAlarm,
      counter,
    });
    const now = Date.now();
    const envelope = {
      v: 1,
      link: 'serial',
      frame,
      firstHeard: now,
      lastHeard: now,
      copies: 1,
      outboxSeq: counter,
    };
    void client.publishAsync(gatewayTopic(options.gatewayId, 'up'), encode(envelope), {
      qos: 2,
    });
  });
  return {
    async stop() {
      stopWatching();
      await client.endAsync();
    },
  };
}
