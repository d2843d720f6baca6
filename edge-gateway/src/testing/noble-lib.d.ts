// noble's Noble class, loaded directly so a fake bindings object can be passed to its
// constructor (the package's default export builds HCI bindings on import).
declare module '@stoprocent/noble/lib/noble.js' {
  import type { Noble } from '@stoprocent/noble';
  const NobleClass: new (bindings: unknown) => Noble;
  export default NobleClass;
}
