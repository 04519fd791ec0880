import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { DAEMON_DEPLOYMENT_STATUSES, ListDaemonDeploymentsDto, ListDaemonsDto, type DaemonDeploymentStatus } from '@daemonfleet/contracts';

/** A query string gives one value as a string and several as an array; list members always take the array. */
const asList = ({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value);

export class ListDaemonsQuery extends ListDaemonsDto {
  @ApiPropertyOptional({ type: [String], description: 'Repeat the parameter for several providers.' })
  @Transform(asList)
  override capacityProviderArns?: string[];
}

export class ListDaemonDeploymentsQuery extends ListDaemonDeploymentsDto {
  @ApiPropertyOptional({ enum: DAEMON_DEPLOYMENT_STATUSES, isArray: true, description: 'Repeat the parameter for several statuses.' })
  @Transform(asList)
  override status?: DaemonDeploymentStatus[];
}
