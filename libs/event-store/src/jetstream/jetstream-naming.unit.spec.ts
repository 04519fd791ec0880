import { describe, expect, it } from 'vitest';
import { InvalidStreamIdError } from '../event-store.errors.js';
import { consumerNameFor, JetStreamNaming } from './jetstream-naming.js';
import { eventPosition, firstSequenceFor, lastPositionOf } from './jetstream-message.codec.js';

describe('JetStream naming', () => {
  const naming = new JetStreamNaming('DF_EVENTS', 'df.events');

  it('maps a stream id one to one onto a subject', () => {
    expect(naming.subjectOf('daemonDeployment-acct.eu-west-1.c1')).toBe('df.events.daemonDeployment.acct.eu-west-1.c1');
    expect(() => naming.subjectOf('daemon-a.>')).toThrow(InvalidStreamIdError);
  });

  it('refuses stream names and prefixes NATS would misread', () => {
    expect(() => new JetStreamNaming('DF.EVENTS', 'df.events')).toThrow(TypeError);
    expect(() => new JetStreamNaming('DF_EVENTS', 'df.*')).toThrow(TypeError);
  });

  it('keeps a valid consumer name and turns any other into a valid, distinct one', () => {
    expect(consumerNameFor('fleet-projector_1')).toBe('fleet-projector_1');
    const sanitised = ['fleet.projector', 'fleet projector', 'fleet_projector*', 'x'.repeat(100)].map(consumerNameFor);
    for (const name of sanitised) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set([...sanitised, consumerNameFor('fleet_projector')]).size).toBe(5);
  });
});

describe('JetStream global positions', () => {
  it('puts the last event of message seq at seq * 1000 and the others just below', () => {
    expect([0, 1, 2].map((i) => eventPosition(7, 3, i))).toEqual([6998, 6999, 7000]);
    expect(lastPositionOf(7)).toBe(7000);
  });

  it('finds the message holding a position', () => {
    expect([1, 999, 1000, 1001, 6998, 7000].map(firstSequenceFor)).toEqual([1, 1, 1, 2, 7, 7]);
    expect(firstSequenceFor(0)).toBe(1);
  });
});
