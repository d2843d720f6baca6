// Loads the cose-wg/Examples vectors copied into src/fixtures/cose-wg (see SOURCE.md there).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type CoseExample = {
  title: string;
  fail?: boolean;
  input: {
    plaintext?: string;
    plaintext_hex?: string;
    mac0: {
      external?: string;
      recipients: { key: { k?: string; k_hex?: string } }[];
    };
  };
  intermediates: { ToMac_hex: string; CEK_hex: string };
  output: { cbor: string };
};

export function loadExample(name: string): CoseExample {
  const url = new URL('../fixtures/cose-wg/' + name + '.json', import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as CoseExample;
}
