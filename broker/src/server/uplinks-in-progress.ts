// Closes a gap between Aedes's QoS 2 store and the durability receipt. Aedes answers a
// retransmitted PUBLISH (same client id and message id) with PUBREC straight from its
// incoming store (MQTT-4.3.3-2) — even while the first copy is still in the ingest and
// may yet fail (found by test, persistent sessions only). While a copy is being recorded
// its stored twin is hidden, so the retransmission is ingested again (the ingest folds
// duplicates) and every receipt still follows a durable write.
import type { Client } from 'aedes';

interface StoredPacket {
  messageId?: number;
  topic?: string;
}

interface IncomingStore {
  incomingStorePacket(client: Client, packet: StoredPacket): Promise<unknown>;
  incomingGetPacket(client: Client, packet: StoredPacket): Promise<unknown>;
}

export class UplinksInProgress {
  // A count, not a flag: the first copy and its retransmission may overlap.
  private readonly pending = new Map<string, number>();

  private key(clientId: string, messageId: number | undefined): string {
    return `${clientId}\u0000${messageId ?? -1}`;
  }

  begin(clientId: string, messageId: number | undefined): void {
    const key = this.key(clientId, messageId);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  end(clientId: string, messageId: number | undefined): void {
    const key = this.key(clientId, messageId);
    const left = (this.pending.get(key) ?? 1) - 1;
    if (left <= 0) this.pending.delete(key);
    else this.pending.set(key, left);
  }

  /**
   * Makes `store` report "not stored" for uplinks whose recording is in progress. The
   * recording counts as begun when Aedes stores the packet, a few steps before the
   * `published` hook runs, so no retransmission slips in between; the hook ends it.
   */
  guard(store: IncomingStore, isUplink: (topic: string) => boolean): void {
    const keep = store.incomingStorePacket.bind(store);
    store.incomingStorePacket = (client, packet) => {
      if (packet.topic !== undefined && isUplink(packet.topic)) {
        this.begin(client.id, packet.messageId);
      }
      return keep(client, packet);
    };
    const lookUp = store.incomingGetPacket.bind(store);
    store.incomingGetPacket = (client, packet) =>
      this.pending.has(this.key(client.id, packet.messageId))
        ? Promise.reject(new Error('uplink still being recorded'))
        : lookUp(client, packet);
  }
}
