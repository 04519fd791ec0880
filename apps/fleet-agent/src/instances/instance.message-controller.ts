import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ListInstancesQuery, Subjects, type InstanceRecord } from '@daemonfleet/contracts';

/**
 * The orchestrator's view of the fleet. Container instances (provisioned for services, or added through the
 * emulator's control endpoint) are not simulated yet, so every capacity provider has none and a deployment
 * finds nothing in scope (decision 5). Answering from the instances' streams comes with the rollout work.
 */
@Controller()
export class InstanceMessageController {
  @MessagePattern(Subjects.fleet.listInstances)
  listInstances(@Payload('data') _query: ListInstancesQuery): { instances: InstanceRecord[] } {
    return { instances: [] };
  }
}
