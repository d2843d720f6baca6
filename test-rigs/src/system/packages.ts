// Where a workspace package's entry lives on disk. import.meta.resolve is not there when
// the code runs under uvu's require hook, so Node's resolver is reached through createRequire.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** File URL of a package's entry (its "exports" "." target). */
export function packageEntry(name: string): URL {
  return pathToFileURL(require.resolve(name));
}
