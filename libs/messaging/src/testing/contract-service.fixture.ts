import { Controller, Inject, Module, ValidationPipe, type DynamicModule, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { RpcErrorFilter } from '../rpc-error.filter.js';
import { microserviceOptions, type TransportConfig } from '../transport.config.js';

/**
 * A small service for the transport contract: one handler per behaviour under test, each writing what it received
 * to a journal shared by all the services of one test.
 */

/** A fresh entity token per test file, so that suites sharing one NATS server never answer each other. */
const run = randomUUID().slice(0, 8);
const subject = (type: string) => `contract.cmd.${run}.${type}`;
export const Subjects = {
  echo: subject('Echo'),
  accept: subject('Accept'),
  work: subject('Work'),
  fanOut: subject('FanOut'),
  neverAnswer: subject('NeverAnswer'),
  failWithTypedError: subject('FailWithTypedError'),
  crash: subject('Crash'),
  registerDaemon: subject('RegisterDaemon'),
  unhandled: subject('Unhandled'),
} as const;

export interface JournalEntry {
  readonly replica: string;
  readonly queueGroup: string;
  readonly subject: string;
  readonly payload: Record<string, unknown>;
}

export class Journal {
  readonly entries: JournalEntry[] = [];
  private readonly listeners = new Set<() => void>();

  record(entry: JournalEntry): void {
    this.entries.push(entry);
    for (const listener of [...this.listeners]) listener();
  }

  of(subject: string): JournalEntry[] {
    return this.entries.filter((entry) => entry.subject === subject);
  }

  /** Resolves once `predicate` holds, re-checked after every record. */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) {
      await new Promise<void>((resolve) => {
        const listener = () => {
          this.listeners.delete(listener);
          resolve();
        };
        this.listeners.add(listener);
      });
    }
  }
}

export interface Replica {
  readonly name: string;
  readonly queueGroup: string;
  readonly journal: Journal;
}

export class DaemonNotFound extends Error {
  readonly code = 'DAEMON_NOT_FOUND';
  constructor(readonly details: { daemonArn: string }) {
    super(`daemon ${details.daemonArn} does not exist`);
  }
}

export class RegisterDaemonRequest {
  @IsString()
  @IsNotEmpty()
  name: string;

  @IsInt()
  @Min(1)
  batchSize: number;
}

const REPLICA = Symbol('REPLICA');

@Controller()
class ContractController {
  constructor(@Inject(REPLICA) private readonly replica: Replica) {}

  private record(subject: string, payload: Record<string, unknown>): void {
    this.replica.journal.record({ replica: this.replica.name, queueGroup: this.replica.queueGroup, subject, payload });
  }

  @MessagePattern(Subjects.echo)
  echo(@Payload() payload: Record<string, unknown>) {
    this.record(Subjects.echo, payload);
    return { received: payload, atType: typeof payload.at };
  }

  @MessagePattern(Subjects.accept)
  accept(@Payload() payload: Record<string, unknown>): void {
    this.record(Subjects.accept, payload);
  }

  @MessagePattern(Subjects.work)
  work(@Payload() payload: Record<string, unknown>) {
    this.record(Subjects.work, payload);
    return { replica: this.replica.name };
  }

  /** Answers only once every queue group has seen the request, so any reply proves that all of them got it. */
  @MessagePattern(Subjects.fanOut)
  async fanOut(@Payload() payload: { requestId: string; queueGroups: string[] }) {
    this.record(Subjects.fanOut, payload);
    const { journal } = this.replica;
    const seenBy = () => new Set(journal.of(Subjects.fanOut).filter((e) => e.payload.requestId === payload.requestId).map((e) => e.queueGroup));
    await journal.until(() => payload.queueGroups.every((group) => seenBy().has(group)));
    return { queueGroup: this.replica.queueGroup };
  }

  @MessagePattern(Subjects.neverAnswer)
  neverAnswer(@Payload() payload: Record<string, unknown>): Promise<never> {
    this.record(Subjects.neverAnswer, payload);
    return new Promise<never>(() => undefined);
  }

  @MessagePattern(Subjects.failWithTypedError)
  failWithTypedError(@Payload() payload: { daemonArn: string }): never {
    throw new DaemonNotFound({ daemonArn: payload.daemonArn });
  }

  @MessagePattern(Subjects.crash)
  crash(): never {
    throw new Error('the disk is on fire');
  }

  @MessagePattern(Subjects.registerDaemon)
  registerDaemon(@Payload() request: RegisterDaemonRequest) {
    return { name: request.name, batchSize: request.batchSize, isDto: request instanceof RegisterDaemonRequest };
  }
}

@Module({})
class ContractServiceModule {}

/** Starts one replica of the contract service as its own Nest microservice, set up as our services are. */
export async function startContractService(transport: TransportConfig, replica: Replica): Promise<INestMicroservice> {
  const module: DynamicModule = {
    module: ContractServiceModule,
    controllers: [ContractController],
    providers: [{ provide: REPLICA, useValue: replica }],
  };
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    ...microserviceOptions(transport, replica.queueGroup),
    logger: false,
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  // listen() resolves once the SUBs are written, not once the server has them: a PING round trip settles that,
  // so the test's first request cannot overtake the subscriptions.
  if (transport.kind === 'nats') await app.unwrap<{ flush(): Promise<void> }>().flush();
  return app;
}
