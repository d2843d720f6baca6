// @urgence/cli as a library: the provisioning flow, the console protocol and port ranking,
// for the test rigs.
export { EspruinoConsole, DeviceException } from './console/espruino-console';
export type { Evaluation, ConsoleOptions } from './console/espruino-console';
export { openSerialLink, defaultBaudRate } from './console/serial-link';
export type { ByteLink } from './console/serial-link';
export {
  uploadFile,
  storedCrc32,
  verifyStoredFile,
  localCrc32,
} from './console/storage-upload';
export { readInfo, restartAndWait, writeConfig, wipeConfig } from './console/device';
export type { DeviceInfo, DeviceConfig } from './console/device';
export { rankPorts, pickPort } from './ports/score';
export { PortScore } from './ports/fingerprints';
export { listPorts } from './ports/list';
export { buildProgram } from './program';
export { provisionDevice, keyFingerprint } from './provision/provision-device';
export type { ProvisionRequest, Provisioned } from './provision/provision-device';
export { ExitCode, CliError } from './exit-codes';
