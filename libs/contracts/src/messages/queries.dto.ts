import { ArrayMaxSize, IsArray, IsString, Length } from 'class-validator';

/** Payloads of the queries services ask each other; validated at the receiving service like any entry point. */
export class GetClustersQuery {
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 2048, { each: true })
  clusterArns: string[];
}

export class GetCapacityProvidersQuery {
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 2048, { each: true })
  capacityProviderArns: string[];
}

export class GetAlarmStatesQuery {
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 255, { each: true })
  alarmNames: string[];
}

export class PingQuery {}
