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

export const scenarios: Scenario[] = [
  postLifecycle,
  postRepeatPress,
  wearableHoldAlarm,
  wearableCancel,
  gatewayKilled,
  brokerRestarted,
  powerCutMidAlarm,
  tamperFault,
  silentPost,
];
