#!/usr/bin/env node
// The `urgence` command. Node code in this workspace runs as TypeScript through tsx (no
// build step), so the launcher registers tsx's ESM loader and hands over to src/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
