import { IsOptional, IsString } from 'class-validator';
import { describe, expect, it } from 'vitest';
import type { AwsRequestContext } from '../aws-protocol.js';
import { cloudWatchOperation } from './cloudwatch-operation.js';

class Request {
  @IsString() Name: string;
  @IsOptional() Items?: unknown[];
}

describe('cloudWatchOperation', () => {
  const operation = cloudWatchOperation('Op', Request, { required: ['Name', 'Items[].Key', 'Items[].Tags[].Value'] }, async (input) => ({ echoed: input.Name }));
  const run = (body: Record<string, unknown>) => operation(body, CONTEXT);

  it('runs the handler on a body with every required member', async () => {
    await expect(run({ Name: 'a', Items: [{ Key: 'k', Tags: [{ Value: 'v' }] }] })).resolves.toEqual({ echoed: 'a' });
  });

  it.each([
    [{}, 'Name'],
    [{ Name: null }, 'Name'],
    [{ Name: 'a', Items: [{ Key: 'k' }, {}] }, 'Items.1.Key'],
    [{ Name: 'a', Items: [{ Key: 'k', Tags: [{ Value: 'v' }, { Value: null }] }] }, 'Items.0.Tags.1.Value'],
  ])('answers MissingRequiredParameterException for %j, naming %s', async (body, path) => {
    await expect(run(body)).rejects.toMatchObject({ exceptionName: 'MissingRequiredParameterException', message: `The parameter ${path} is required.` });
  });

  it('leaves a member of the wrong type to the DTO: it is there, so it is not missing', async () => {
    await expect(run({ Name: 'a', Items: 'not a list' })).resolves.toEqual({ echoed: 'a' });
    await expect(run({ Name: 'a', Items: ['not a structure'] })).resolves.toEqual({ echoed: 'a' });
    await expect(run({ Name: 5 })).rejects.toThrow(/Name must be a string/);
  });

  it('does not take a member of Object.prototype for a given one', async () => {
    const onPrototype = cloudWatchOperation('Op', Request, { required: ['toString'] }, async () => ({}));
    await expect(onPrototype({}, CONTEXT)).rejects.toMatchObject({ exceptionName: 'MissingRequiredParameterException' });
  });
});

// Fixtures last.
const CONTEXT: AwsRequestContext = {
  scope: { accountId: '000000000000', region: 'us-east-1' },
  meta: { correlationId: 'c', scope: { accountId: '000000000000', region: 'us-east-1' }, principalArn: 'arn:aws:iam::000000000000:user/daemonfleet' },
};
