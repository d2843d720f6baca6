// Test fixture run as a child process by outbox.crash.test.ts: appends alarms as fast as it
// can and prints the seq of each append once it resolved (i.e. once it was fsync'd), until
// the parent kills it with SIGKILL.
import { pino } from 'pino';
import { Outbox } from './outbox';

const outbox = await Outbox.open({
  dir: process.argv[2],
  maxBytes: 256 * 1024 * 1024,
  log: pino({ level: 'silent' }),
});
let counter = 0;
for (;;) {
  const burst = Array.from({ length: 20 }, () => {
    counter++;
    const frame = new Uint8Array(40).fill(counter & 0xff);
    return outbox.append(`post${counter % 7}`, 'alarm', {
      link: 'serial',
      frame,
      firstHeard: counter,
      lastHeard: counter,
      copies: 1,
    });
  });
  const entries = await Promise.all(burst);
  process.stdout.write(entries.map((e) => `${e.seq}\n`).join(''));
}
