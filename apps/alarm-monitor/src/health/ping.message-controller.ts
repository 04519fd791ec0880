import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ServiceName, Subjects, type ServicePong } from '@daemonfleet/contracts';

/** Lets the gateway's health check see that a replica of this service answers. */
@Controller()
export class PingMessageController {
  @MessagePattern(Subjects.alarms.ping)
  ping(): ServicePong {
    return { service: ServiceName.alarms };
  }
}
