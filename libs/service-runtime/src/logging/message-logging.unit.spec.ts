import { ErrorCode } from '@daemonfleet/contracts';
import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { messageErrorFields, messageLogLevel } from './logger.module.js';

/** The level of the line that closes each handled message: refusals are answers, only bugs and outages are errors. */
describe('how a handled message is logged', () => {
  const typed = (code: string) => Object.assign(new Error(`refused: ${code}`), { code });

  it('logs a handled message at debug', () => {
    expect(messageLogLevel(undefined)).toBe('debug');
  });

  it('logs a refusal the contract names (not found, invalid input) at info', () => {
    expect(messageLogLevel(typed(ErrorCode.ClusterNotFound))).toBe('info');
    expect(messageLogLevel(new BadRequestException(['count must not be greater than 1000']))).toBe('info');
  });

  it('logs a stale fence at warn: fencing worked, but a replica acted on an old view', () => {
    expect(messageLogLevel(typed(ErrorCode.StaleFencingToken))).toBe('warn');
  });

  it('logs bugs and outages at error, including errors that carry a system code', () => {
    expect(messageLogLevel(new TypeError('x is undefined'))).toBe('error');
    expect(messageLogLevel(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }))).toBe('error');
    expect(messageLogLevel(typed('SQLITE_BUSY'))).toBe('error');
  });

  it('logs a refusal by its code, message and details, without the error and its stack', () => {
    const refused = Object.assign(new Error('Cluster not found: nowhere'), { code: ErrorCode.ClusterNotFound, details: { clusterName: 'nowhere' } });
    expect(messageErrorFields(refused, { err: refused, responseTime: 3 })).toEqual({
      responseTime: 3,
      refusal: { code: ErrorCode.ClusterNotFound, message: 'Cluster not found: nowhere', details: { clusterName: 'nowhere' } },
    });
  });

  it('keeps the error, with its stack, of a bug', () => {
    const bug = new TypeError('x is undefined');
    expect(messageErrorFields(bug, { err: bug, responseTime: 3 })).toEqual({ err: bug, responseTime: 3 });
  });
});
