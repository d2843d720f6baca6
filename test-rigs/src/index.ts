// Test rigs: the rig file, the drivers that realise its places (virtual or bench), the
// scenarios run on either, and the runner that reports them as JUnit XML.
export { loadRigFile, parseRig } from './rig/rigFile';
export type { Rig, Place, DeviceKind, SerialRef, FingerLine } from './rig/rigFile';
export { RigFileError } from './rig/check';
