import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateDaemonDto, MessageMeta, Subjects, type CommandReply, type CreateDaemonResult } from '@daemonfleet/contracts';
import { CreateDaemonHandler } from './create-daemon.handler.js';

@Controller()
export class DaemonMessageController {
  constructor(private readonly createDaemonHandler: CreateDaemonHandler) {}

  @MessagePattern(Subjects.orchestrator.createDaemon)
  createDaemon(@Payload('data') dto: CreateDaemonDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<CreateDaemonResult>> {
    return this.createDaemonHandler.handle(dto, meta);
  }
}
