import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** ECS resource names: clusters, capacity providers, families, daemons, containers. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
export const NAME_RULE = 'must be 1 to 255 letters, digits, hyphens or underscores';

export class TagDto {
  @ApiProperty({ minLength: 1, maxLength: 128 })
  @IsString()
  @Length(1, 128)
  @Matches(/^(?![aA][wW][sS]:)/, { message: '$property must not start with the reserved prefix aws:' })
  key: string;

  @ApiProperty({ minLength: 0, maxLength: 256 })
  @IsString()
  @Length(0, 256)
  value: string;
}
