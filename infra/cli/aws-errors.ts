import { asError, hasErrorName } from '../../lambdas/shared/errors';

/** The SDK found no credentials, or AWS refused the ones it found as invalid or expired. */
const CREDENTIAL_ERRORS = [
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
];

/** Whether `err` says the credentials are missing, expired or not accepted. */
export function isCredentialError(err: unknown): boolean {
  return hasErrorName(err, ...CREDENTIAL_ERRORS);
}

/** `Name: message` of an SDK error (or another error), on one line. */
export function errorText(err: unknown): string {
  const e = asError(err);
  return `${e.name}: ${e.message}`.replace(/\s*\n\s*/g, ' ');
}

/**
 * The one line a credentials error gets: what happened, and the command that fixes it for the
 * profile in use (`--profile`, else AWS_PROFILE).
 */
export function credentialAdvice(err: unknown, profile: string | undefined, account: string): string {
  const fix =
    profile === undefined
      ? `sign in (aws sso login --profile <name>, then pass --profile <name> or set AWS_PROFILE)`
      : `sign in with aws sso login --profile ${profile}`;
  return (
    `error: no usable AWS credentials for account ${account} (${errorText(err)}): ` +
    `${fix} and run the same command again`
  );
}

/**
 * How a status line reads a region that did not answer. Credentials errors are rethrown: they are
 * not an outage, and every other region would fail the same way.
 */
export function unreachable(err: unknown): string {
  if (isCredentialError(err)) throw err;
  return `unreachable (${errorText(err)})`;
}
