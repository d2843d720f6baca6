// Scripts for the alarm machines, played the same way in Node (the TypeScript logic on
// lua/logic-hal.ts) and in Lua (the compiled logic on shim/fake-hal.lua): the steps, the
// Node player, and the Lua program that plays the same steps. Both print one line per
// output, so the Lua build must give the same bytes at the same times.
import { createHash } from 'node:crypto';
import { postDefaults, wearableDefaults } from '../src/config/defaults';
import type { PostConfig, WearableConfig } from '../src/config/defaults';
import { createMessageCounter } from '../src/logic/counter';
import { createPost } from '../src/logic/post-alarm';
import type { Post } from '../src/logic/post-alarm';
import { createPostLink } from '../src/logic/post-link';
import { createPostWire } from '../src/logic/post-wire';
import { createWearable } from '../src/logic/wearable-alarm';
import { createWearableWire } from '../src/logic/wearable-wire';
import { LogicHal } from './logic-hal';

export type Step =
  | { press: boolean }
  | { advance: number }
  /** Hex bytes from the gateway's side of the serial line (post). */
  | { feed: string }
  /** Hex manufacturer data the wearable's scan hears. */
  | { hear: string };

export type Machine = 'post' | 'wearable';

export const POST_ID = '0000002a';
export const POST_KEY = new Uint8Array(32).fill(0x5a);
export const WEARABLE_KEY = new Uint8Array(32).fill(0x21);
/** Wall clock at ms 0: 100 s into a 15-minute window, so window turns are predictable. */
export const UNIX_START = Math.floor(1_700_000_000 / 900) * 900 + 100;
const BATTERY: Record<Machine, number> = { post: 13.2, wearable: 3 };

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export const nodeSha256 = (message: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(message).digest());

/** Builds the machine as the device entries do (src/post/main.ts, src/wearable/main.ts). */
function boot(machine: Machine, hal: LogicHal): void {
  if (machine === 'post') {
    const t = { ...postDefaults } as PostConfig;
    const counter = createMessageCounter(hal, t.counterStep);
    const downlink: { to: Post | undefined } = { to: undefined };
    const link = createPostLink(hal, t, (payload) => downlink.to?.received(payload));
    const wire = createPostWire(nodeSha256, POST_ID, POST_KEY);
    downlink.to = createPost(hal, t, wire, counter, link);
    downlink.to.start();
    return;
  }
  const t = { ...wearableDefaults } as WearableConfig;
  const wire = createWearableWire(nodeSha256, WEARABLE_KEY, () => hal.batteryVolts());
  createWearable(hal, t, wire, createMessageCounter(hal, t.counterStep)).start();
}

export function playInNode(machine: Machine, steps: Step[]): string[] {
  const hal = new LogicHal(BATTERY[machine], UNIX_START, nodeSha256);
  boot(machine, hal);
  for (const step of steps) {
    if ('press' in step) hal.edge(step.press);
    else if ('advance' in step) hal.advance(step.advance);
    else if ('feed' in step) hal.feed(step.feed);
    else hal.hear(step.hear);
  }
  return hal.lines;
}

const luaBoot: Record<Machine, string> = {
  post: `local t = {}
for name, value in pairs(require("firmware.src.config.defaults").postDefaults) do t[name] = value end
local counter = require("firmware.src.logic.counter").createMessageCounter(hal, t.counterStep)
local post
local link = require("firmware.src.logic.post-link").createPostLink(hal, t,
  function(payload) post.received(payload) end)
local wire = require("firmware.src.logic.post-wire").createPostWire(sha256, "${POST_ID}",
  FakeHal.bytes("${hex(POST_KEY)}"))
post = require("firmware.src.logic.post-alarm").createPost(hal, t, wire, counter, link)
post.start()`,
  wearable: `local t = {}
for name, value in pairs(require("firmware.src.config.defaults").wearableDefaults) do t[name] = value end
local wire = require("firmware.src.logic.wearable-wire").createWearableWire(sha256,
  FakeHal.bytes("${hex(WEARABLE_KEY)}"), function() return hal:batteryVolts() end)
local counter = require("firmware.src.logic.counter").createMessageCounter(hal, t.counterStep)
require("firmware.src.logic.wearable-alarm").createWearable(hal, t, wire, counter).start()`,
};

function luaStep(step: Step): string {
  if ('press' in step) return `hal:edge(${step.press})`;
  if ('advance' in step) return `hal:advance(${step.advance})`;
  if ('feed' in step) return `hal:feed("${step.feed}")`;
  return `hal:hear("${step.hear}")`;
}

/** The Lua program: arg[1] is dist/lua/, arg[2] the shim folder. */
export function luaProgram(machine: Machine, steps: Step[]): string {
  return `package.path = arg[1] .. "?.lua;" .. arg[2] .. "?.lua;" .. package.path
require("int32"); require("uint8array"); require("sha256"); require("fake-hal")
local hal = FakeHal.new(${BATTERY[machine]}, ${UNIX_START})
${luaBoot[machine]}
${steps.map(luaStep).join('\n')}
`;
}
