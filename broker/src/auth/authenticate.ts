// Login for gateways (id + secret, scrypt in the registry) and dispatch accounts
// (`dispatch:<name>` + secret, same registry). Every credential failure gets the same
// CONNACK (4, bad user name or password) after the same scrypt work.
import type { AuthenticateError, Client, ConnectPacket } from 'aedes';
import type { Logger } from 'pino';
import { publishRefusal } from './acl';
import { DISPATCH_PREFIX, gatewayClientId, setIdentity } from './identity';
import type { Identity } from './identity';
import type { LoginThrottle } from './throttle';

export interface CredentialStore {
  verifyGateway(id: string, secret: string): Promise<boolean>;
  verifyDispatcher(name: string, secret: string): Promise<boolean>;
}

export interface AuthOptions {
  credentials: CredentialStore;
  throttle: LoginThrottle;
  maxClientIdLength: number;
  logger: Logger;
  addressOf: (client: Client) => string;
}

// MQTT 3.1.1 §3.2.2.3 CONNACK return codes.
const IDENTIFIER_REJECTED = 2;
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

interface ConnectFacts {
  clientId: string;
  will?: { topic: string; qos: number; retain: boolean };
}

function claimedIdentity(username: string | undefined): Identity | undefined {
  if (username === undefined) return undefined;
  if (username.startsWith(DISPATCH_PREFIX)) {
    return { role: 'dispatch', name: username.slice(DISPATCH_PREFIX.length) };
  }
  return { role: 'gateway', gatewayId: username };
}

export function createAuthenticator(options: AuthOptions) {
  const facts = new WeakMap<Client, ConnectFacts>();
  const { credentials, throttle, logger } = options;

  // Aedes gives authenticate() no client id, so keep what the CONNECT said.
  function preConnect(
    client: Client,
    packet: ConnectPacket,
    done: (error: Error | null, ok: boolean) => void,
  ) {
    const will = packet.will;
    facts.set(client, {
      clientId: packet.clientId,
      will:
        will === undefined || will === null
          ? undefined
          : { topic: will.topic, qos: will.qos ?? 0, retain: will.retain ?? false },
    });
    done(null, true);
  }

  async function verify(identity: Identity | undefined, password: Buffer | undefined) {
    const secret = password === undefined ? '' : password.toString('utf8');
    if (identity?.role === 'dispatch') {
      return credentials.verifyDispatcher(identity.name, secret);
    }
    // Unknown shapes still cost a check against a name that cannot exist.
    return credentials.verifyGateway(identity?.gatewayId ?? '', secret);
  }

  async function check(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<Identity> {
    const connect = facts.get(client);
    const clientId = connect?.clientId ?? '';
    // MQTT-3.1.3-8/9: a zero-length id would get a persistent session in Aedes; refuse.
    if (clientId.length === 0 || clientId.length > options.maxClientIdLength) {
      throw refusal(IDENTIFIER_REJECTED, 'client id empty or too long');
    }
    const identity = claimedIdentity(username);
    if (
      identity?.role === 'gateway' &&
      clientId !== gatewayClientId(identity.gatewayId)
    ) {
      throw refusal(IDENTIFIER_REJECTED, 'gateway client id must be gw:<username>');
    }

    const address = options.addressOf(client);
    if (!throttle.tryBegin(address)) {
      throw refusal(BAD_CREDENTIALS, 'too many logins at once from this address');
    }
    try {
      const delay = throttle.delayFor(address);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const ok = await verify(identity, password);
      if (!ok || identity === undefined) {
        throttle.recordFailure(address);
        logger.info({ address, username, clientId }, 'login refused');
        throw refusal(BAD_CREDENTIALS, 'bad user name or password');
      }
      throttle.recordSuccess(address);
    } finally {
      throttle.end(address);
    }

    const will = connect?.will;
    const willRefusal =
      will === undefined
        ? undefined
        : publishRefusal(identity, will.topic, will.qos, will.retain);
    if (willRefusal !== undefined) {
      throw refusal(NOT_AUTHORIZED, `last will on ${will?.topic} is not allowed`);
    }
    return identity;
  }

  function authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, ok: boolean | null) => void,
  ) {
    check(client, username, password).then(
      (identity) => {
        setIdentity(client, identity);
        if (identity.role === 'dispatch') {
          logger.info(
            { dispatcher: identity.name, client: client.id },
            'dispatcher logged in',
          );
        }
        facts.delete(client);
        done(null, true);
      },
      (error: AuthenticateError) => {
        facts.delete(client);
        if (error.returnCode === undefined) {
          logger.error({ err: error }, 'login check failed');
          done(refusal(NOT_AUTHORIZED, 'login check failed'), false);
        } else {
          done(error, false);
        }
      },
    );
  }

  return { preConnect, authenticate };
}
