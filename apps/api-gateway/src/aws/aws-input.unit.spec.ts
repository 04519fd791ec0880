import type { ClassConstructor } from 'class-transformer';
import { CreateDaemonDto, RegisterTaskDefinitionDto } from '@daemonfleet/contracts';
import { RequestValidationError } from '@daemonfleet/service-runtime';
import { describe, expect, it } from 'vitest';
import { AwsException } from './aws-errors.js';
import { decodeBody, parseInput } from './aws-input.js';

describe('decodeBody', () => {
  it('reads a JSON object, and takes an empty body as {}', () => {
    expect(decodeBody(bytes('{"clusterName": "prod", "tags": []}'))).toEqual({ clusterName: 'prod', tags: [] });
    expect(decodeBody(Buffer.alloc(0))).toEqual({});
  });

  it.each([
    ['text that is not JSON', bytes('{"a": ')],
    ['a JSON array', bytes('[{}]')],
    ['JSON null', bytes('null')],
    ['a JSON number', bytes('42')],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xc3, 0x28, 0x7d])],
    ['a __proto__ member', bytes('{"tags": [{"__proto__": {"key": "x"}}]}')],
    ['a constructor member', bytes('{"constructor": {"prototype": 1}}')],
    ['a number JSON holds as Infinity', bytes('{"maxResults": 1e400}')],
    ['an Integer over 32 bits', bytes('{"desiredCount": 2147483648}')],
    ['an Integer under 32 bits, in a list', bytes('{"ignoredExitCodes": [0, -2147483649]}')],
  ])('refuses %s with SerializationException', (_what, body) => {
    expect(() => decodeBody(body)).toThrow(expect.objectContaining({ exceptionName: 'SerializationException' }));
  });

  it('lets the members that are no Integers hold larger numbers: their DTOs bound them', () => {
    expect(decodeBody(bytes('{"drainPercent": 1e20, "createdAt": {"after": 4102444800.5, "before": 1e12}}'))).toEqual({
      drainPercent: 1e20,
      createdAt: { after: 4102444800.5, before: 1e12 },
    });
    expect(decodeBody(bytes('{"desiredCount": 2147483647, "weight": -2147483648}'))).toEqual({ desiredCount: 2147483647, weight: -2147483648 });
  });
});

describe('parseInput', () => {
  it('answers the DTO of a valid request', async () => {
    const input = await parseInput('CreateDaemon', CreateDaemonDto, { daemonName: 'monitor', daemonTaskDefinitionArn: 'agent:1', capacityProviderArns: ['mi'] });
    expect(input).toBeInstanceOf(CreateDaemonDto);
  });

  it('names a member the operation does not take', async () => {
    const refused = parseInput('CreateDaemon', CreateDaemonDto, { daemonName: 'monitor', daemonTaskDefinitionArn: 'agent:1', capacityProviderArns: ['mi'], role: 'x' });
    await expect(refused).rejects.toThrow(new RequestValidationError('role', 'role: CreateDaemon in daemonfleet does not take this member'));
  });

  it('keeps the validation’s own message for other failures', async () => {
    await expect(parseInput('CreateDaemon', CreateDaemonDto, { daemonName: 'bad name', daemonTaskDefinitionArn: 'agent:1', capacityProviderArns: ['mi'] })).rejects.toThrow(/^daemonName must be/);
  });

  it.each<[string, Record<string, unknown>, ClassConstructor<object>]>([
    ['a list in place of a structure', { daemonName: 'm', daemonTaskDefinitionArn: 'a:1', capacityProviderArns: ['mi'], deploymentConfiguration: [] }, CreateDaemonDto],
    ['a list in place of a structure in a list', { family: 'web', containerDefinitions: [[]] }, RegisterTaskDefinitionDto],
  ])('refuses %s with SerializationException', async (_what, body, dto) => {
    await expect(parseInput('Op', dto, body)).rejects.toBeInstanceOf(AwsException);
    await expect(parseInput('Op', dto, body)).rejects.toMatchObject({ exceptionName: 'SerializationException' });
  });
});

// Fixtures last.
function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
