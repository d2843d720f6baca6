// Authentication, authorisation and login throttling for the broker.
export { createAuthenticator } from './authenticate';
export type { CredentialStore } from './authenticate';
export { createAuthorizer } from './authorize';
export { maySubscribe, publishRefusal } from './acl';
export { identityOf, gatewayClientId, DISPATCH_PREFIX } from './identity';
export type { Identity } from './identity';
export { LoginThrottle } from './throttle';
export type { ThrottleOptions } from './throttle';
