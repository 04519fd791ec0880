import { BadRequestException, Logger, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { lastValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { RpcErrorFilter } from './rpc-error.filter.js';

describe('RpcErrorFilter', () => {
  let logged: MockInstance<Logger['error']>;
  beforeEach(() => {
    logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('typed errors', () => {
    it('sends code, message and details as they are, without logging', async () => {
      expect(await payloadOf(new DaemonNotFound('arn:d1'))).toEqual({
        code: 'DAEMON_NOT_FOUND',
        message: 'daemon arn:d1 does not exist',
        details: { daemonArn: 'arn:d1' },
      });
      expect(logged).not.toHaveBeenCalled();
    });

    it('leaves out details that are not an object', async () => {
      const error = Object.assign(new Error('stale fencing token'), { code: 'STALE_FENCE', details: 'v3' });
      expect(await payloadOf(error)).toEqual({ code: 'STALE_FENCE', message: 'stale fencing token' });
    });

    it('takes an RpcException carrying a code as a typed error', async () => {
      const exception = new RpcException({ code: 'LIMIT_EXCEEDED', message: 'too many daemons', details: { limit: 10 } });
      expect(await payloadOf(exception)).toEqual({ code: 'LIMIT_EXCEEDED', message: 'too many daemons', details: { limit: 10 } });
    });
  });

  describe('anything else', () => {
    it.each([
      ['a plain Error', new Error('the disk is on fire'), 'the disk is on fire'],
      ['a Node system error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }), 'connect ECONNREFUSED'],
      ['a Node internal error', Object.assign(new TypeError('bad argument'), { code: 'ERR_INVALID_ARG_TYPE' }), 'bad argument'],
      ['a SQLite error', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), 'database is locked'],
      ['an RpcException without a code', new RpcException('no code here'), 'no code here'],
    ])('reports %s as INTERNAL and logs its stack', async (_what, error, message) => {
      expect(await payloadOf(error)).toEqual({ code: 'INTERNAL', message });
      expect(logged).toHaveBeenCalledWith(`handler failed: ${message}`, error.stack);
    });

    it('reports a thrown non-error as INTERNAL', async () => {
      expect(await payloadOf('just a string')).toEqual({ code: 'INTERNAL', message: 'just a string' });
    });
  });

  describe('validation failures', () => {
    it.each([
      ['a wrong type', { name: 'agent', batchSize: 'many' }, 'batchSize', 'batchSize must not be less than 1'],
      ['an undeclared property', { name: 'agent', batchSize: 1, color: 'red' }, 'color', 'property color should not exist'],
      ['a nested property', { name: 'agent', batchSize: 1, placement: { zone: 7 } }, 'placement.zone', 'placement.zone must be a string'],
      ['a nested undeclared property', { name: 'agent', batchSize: 1, placement: { zone: 'a', rack: 1 } }, 'placement.rack', 'placement.property rack should not exist'],
    ])('maps %s to INVALID_PARAMETER with the first message and the field', async (_what, value, field, message) => {
      expect(await payloadOf(await validationFailure(value))).toEqual({ code: 'INVALID_PARAMETER', message, details: { field } });
      expect(logged).not.toHaveBeenCalled();
    });

    it('takes the exact field from the grouped error format, where messages are not prefixed', async () => {
      const failure = await validationFailure({ name: 'agent', batchSize: 1, placement: { zone: 7 } }, { errorFormat: 'grouped' });
      expect(await payloadOf(failure)).toEqual({
        code: 'INVALID_PARAMETER',
        message: 'zone must be a string',
        details: { field: 'placement.zone' },
      });
    });

    it('maps a bare BadRequestException to INVALID_PARAMETER without a field', async () => {
      expect(await payloadOf(new BadRequestException('batch size too large'))).toEqual({
        code: 'INVALID_PARAMETER',
        message: 'batch size too large',
      });
    });
  });

  //// Fixtures

  class DaemonNotFound extends Error {
    readonly code = 'DAEMON_NOT_FOUND';
    readonly details: { daemonArn: string };
    constructor(daemonArn: string) {
      super(`daemon ${daemonArn} does not exist`);
      this.details = { daemonArn };
    }
  }

  class Placement {
    @IsString()
    zone: string;
  }

  class RegisterDaemon {
    @IsString()
    name: string;

    @IsInt()
    @Min(1)
    batchSize: number;

    @ValidateNested()
    @Type(() => Placement)
    placement?: Placement;
  }

  async function payloadOf(exception: unknown): Promise<unknown> {
    return lastValueFrom(new RpcErrorFilter().catch(exception)).catch((payload: unknown) => payload);
  }

  async function validationFailure(value: object, options: ValidationPipeOptions = {}): Promise<unknown> {
    const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, ...options });
    return pipe.transform(value, { type: 'body', metatype: RegisterDaemon }).then(
      () => {
        throw new Error('expected the pipe to reject');
      },
      (error: unknown) => error,
    );
  }
});
