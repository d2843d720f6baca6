// Heartbeat supervision of the posts behind one gateway: a post silent for
// `missedBeforeFault` heartbeat intervals (3 by default, as the issue asks) is reported
// once as 'post-silent', and once as 'post-back' when it is heard again. The gateway sees
// a dead serial line long before the broker could, and says which port it was on.
import type { Clock, TimerHandle } from '../clock';

export type PostSilence = {
  event: 'post-silent' | 'post-back';
  device: string;
  port: string;
  lastHeard: number;
};

export type SupervisionOptions = {
  clock: Clock;
  heartbeatIntervalMs: number;
  missedBeforeFault: number;
  report: (silence: PostSilence) => void;
};

type PostWatch = { port: string; lastHeard: number; silent: boolean };

export class PostSupervisor {
  private readonly posts = new Map<string, PostWatch>();
  private readonly timer: TimerHandle;

  constructor(private readonly options: SupervisionOptions) {
    // Checked at a quarter interval: a silence is reported at most 25% late.
    const every = Math.max(1, Math.floor(options.heartbeatIntervalMs / 4));
    this.timer = options.clock.setInterval(() => this.check(), every);
  }

  /** Any valid frame from the post counts as a sign of life, not only heartbeats. */
  heard(device: string, port: string): void {
    const now = this.options.clock.now();
    const watch = this.posts.get(device);
    if (watch?.silent === true) {
      this.options.report({ event: 'post-back', device, port, lastHeard: now });
    }
    this.posts.set(device, { port, lastHeard: now, silent: false });
  }

  /**
   * A post known from before a restart (post-routes.json): watched as if heard at this
   * moment, so a post that died while the gateway was down is reported silent one
   * deadline after start-up instead of never. A post already heard is left as it is.
   */
  expect(device: string, port: string): void {
    if (this.posts.has(device)) return;
    this.posts.set(device, { port, lastHeard: this.options.clock.now(), silent: false });
  }

  portOf(device: string): string | undefined {
    return this.posts.get(device)?.port;
  }

  snapshot(): { device: string; port: string; lastHeard: number; silent: boolean }[] {
    return [...this.posts].map(([device, w]) => ({ device, ...w }));
  }

  stop(): void {
    this.options.clock.clearInterval(this.timer);
  }

  private check(): void {
    const { heartbeatIntervalMs, missedBeforeFault } = this.options;
    const deadline = this.options.clock.now() - heartbeatIntervalMs * missedBeforeFault;
    for (const [device, watch] of this.posts) {
      if (watch.silent || watch.lastHeard > deadline) continue;
      watch.silent = true;
      this.options.report({
        event: 'post-silent',
        device,
        port: watch.port,
        lastHeard: watch.lastHeard,
      });
    }
  }
}
