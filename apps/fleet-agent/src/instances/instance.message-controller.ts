import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AddInstancesCommandDto,
  AdoptDaemonTasksCommand,
  MessageMeta,
  StartInstanceDrainsCommand,
  Streams,
  Subjects,
  type CommandReply,
  type InstanceProvisioningStarted,
} from '@daemonfleet/contracts';
import { adoptedFor, drainingFor, type CapacityProviderState } from '@daemonfleet/domain';
import { CLOCK, type Clock, type CommandContext } from '@daemonfleet/service-runtime';
import { CapacityProviders } from '../capacity-providers/capacity-providers.js';
import { providerStreamOf } from '../fleet-streams.js';
import { DaemonPlacements } from '../simulation/daemon-placements.js';
import { FleetSimulation } from '../simulation/fleet-simulation.js';
import { FleetTicker } from '../simulation/fleet-ticker.js';

/**
 * A drain and its replacement are two events, and one append holds at most 1000: drains are decided this many at a
 * time. Each instance is drained at most once (the command is idempotent per instance), so a crash between two
 * appends leaves the rest for the orchestrator's next request.
 */
const DRAINS_PER_APPEND = 500;

/** Commands on a provider's instances: the emulator's AddInstances, and a deployment's drains and adoptions. */
@Controller()
export class InstanceMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly providers: CapacityProviders,
    private readonly placements: DaemonPlacements,
    private readonly simulation: FleetSimulation,
    private readonly ticker: FleetTicker,
  ) {}

  @MessagePattern(Subjects.fleet.addInstances)
  async addInstances(@Payload('data') dto: AddInstancesCommandDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ containerInstanceArns: string[] }>> {
    const streamId = Streams.capacityProvider(meta.scope, dto.capacityProvider);
    const context = this.context(meta);
    const { timings, ids } = this.simulation;
    const handled = await this.providers.handle(
      streamId,
      {
        type: 'AddInstances',
        data: { capacityProvider: dto.capacityProvider, count: dto.count, reason: 'EMULATOR_REQUEST', placements: this.placements.all(), timings, now: context.now, ids },
      },
      context,
    );
    this.ticker.request(streamId, context);
    const provisioned = handled.newEvents as InstanceProvisioningStarted[];
    return { result: { containerInstanceArns: provisioned.map((event) => event.data.containerInstanceArn) }, position: handled.position };
  }

  @MessagePattern(Subjects.fleet.startInstanceDrains)
  async startInstanceDrains(@Payload('data') dto: StartInstanceDrainsCommand, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ draining: string[] }>> {
    const streamId = providerStreamOf(dto.capacityProviderArn, 'capacityProviderArn');
    const context = this.context(meta);
    const { timings, ids } = this.simulation;
    let handled;
    for (let from = 0; from < dto.instanceIds.length; from += DRAINS_PER_APPEND) {
      const data = {
        capacityProvider: dto.capacityProviderArn,
        deploymentId: dto.deploymentId,
        fence: dto.fence,
        daemonArn: dto.daemonArn,
        replacementDaemon: dto.replacementDaemon,
        instanceIds: dto.instanceIds.slice(from, from + DRAINS_PER_APPEND),
        placements: this.placements.all(),
        timings,
        now: context.now,
        ids,
      };
      handled = await this.providers.handle(streamId, { type: 'StartInstanceDrains', data }, context);
    }
    const draining = drainingFor(fleetOf(handled!.state), dto.deploymentId, dto.instanceIds);
    this.ticker.request(streamId, context);
    return { result: { draining }, position: handled!.position };
  }

  @MessagePattern(Subjects.fleet.adoptDaemonTasks)
  async adoptDaemonTasks(@Payload('data') dto: AdoptDaemonTasksCommand, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ adopted: string[] }>> {
    const streamId = providerStreamOf(dto.capacityProviderArn, 'capacityProviderArn');
    const context = this.context(meta);
    const { deploymentId, fence, daemonArn, toRevisionArn, instanceIds } = dto;
    const handled = await this.providers.handle(
      streamId,
      { type: 'AdoptDaemonTasks', data: { capacityProvider: dto.capacityProviderArn, deploymentId, fence, daemonArn, toRevisionArn, instanceIds, now: context.now } },
      context,
    );
    return { result: { adopted: adoptedFor(fleetOf(handled.state), daemonArn, toRevisionArn, instanceIds) }, position: handled.position };
  }

  private context(meta: MessageMeta): CommandContext {
    return { correlationId: meta.correlationId, now: this.clock.now() };
  }
}

/** The commands above throw for a provider that does not exist, so the state they answer with is ACTIVE. */
function fleetOf(state: CapacityProviderState) {
  if (state.status !== 'ACTIVE') throw new Error('a fleet command succeeded on a provider that does not exist');
  return state.fleet;
}
