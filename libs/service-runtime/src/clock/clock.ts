import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** The only place services read the clock; the domain gets `now` on its commands (architecture section 5). */
export interface Clock {
  /** Wall-clock epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The only place services draw ids. */
export interface IdGenerator {
  uuid(): string;
  /** 16 random characters of [A-Za-z0-9], as ECS deployment ids (spec 1.1). */
  deploymentId(): string;
  /** A random positive int64 as 19 decimal digits, as ECS revision ids (spec 1.1). */
  revisionId(): string;
  /** `i-` and 17 lower-case hex digits, as EC2 instance ids (the simulated fleet's container instances). */
  instanceId(): string;
  /** 32 lower-case hex digits, as ECS task ids. */
  taskId(): string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const randomIds: IdGenerator = {
  uuid: () => randomUUID(),
  deploymentId: () => Array.from({ length: 16 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join(''),
  revisionId: () => {
    // The first digit is 1–8 so the number has 19 digits and stays below 2^63 - 1 = 9223372036854775807.
    const rest = Array.from({ length: 18 }, () => String(randomInt(10))).join('');
    return `${1 + randomInt(8)}${rest}`;
  },
  instanceId: () => `i-${randomBytes(9).toString('hex').slice(0, 17)}`,
  taskId: () => randomBytes(16).toString('hex'),
};
