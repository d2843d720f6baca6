// Aedes authorisation hooks built on the ACL: refused publishes close the connection
// (MQTT 3.1.1 has no PUBACK refusal code), refused subscriptions get SUBACK 0x80.
import type { Client, PublishPacket, Subscription } from 'aedes';
import type { Logger } from 'pino';
import { maySubscribe, publishRefusal } from './acl';
import { identityOf } from './identity';

export function createAuthorizer(logger: Logger) {
  function authorizePublish(
    client: Client | null,
    packet: PublishPacket,
    done: (error?: Error | null) => void,
  ) {
    // No client: a will replayed by the broker itself, already checked at CONNECT.
    if (client === null) return done(null);
    const identity = identityOf(client);
    const refusal = publishRefusal(identity, packet.topic, packet.qos, packet.retain);
    if (refusal === undefined) return done(null);
    logger.warn({ client: client.id, topic: packet.topic, refusal }, 'publish refused');
    done(new Error(`publish on ${packet.topic} refused: ${refusal}`));
  }

  function authorizeSubscribe(
    client: Client,
    subscription: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ) {
    if (maySubscribe(identityOf(client), subscription.topic))
      return done(null, subscription);
    logger.warn({ client: client.id, topic: subscription.topic }, 'subscription refused');
    done(null, null);
  }

  return { authorizePublish, authorizeSubscribe };
}
