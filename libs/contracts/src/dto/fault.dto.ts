import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

/** Emulator control: `POST /v1/faults`. Rates are probabilities from 0 to 1. */
export class AddFaultRuleDto {
  @ApiProperty({ description: 'Container image a daemon task definition runs, e.g. public.ecr.aws/example/agent:2.0' })
  @IsString() @Length(1, 4096)
  image: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  daemonTaskStartFailureRate?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  instanceProvisioningFailureRate?: number;
}

export const FAULT_ID_PATTERN = /^[a-f0-9]{32}$/;

export class FaultRefDto {
  @ApiProperty() @Matches(FAULT_ID_PATTERN, { message: '$property must be a fault id (32 hexadecimal digits)' }) faultId: string;
}
