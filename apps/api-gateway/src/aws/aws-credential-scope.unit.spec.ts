import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountIdOf, credentialScope } from './aws-credential-scope.js';

describe('credentialScope', () => {
  it('reads the region of the credential scope, and the account of the access key id', () => {
    expect(credentialScope(signed('123456789012', 'eu-west-3'), DEFAULTS)).toEqual({ accountId: '123456789012', region: 'eu-west-3' });
  });

  it('takes the default account for a test key, keeping the region', () => {
    expect(credentialScope(signed('test', 'ap-southeast-2'), DEFAULTS)).toEqual({ accountId: '000000000000', region: 'ap-southeast-2' });
  });

  it.each(['local', 'US-EAST-1', '', 'us-east'])('takes the default region for a region that is not a region code: %j', (region) => {
    expect(credentialScope(signed('test', region), DEFAULTS)).toEqual(DEFAULTS);
  });

  it.each([undefined, '', 'Bearer abc', 'AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00'])('takes the defaults without a credential scope: %j', (header) => {
    expect(credentialScope(header, DEFAULTS)).toEqual(DEFAULTS);
  });

  it('never throws, and always answers a 12-digit account and a region code', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `AWS4-HMAC-SHA256 Credential=${s}`)), (header) => {
        const scope = credentialScope(header, DEFAULTS);
        expect(scope.accountId).toMatch(/^[0-9]{12}$/);
        expect(scope.region).toMatch(/^[a-z]{2}(-[a-z]+)+-[0-9]+$/);
      }),
    );
  });
});

describe('accountIdOf', () => {
  it('decodes the account an access key id of the current format carries', () => {
    // The published example: ASIAY34FZKBOKMUTVV7A belongs to account 609629065308.
    expect(accountIdOf('ASIAY34FZKBOKMUTVV7A')).toBe('609629065308');
  });

  it('answers the same account for keys of one account (only the first characters carry it)', () => {
    expect(accountIdOf('AKIAY34FZKBOAAAAAAAA')).toBe('609629065308');
  });

  it.each(['AKIAIOSFODNN7EXAMPLE', 'AKIDEXAMPLE', 'test', 'akiay34fzkbokmutvv7a', '12345678901', '1234567890123'])('names no account for %s', (key) => {
    expect(accountIdOf(key)).toBeUndefined();
  });

  it('takes a 12-digit key id as the account itself', () => {
    expect(accountIdOf('000000000042')).toBe('000000000042');
  });
});

// Fixtures last.
const DEFAULTS = { accountId: '000000000000', region: 'us-east-1' };
function signed(accessKeyId: string, region: string): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;
}
