import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DaemonTaskDefinitionRefDto,
  MessageMeta,
  RegisterDaemonTaskDefinitionDto,
  Streams,
  Subjects,
  type CommandReply,
  type DaemonContainerDefinitionSpec,
  type DaemonTaskDefinitionSpec,
} from '@daemonfleet/contracts';
import { resolveDaemonTaskDefinitionReference } from '@daemonfleet/domain';
import { CLOCK, type Clock } from '@daemonfleet/service-runtime';
import { TASK_DEFINITION_FAMILIES, type TaskDefinitionFamilies } from '../orchestrator.aggregates.js';

@Controller()
export class DaemonTaskDefinitionMessageController {
  constructor(
    @Inject(TASK_DEFINITION_FAMILIES) private readonly families: TaskDefinitionFamilies,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(Subjects.orchestrator.registerDaemonTaskDefinition)
  async register(
    @Payload('data') dto: RegisterDaemonTaskDefinitionDto,
    @Payload('meta') meta: MessageMeta,
  ): Promise<CommandReply<{ daemonTaskDefinitionArn: string }>> {
    const now = this.clock.now();
    const handled = await this.families.handle(
      Streams.daemonTaskDefinitionFamily(meta.scope, dto.family),
      { type: 'RegisterDaemonTaskDefinition', data: { scope: meta.scope, family: dto.family, definition: toSpec(dto), registeredBy: meta.principalArn, now } },
      { correlationId: meta.correlationId, now },
    );
    const registered = handled.state.revisions.get(handled.state.latestRevision)!;
    return { result: { daemonTaskDefinitionArn: registered.daemonTaskDefinitionArn }, position: handled.position };
  }

  @MessagePattern(Subjects.orchestrator.deleteDaemonTaskDefinition)
  async delete(@Payload('data') dto: DaemonTaskDefinitionRefDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ daemonTaskDefinitionArn: string }>> {
    // A bare family is refused: deleting must name the revision (spec 2.4).
    const reference = resolveDaemonTaskDefinitionReference('daemonTaskDefinition', dto.daemonTaskDefinition, meta.scope, { requireRevision: true });
    const revision = reference.revision!;
    const now = this.clock.now();
    const handled = await this.families.handle(
      Streams.daemonTaskDefinitionFamily(reference.scope, reference.family),
      { type: 'DeleteDaemonTaskDefinition', data: { reference: dto.daemonTaskDefinition, revision, now } },
      { correlationId: meta.correlationId, now },
    );
    return { result: { daemonTaskDefinitionArn: handled.state.revisions.get(revision)!.daemonTaskDefinitionArn }, position: handled.position };
  }
}

/** The definition as stored: plain data, with the defaults ECS applies (essential containers, empty lists). */
function toSpec(dto: RegisterDaemonTaskDefinitionDto): DaemonTaskDefinitionSpec {
  const plain = JSON.parse(JSON.stringify(dto)) as RegisterDaemonTaskDefinitionDto;
  const { family: _family, containerDefinitions, volumes, tags, ...rest } = plain;
  return {
    ...rest,
    containerDefinitions: containerDefinitions.map((container): DaemonContainerDefinitionSpec => ({ ...container, essential: container.essential ?? true })),
    volumes: (volumes ?? []) as unknown as Record<string, unknown>[],
    tags: tags ?? [],
  };
}
