// The registry file the CLI works on: the broker's own SQLite registry (@urgence/broker),
// opened directly so provisioning works offline in the street. Registry errors become
// exit code 4 with a next step. A registry that is not there is refused rather than made:
// a mistyped path would otherwise show an empty fleet, or register a device where the
// broker never looks. Only provision and gateway add may make one, when told to.

import { existsSync } from 'node:fs';
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

export interface RegistryAccess {
  /** Make an empty registry if there is none at the path (--create-registry). */
  create?: boolean;
}

export async function withRegistry<T>(
  path: string,
  body: (registry: Registry) => Promise<T> | T,
  access: RegistryAccess = {},
): Promise<T> {
  if (access.create !== true) requireRegistryFile(path);
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

/** Refuses (exit 4) a registry path where there is no file. */
export function requireRegistryFile(path: string): void {
  if (existsSync(path)) return;
  throw new CliError(
    ExitCode.Registry,
    `there is no registry file at ${path}`,
    'name the registry file you were given with --registry FILE or ' +
      '`export URGENCE_REGISTRY=FILE`; to start a new, empty registry there, run ' +
      '`urgence provision` or `urgence gateway add` with --create-registry',
  );
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
