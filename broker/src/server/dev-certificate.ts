// A self-signed development certificate for the TLS listener when the configuration
// names none: made once with the system's openssl into the data folder and reused.
// It is for development and test rigs only; production must configure a real one.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface CertificatePaths {
  certPath: string;
  keyPath: string;
}

export function ensureDevCertificate(
  dataDir: string,
): CertificatePaths & { created: boolean } {
  const folder = join(dataDir, 'tls');
  const certPath = join(folder, 'dev-cert.pem');
  const keyPath = join(folder, 'dev-key.pem');
  if (existsSync(certPath) && existsSync(keyPath))
    return { certPath, keyPath, created: false };

  mkdirSync(folder, { recursive: true });
  // P-256: small and fast to make; 825 days: the longest validity clients still accept
  // for a server certificate; SAN for localhost, as clients ignore the CN.
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '825',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ];
  try {
    execFileSync('openssl', args, { stdio: 'pipe' });
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'the openssl command is not installed'
        : String((error as { stderr?: Buffer }).stderr ?? error);
    throw new Error(
      `cannot make a development TLS certificate (${reason}); set tls.certPath and tls.keyPath`,
      { cause: error },
    );
  }
  chmodSync(keyPath, 0o600);
  return { certPath, keyPath, created: true };
}
