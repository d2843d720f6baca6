// bleno's Bleno class and its HCI bindings, loaded directly so the bindings are chosen by
// the caller (the package's default export also builds a second Bleno on the default HCI
// adapter as a side effect of being imported).
declare module '@stoprocent/bleno/lib/bleno.js' {
  import type { Bleno } from '@stoprocent/bleno';
  const BlenoClass: new (bindings: unknown) => Bleno;
  export default BlenoClass;
}

declare module '@stoprocent/bleno/lib/hci-socket/bindings.js' {
  const HciBindings: new (options: { deviceId: number }) => unknown;
  export default HciBindings;
}
