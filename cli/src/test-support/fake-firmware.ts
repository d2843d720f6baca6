// A few lines standing in for the urgence firmware where a test needs the CLI's side only:
// it answers urgence.info() from its Storage config with the real post bundle's field
// names (firmware/src/post/main.ts), so the CLI's reading of them is exercised.

export function fakeFirmware(version: string): string {
  return [
    'var config = require("Storage").readJSON("urgence.json", true) || {};',
    'var urgence = { info: function () { print(JSON.stringify({',
    `  version: ${JSON.stringify(version)}, id: config.id, kind: config.kind,`,
    '  battery: 13.1, mains: true, tamper: false, storageFree: 200000, counter: 12,',
    '  link: "ok", stage: "idle", badFrames: 0, lastFaults: [] })); } };',
  ].join('\n');
}
