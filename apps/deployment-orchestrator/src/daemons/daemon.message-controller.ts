import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateDaemonDto,
  DaemonRefDto,
  MessageMeta,
  Subjects,
  UpdateDaemonDto,
  type CommandReply,
  type CreateDaemonResult,
  type DaemonCommandResult,
} from '@daemonfleet/contracts';
import { CreateDaemonHandler } from './create-daemon.handler.js';
import { DeleteDaemonHandler } from './delete-daemon.handler.js';
import { UpdateDaemonHandler } from './update-daemon.handler.js';

@Controller()
export class DaemonMessageController {
  constructor(
    private readonly createDaemonHandler: CreateDaemonHandler,
    private readonly updateDaemonHandler: UpdateDaemonHandler,
    private readonly deleteDaemonHandler: DeleteDaemonHandler,
  ) {}

  @MessagePattern(Subjects.orchestrator.createDaemon)
  createDaemon(@Payload('data') dto: CreateDaemonDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<CreateDaemonResult>> {
    return this.createDaemonHandler.handle(dto, meta);
  }

  @MessagePattern(Subjects.orchestrator.updateDaemon)
  updateDaemon(@Payload('data') dto: UpdateDaemonDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<DaemonCommandResult>> {
    return this.updateDaemonHandler.handle(dto, meta);
  }

  @MessagePattern(Subjects.orchestrator.deleteDaemon)
  deleteDaemon(@Payload('data') dto: DaemonRefDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<DaemonCommandResult>> {
    return this.deleteDaemonHandler.handle(dto, meta);
  }
}
