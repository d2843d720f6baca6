// Test rigs: the rig file, the drivers that realise its places (virtual or bench), the
// scenarios run on either, and the runner that reports them as JUnit XML.
export { loadRigFile, parseRig } from './rig/rigFile';
export type { Rig, Place, DeviceKind, SerialRef, FingerLine } from './rig/rigFile';
export { RigFileError } from './rig/check';
export type { DeviceUnderTest, Outputs } from './drivers/device';
export { openBench } from './drivers/bench/benchDriver';
export { openVirtualRig } from './virtual/virtualRig';
export type { VirtualRig, VirtualRigOptions } from './virtual/virtualRig';
export { System } from './system/system';
export { DispatchConsole } from './system/dispatchConsole';
export type { FeedIncident, FeedFault, DispatchCommand } from './system/dispatchConsole';
export { scenarios } from './scenarios/index';
export type { Scenario, ScenarioContext, RigSystem } from './scenarios/scenario';
export { runRig } from './runner/runRig';
export { junitXml, summary } from './runner/results';
export type { RunResult, CaseResult } from './runner/results';
