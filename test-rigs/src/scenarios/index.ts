// Every scenario, in the order a rig runs them: the alarm paths first, then the faults.
import {
  brokerRestarted,
  gatewayKilled,
  powerCutMidAlarm,
  silentPost,
  tamperFault,
} from './faults';
import { postLifecycle, postRepeatPress } from './post';
import type { Scenario } from './scenario';
import { wearableCancel, wearableHoldAlarm } from './wearable';

// The gateway kill runs last among the posts' scenarios: when the close does not reach the
// post, the post keeps calling, and a scenario after it on the same place could not start.
export const scenarios: Scenario[] = [
  postLifecycle,
  postRepeatPress,
  wearableHoldAlarm,
  wearableCancel,
  brokerRestarted,
  powerCutMidAlarm,
  tamperFault,
  silentPost,
  gatewayKilled,
];
