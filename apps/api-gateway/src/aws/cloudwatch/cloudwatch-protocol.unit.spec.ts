import { gzipSync } from 'node:zlib';
import { RequestValidationError } from '@daemonfleet/service-runtime';
import { describe, expect, it } from 'vitest';
import { awsProtocolFor } from '../aws-protocols.js';
import { ECS_PROTOCOL } from '../ecs/ecs-protocol.js';
import { CLOUDWATCH_PROTOCOL, MAX_INFLATED_BYTES } from './cloudwatch-protocol.js';

describe('CLOUDWATCH_PROTOCOL', () => {
  const decode = (raw: Buffer, contentEncoding?: string) => CLOUDWATCH_PROTOCOL.decode(raw, contentEncoding === undefined ? {} : { 'content-encoding': contentEncoding });

  it('is chosen by its target prefix; a missing or foreign target is ECS’s', () => {
    expect(awsProtocolFor('GraniteServiceVersion20100801.PutMetricData')).toBe(CLOUDWATCH_PROTOCOL);
    expect(awsProtocolFor('GraniteServiceVersion20100801.')).toBe(CLOUDWATCH_PROTOCOL);
    expect(awsProtocolFor('AmazonEC2ContainerServiceV20141113.ListClusters')).toBe(ECS_PROTOCOL);
    expect(awsProtocolFor('GraniteServiceVersion20100802.PutMetricData')).toBe(ECS_PROTOCOL);
    expect(awsProtocolFor(undefined)).toBe(ECS_PROTOCOL);
  });

  it('reads a JSON body, plain or gzip (the client compresses PutMetricData from 10 KiB on)', () => {
    const body = { Namespace: 'App', MetricData: [{ MetricName: 'Latency', Value: 1.5 }] };
    expect(decode(Buffer.from(JSON.stringify(body)))).toEqual(body);
    expect(decode(gzipSync(JSON.stringify(body)), 'gzip')).toEqual(body);
    expect(decode(gzipSync(JSON.stringify(body)), 'identity, GZIP')).toEqual(body);
    expect(decode(Buffer.from(JSON.stringify(body)), 'identity')).toEqual(body);
  });

  it('refuses what is not gzip, codings it does not know, and bodies that inflate past the limit', () => {
    expect(() => decode(Buffer.from('{}'), 'gzip')).toThrow(expect.objectContaining({ exceptionName: 'SerializationException' }));
    expect(() => decode(Buffer.from('{}'), 'br')).toThrow(expect.objectContaining({ exceptionName: 'SerializationException' }));
    expect(() => decode(gzipSync(' '.repeat(MAX_INFLATED_BYTES + 1)), 'gzip')).toThrow(RequestValidationError);
    expect(decode(gzipSync(`{}${' '.repeat(MAX_INFLATED_BYTES - 2)}`), 'gzip')).toEqual({});
  });

  it('bounds its Integers to 32 bits, and lets its Doubles (list items included) hold any finite number', () => {
    expect(() => decode(Buffer.from('{"Period": 2147483648}'))).toThrow(expect.objectContaining({ exceptionName: 'SerializationException' }));
    expect(decode(Buffer.from('{"Threshold": 1e300, "MetricData": [{"Values": [1e20, 3e9], "Counts": [4294967296]}]}'))).toEqual({
      Threshold: 1e300,
      MetricData: [{ Values: [1e20, 3e9], Counts: [4294967296] }],
    });
    expect(() => decode(Buffer.from('{"Threshold": 1e400}'))).toThrow(expect.objectContaining({ exceptionName: 'SerializationException' }));
  });
});
