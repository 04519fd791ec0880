import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MessageMeta, RegisterTaskDefinitionDto, Streams, Subjects, type CommandReply } from '@daemonfleet/contracts';
import { CLOCK, type Clock } from '@daemonfleet/service-runtime';
import { TASK_DEFINITION_FAMILIES, type TaskDefinitionFamilies } from '../fleet.aggregates.js';

/** Application task definitions: what services run. Revisions never change once registered. */
@Controller()
export class TaskDefinitionMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TASK_DEFINITION_FAMILIES) private readonly families: TaskDefinitionFamilies,
  ) {}

  @MessagePattern(Subjects.fleet.registerTaskDefinition)
  async register(@Payload('data') dto: RegisterTaskDefinitionDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ taskDefinitionArn: string }>> {
    const now = this.clock.now();
    const { family, ...rest } = dto;
    // Stored as the plain JSON it arrived as: the event holds data, not the DTO's class instances.
    const definition = JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
    const handled = await this.families.handle(
      Streams.taskDefinitionFamily(meta.scope, family),
      { type: 'RegisterTaskDefinition', data: { scope: meta.scope, family, definition, now } },
      { correlationId: meta.correlationId, now },
    );
    return { result: { taskDefinitionArn: handled.newEvents[0].data.taskDefinitionArn }, position: handled.position };
  }
}
