// Entry of the street post bundle (Espruino ESP32): read provisioning, build the board and
// the controller, start, and expose urgence.info() for the technicians' CLI.
import { storage } from '../boards/espruino-device';
import { Esp32PostBoard } from '../boards/esp32-post';
import { postDefaults, postSettingNames } from '../config/defaults';
import type { PostConfig } from '../config/defaults';
import { readConfig } from '../logic/config';
import { createMessageCounter } from '../logic/counter';
import { createPost } from '../logic/post-alarm';
import type { Post } from '../logic/post-alarm';
import { createPostLink } from '../logic/post-link';
import { createPostWire } from '../logic/post-wire';
import { CONFIG_FILE, FIRMWARE_VERSION } from '../version';

declare const global: { urgence: { info(): void; testAlarm?: () => boolean } };

function start(): void {
  const read = readConfig<PostConfig>(
    storage.readJSON(CONFIG_FILE, true),
    'post',
    postDefaults,
    postSettingNames,
  );
  if (!read.ok) {
    // Bad provisioning stops start-up with one line naming the setting.
    console.log(read.error);
    global.urgence = {
      info: () =>
        console.log(JSON.stringify({ version: FIRMWARE_VERSION, error: read.error })),
    };
    return;
  }
  const config = read.config;
  const t = config.timings;
  const board = new Esp32PostBoard(t.debounceMs);
  const counter = createMessageCounter(board, t.counterStep);
  const downlink: { to: Post | undefined } = { to: undefined };
  const link = createPostLink(board, t, (payload) => {
    if (downlink.to !== undefined) downlink.to.received(payload);
  });
  const wire = createPostWire((m) => board.sha256(m), config.id, config.key);
  const post = createPost(board, t, wire, counter, link);
  downlink.to = post;
  global.urgence = {
    // The CLI's `urgence test`: true when the TestAlarm was raised (false during an alarm).
    testAlarm: () => post.testAlarm(),
    info: () => {
      const state = post.state();
      console.log(
        JSON.stringify({
          version: FIRMWARE_VERSION,
          id: config.id,
          kind: 'post',
          battery: Math.round(board.batteryVolts() * 100) / 100,
          mains: state.onBattery === false,
          tamper: state.tamper,
          inCall: state.inCall,
          storageFree: board.freeBytes(),
          counter: state.counter,
          link: state.unreachable === true ? 'unreachable' : 'ok',
          stage: state.stage,
          badFrames: link.badFrames(),
          lastFaults: state.lastFaults,
        }),
      );
    },
  };
  post.start();
}

start();
