// `urgence gateway add|list|remove`: gateways' MQTT credentials. The secret is made here,
// printed once, and only its scrypt hash is stored (the registry does the hashing).

import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Output } from '../output';
import { registryPath, withRegistry } from '../registry/open';
import { addExample, addJsonOption, runAction, type JsonOption } from './common';
import { parseGatewayId, parseLocation } from './validate';

interface GatewayOptions extends JsonOption {
  registry?: string;
  location?: string;
  replace?: boolean;
  createRegistry?: boolean;
}

export function registerGateway(program: Command): void {
  const gateway = program.command('gateway').description("gateways' credentials");
  addExample(
    gateway,
    'urgence gateway add gw-001 --location 48.8566,2.3522,"Hôtel de Ville"',
    'urgence gateway list --json',
    'urgence gateway remove gw-001',
  );

  const add = gateway
    .command('add')
    .description('register a gateway and print its new secret (shown this once only)')
    .argument('<id>', 'gateway id, e.g. gw-001')
    .requiredOption('--location <lat,lon[,label]>', 'where the gateway is installed')
    .option('--replace', 'issue a new secret for an existing gateway (the old one stops)')
    .option('--registry <file>', 'registry file (default $URGENCE_REGISTRY)')
    .option(
      '--create-registry',
      'start a new, empty registry if the file does not exist',
    );
  addJsonOption(add);
  addExample(
    add,
    'urgence gateway add gw-001 --location 48.8566,2.3522,"Hôtel de Ville"',
  );
  add.action((id: string, options: GatewayOptions) =>
    runAction(options, (output) => addGateway(id, options, output)),
  );

  const list = gateway
    .command('list')
    .description('list registered gateways (never their secrets)')
    .option('--registry <file>', 'registry file (default $URGENCE_REGISTRY)');
  addJsonOption(list);
  addExample(list, 'urgence gateway list');
  list.action((options: GatewayOptions) =>
    runAction(options, (output) => listGateways(options, output)),
  );

  const remove = gateway
    .command('remove')
    .description('revoke a gateway: its secret stops working at its next connection')
    .argument('<id>', 'gateway id')
    .option('--registry <file>', 'registry file (default $URGENCE_REGISTRY)');
  addJsonOption(remove);
  addExample(remove, 'urgence gateway remove gw-001');
  remove.action((id: string, options: GatewayOptions) =>
    runAction(options, async (output) => {
      const gatewayId = parseGatewayId(id);
      await withRegistry(registryPath(options.registry), (r) =>
        r.removeGateway(gatewayId),
      );
      output.result({ id: gatewayId, removed: true }, [`removed gateway ${gatewayId}`]);
    }),
  );
}

async function addGateway(id: string, options: GatewayOptions, output: Output) {
  const gatewayId = parseGatewayId(id);
  const location = parseLocation(options.location ?? '');
  // 24 random bytes: 192 bits, well past the registry's 16-character minimum.
  const secret = randomBytes(24).toString('base64url');
  await withRegistry(
    registryPath(options.registry),
    (r) =>
      r.addGateway({ id: gatewayId, secret, location }, { replace: options.replace }),
    { create: options.createRegistry },
  );
  output.result(
    { id: gatewayId, username: gatewayId, secret, clientId: `gw:${gatewayId}` },
    [
      `registered gateway ${gatewayId}`,
      `MQTT username ${gatewayId}, client id gw:${gatewayId}`,
      `secret ${secret}`,
      'write the secret into the gateway config now: it is stored only hashed ' +
        'and will not be shown again',
    ],
  );
}

async function listGateways(options: GatewayOptions, output: Output) {
  const gateways = await withRegistry(registryPath(options.registry), (r) =>
    r.listGateways(),
  );
  output.result(
    { gateways },
    gateways.length === 0
      ? ['no gateways registered']
      : gateways.map(
          (g) =>
            `${g.id.padEnd(16)} ${g.location.lat},${g.location.lon}` +
            (g.location.label === undefined ? '' : `  ${g.location.label}`),
        ),
  );
}
