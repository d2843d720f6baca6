// The firmware build as a library, for the test rigs and the CLI: bundle a device, check
// emitted code against Espruino's limits, and the device table with its budgets.
export { bundleDevice, budgetViolation, sizeLine, type Bundle } from './bundle';
export { devices, distDir, fixtureDevice, type DeviceBuild } from './devices';
export { checkEspruino, formatProblem, missingGlobals, type Problem } from './check';
