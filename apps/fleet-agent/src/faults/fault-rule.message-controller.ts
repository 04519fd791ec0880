import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AddFaultRuleDto, FaultRefDto, MessageMeta, Streams, Subjects, type CommandReply } from '@daemonfleet/contracts';
import { CLOCK, IDS, type Clock, type IdGenerator } from '@daemonfleet/service-runtime';
import { FAULT_RULES, type FaultRules } from '../fleet.aggregates.js';
import { FaultRuleView } from './fault-rule.view.js';

/**
 * Emulator control: fault rules on container images. A rule is in force on this replica when the reply leaves
 * (the view has read it); the other replicas read it from the store moments later.
 */
@Controller()
export class FaultRuleMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(FAULT_RULES) private readonly rules: FaultRules,
    private readonly view: FaultRuleView,
  ) {}

  /** A new rule, with a new id: 32 hexadecimal digits (FAULT_ID_PATTERN), drawn as a task id is. */
  @MessagePattern(Subjects.fleet.addFaultRule)
  async add(@Payload('data') dto: AddFaultRuleDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ faultId: string }>> {
    const now = this.clock.now();
    const faultId = this.ids.taskId();
    const data = {
      faultId,
      image: dto.image,
      daemonTaskStartFailureRate: dto.daemonTaskStartFailureRate ?? 0,
      instanceProvisioningFailureRate: dto.instanceProvisioningFailureRate ?? 0,
      now,
    };
    const handled = await this.rules.handle(Streams.faultRule(meta.scope, faultId), { type: 'AddFaultRule', data }, { correlationId: meta.correlationId, now });
    await this.view.reach(handled.position);
    return { result: { faultId }, position: handled.position };
  }

  @MessagePattern(Subjects.fleet.removeFaultRule)
  async remove(@Payload('data') dto: FaultRefDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ faultId: string }>> {
    const now = this.clock.now();
    const { faultId } = dto;
    const handled = await this.rules.handle(Streams.faultRule(meta.scope, faultId), { type: 'RemoveFaultRule', data: { faultId, now } }, { correlationId: meta.correlationId, now });
    await this.view.reach(handled.position);
    return { result: { faultId }, position: handled.position };
  }
}
