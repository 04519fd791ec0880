/** A domain event as deciders see it: a type and its data. Metadata is added when it is stored. */
export interface Event<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

/** Every event-data timestamp is epoch milliseconds, wall clock, taken from the command that caused it. */
export type EpochMillis = number;

export interface Tag {
  readonly key: string;
  readonly value: string;
}
