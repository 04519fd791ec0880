import { REGION_PATTERN, type Scope } from '@daemonfleet/contracts';

/**
 * The account and region a request of the AWS protocols acts in, read from its SigV4 credential scope
 * (`Authorization: AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/<service>/aws4_request, ...`).
 * Signatures are not checked (spec 5.1): daemonfleet has no users. What cannot be read falls back to the defaults
 * (DEFAULT_ACCOUNT_ID, DEFAULT_REGION), so unsigned requests (curl) work too.
 *
 * The account, from the access key id:
 * - 12 digits: that account (pick an account per client, as LocalStack does);
 * - an AWS key id of the current format (`AKIA`/`ASIA` and 16 base32 characters, generation bit set): the account
 *   AWS encodes in it (bits 1 to 40 of the base32 payload), so real credentials show their own account;
 * - anything else (`test`, the documentation's example keys, older key formats): the default account.
 */
export function credentialScope(authorization: string | undefined, defaults: Scope): Scope {
  const credential = /Credential=([^/,\s]+)\/[^/,\s]*\/([^/,\s]*)\//.exec(authorization ?? '');
  if (!credential) return { ...defaults };
  const [, accessKeyId, region] = credential;
  return { accountId: accountIdOf(accessKeyId) ?? defaults.accountId, region: REGION_PATTERN.test(region) ? region : defaults.region };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCOUNT_BITS = 40n;

/** The account an access key id names, or undefined when it names none (see credentialScope). */
export function accountIdOf(accessKeyId: string): string | undefined {
  if (/^[0-9]{12}$/.test(accessKeyId)) return accessKeyId;
  const key = /^(?:AKIA|ASIA)([A-Z2-7]{16})$/.exec(accessKeyId);
  if (!key) return undefined;
  // The first 9 characters carry 45 bits: the generation bit, the 40 bits of the account, then 4 other bits.
  const bits = [...key[1].slice(0, 9)].reduce((value, char) => (value << 5n) | BigInt(BASE32.indexOf(char)), 0n);
  const newGeneration = bits >> 44n === 1n;
  const account = (bits >> 4n) & ((1n << ACCOUNT_BITS) - 1n);
  return newGeneration && account < 1_000_000_000_000n ? account.toString().padStart(12, '0') : undefined;
}
