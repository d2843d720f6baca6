// Entry point of the `urgence` binary (bin/urgence.js loads it through tsx).

import { buildProgram } from './program';

await buildProgram().parseAsync(process.argv);
