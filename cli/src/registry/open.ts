// The registry file the CLI works on: the broker's own SQLite registry (@urgence/broker),
// opened directly so provisioning works offline in the street. Registry errors become
// exit code 4 with a next step.

import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Registry, RegistryError } from '@urgence/broker';
import { CliError, ExitCode } from '../exit-codes';

/** --registry, else $URGENCE_REGISTRY, else the technician's data directory. */
export function registryPath(option: string | undefined): string {
  if (option !== undefined) return option;
  const fromEnvironment = process.env['URGENCE_REGISTRY'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const dataHome = process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share');
  return join(dataHome, 'urgence', 'registry.sqlite');
}

export async function withRegistry<T>(
  path: string,
  body: (registry: Registry) => Promise<T> | T,
): Promise<T> {
  // Loaded on use: @urgence/broker pulls in the broker server (~1 s of start-up), which
  // commands that never touch the registry should not pay for.
  const broker = await import('@urgence/broker');
  let registry: Registry;
  try {
    registry = broker.openRegistry(path);
  } catch (error) {
    throw new CliError(
      ExitCode.Registry,
      `cannot open the registry ${path}: ${error instanceof Error ? error.message : error}`,
      'check --registry (or $URGENCE_REGISTRY) names the registry file you were given',
    );
  }
  try {
    return await body(registry);
  } catch (error) {
    throw error instanceof broker.RegistryError ? registryFailure(error) : error;
  } finally {
    registry.close();
  }
}

function registryFailure(error: RegistryError): CliError {
  const hints: Partial<Record<RegistryError['code'], string>> = {
    exists: 'pick another id, or pass --replace if this device really takes over the id',
    'not-found': 'check the id with `urgence status --json`',
  };
  return new CliError(ExitCode.Registry, error.message, hints[error.code]);
}

/** The device's record, failing with exit code 4 when it is unknown or retired. */
export function requireActiveDevice(registry: Registry, id: string) {
  const device = registry.getDevice(id);
  if (device === undefined || device.retired) {
    throw new CliError(
      ExitCode.Registry,
      device === undefined
        ? `device ${id} is not in the registry`
        : `device ${id} is retired`,
      'check the id; `urgence provision` registers a device',
    );
  }
  return device;
}
