import { Type } from 'class-transformer';
import { IsString, Length, Matches, ValidateNested } from 'class-validator';
import { ACCOUNT_ID_PATTERN, REGION_PATTERN, type Scope } from '../scope.js';

export class ScopeDto implements Scope {
  @Matches(ACCOUNT_ID_PATTERN) accountId: string;
  @Matches(REGION_PATTERN) region: string;
}

/** Who asked, for whom, and which request it belongs to: travels with every command and query. */
export class MessageMeta {
  @IsString() @Length(1, 128) correlationId: string;
  @ValidateNested() @Type(() => ScopeDto) scope: ScopeDto;
  /** The caller, as ECS reports it in `registeredBy`. */
  @IsString() @Length(1, 2048) principalArn: string;
}

export interface Envelope<Data> {
  readonly data: Data;
  readonly meta: MessageMeta;
}

/** A command's reply: its result, and the store position of the last event it wrote (or that already stood). */
export interface CommandReply<Result> {
  readonly result: Result;
  readonly position: number;
}
