import type {
  AddFaultRuleDto,
  AddInstancesCommandDto,
  DeleteAlarmsDto,
  FaultRefDto,
  PutMetricAlarmDto,
  PutMetricDataDto,
  SetAlarmStateDto,
  CreateCapacityProviderDto,
  CreateClusterDto,
  DeleteClusterDto,
  CreateDaemonDto,
  CreateServiceDto,
  DaemonRefDto,
  DaemonTaskDefinitionRefDto,
  RegisterDaemonTaskDefinitionDto,
  RegisterTaskDefinitionDto,
  ServiceRefDto,
  UpdateDaemonDto,
  UpdateServiceCommandDto,
} from '../dto/index.js';
import type { AdoptDaemonTasksCommand, StartInstanceDrainsCommand } from './fleet-commands.dto.js';
import type { CommandReply } from './envelope.js';
import type { GetAlarmStatesQuery, GetCapacityProvidersQuery, GetClustersQuery, PingQuery } from './queries.dto.js';
import type {
  AlarmStateRecord,
  CapacityProviderRecord,
  ClusterRecord,
  CreateDaemonResult,
  DaemonCommandResult,
  DeletedClusterRecord,
  ServicePong,
} from './records.js';

/**
 * Every subject, built here only, from the grammar `<context>.<kind>.<MessageType>` (kind: command | query).
 * The context names the service that handles it, whose replicas share one queue group.
 */
export const ServiceName = {
  apiGateway: 'api-gateway',
  orchestrator: 'deployment-orchestrator',
  fleet: 'fleet-agent',
  alarms: 'alarm-monitor',
} as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];

const subject = <Context extends string, Kind extends 'command' | 'query', Type extends string>(context: Context, kind: Kind, type: Type) =>
  `${context}.${kind}.${type}` as const;

export const Subjects = {
  fleet: {
    createCluster: subject('fleet', 'command', 'CreateCluster'),
    deleteCluster: subject('fleet', 'command', 'DeleteCluster'),
    createCapacityProvider: subject('fleet', 'command', 'CreateCapacityProvider'),
    addInstances: subject('fleet', 'command', 'AddInstances'),
    registerTaskDefinition: subject('fleet', 'command', 'RegisterTaskDefinition'),
    createService: subject('fleet', 'command', 'CreateService'),
    updateService: subject('fleet', 'command', 'UpdateService'),
    deleteService: subject('fleet', 'command', 'DeleteService'),
    startInstanceDrains: subject('fleet', 'command', 'StartInstanceDrains'),
    adoptDaemonTasks: subject('fleet', 'command', 'AdoptDaemonTasks'),
    addFaultRule: subject('fleet', 'command', 'AddFaultRule'),
    removeFaultRule: subject('fleet', 'command', 'RemoveFaultRule'),
    getClusters: subject('fleet', 'query', 'GetClusters'),
    getCapacityProviders: subject('fleet', 'query', 'GetCapacityProviders'),
    ping: subject('fleet', 'query', 'Ping'),
  },
  orchestrator: {
    registerDaemonTaskDefinition: subject('orchestrator', 'command', 'RegisterDaemonTaskDefinition'),
    deleteDaemonTaskDefinition: subject('orchestrator', 'command', 'DeleteDaemonTaskDefinition'),
    createDaemon: subject('orchestrator', 'command', 'CreateDaemon'),
    updateDaemon: subject('orchestrator', 'command', 'UpdateDaemon'),
    deleteDaemon: subject('orchestrator', 'command', 'DeleteDaemon'),
    ping: subject('orchestrator', 'query', 'Ping'),
  },
  alarms: {
    putMetricAlarm: subject('alarms', 'command', 'PutMetricAlarm'),
    deleteAlarms: subject('alarms', 'command', 'DeleteAlarms'),
    setAlarmState: subject('alarms', 'command', 'SetAlarmState'),
    putMetricData: subject('alarms', 'command', 'PutMetricData'),
    getAlarmStates: subject('alarms', 'query', 'GetAlarmStates'),
    ping: subject('alarms', 'query', 'Ping'),
  },
} as const;

/** Request and reply type of every subject: the typed client and the handlers both follow this map. */
export interface MessageContracts {
  [Subjects.fleet.createCluster]: { request: CreateClusterDto; reply: CommandReply<ClusterRecord> };
  [Subjects.fleet.deleteCluster]: { request: DeleteClusterDto; reply: CommandReply<DeletedClusterRecord> };
  [Subjects.fleet.createCapacityProvider]: { request: CreateCapacityProviderDto; reply: CommandReply<CapacityProviderRecord> };
  [Subjects.fleet.addInstances]: { request: AddInstancesCommandDto; reply: CommandReply<{ containerInstanceArns: string[] }> };
  [Subjects.fleet.registerTaskDefinition]: { request: RegisterTaskDefinitionDto; reply: CommandReply<{ taskDefinitionArn: string }> };
  [Subjects.fleet.createService]: { request: CreateServiceDto; reply: CommandReply<{ serviceArn: string }> };
  [Subjects.fleet.updateService]: { request: UpdateServiceCommandDto; reply: CommandReply<{ serviceArn: string }> };
  [Subjects.fleet.deleteService]: { request: ServiceRefDto; reply: CommandReply<{ serviceArn: string }> };
  [Subjects.fleet.startInstanceDrains]: { request: StartInstanceDrainsCommand; reply: CommandReply<{ draining: string[] }> };
  [Subjects.fleet.adoptDaemonTasks]: { request: AdoptDaemonTasksCommand; reply: CommandReply<{ adopted: string[] }> };
  [Subjects.fleet.addFaultRule]: { request: AddFaultRuleDto; reply: CommandReply<{ faultId: string }> };
  [Subjects.fleet.removeFaultRule]: { request: FaultRefDto; reply: CommandReply<{ faultId: string }> };
  [Subjects.fleet.getClusters]: { request: GetClustersQuery; reply: { clusters: ClusterRecord[] } };
  [Subjects.fleet.getCapacityProviders]: { request: GetCapacityProvidersQuery; reply: { capacityProviders: CapacityProviderRecord[] } };
  [Subjects.fleet.ping]: { request: PingQuery; reply: ServicePong };
  [Subjects.orchestrator.registerDaemonTaskDefinition]: { request: RegisterDaemonTaskDefinitionDto; reply: CommandReply<{ daemonTaskDefinitionArn: string }> };
  [Subjects.orchestrator.deleteDaemonTaskDefinition]: { request: DaemonTaskDefinitionRefDto; reply: CommandReply<{ daemonTaskDefinitionArn: string }> };
  [Subjects.orchestrator.createDaemon]: { request: CreateDaemonDto; reply: CommandReply<CreateDaemonResult> };
  [Subjects.orchestrator.updateDaemon]: { request: UpdateDaemonDto; reply: CommandReply<DaemonCommandResult> };
  [Subjects.orchestrator.deleteDaemon]: { request: DaemonRefDto; reply: CommandReply<DaemonCommandResult> };
  [Subjects.orchestrator.ping]: { request: PingQuery; reply: ServicePong };
  [Subjects.alarms.putMetricAlarm]: { request: PutMetricAlarmDto; reply: CommandReply<{ alarmArn: string }> };
  [Subjects.alarms.deleteAlarms]: { request: DeleteAlarmsDto; reply: CommandReply<{ deleted: string[] }> };
  [Subjects.alarms.setAlarmState]: { request: SetAlarmStateDto; reply: CommandReply<{ alarmArn: string }> };
  [Subjects.alarms.putMetricData]: { request: PutMetricDataDto; reply: CommandReply<{ accepted: number }> };
  [Subjects.alarms.getAlarmStates]: { request: GetAlarmStatesQuery; reply: { alarms: AlarmStateRecord[] } };
  [Subjects.alarms.ping]: { request: PingQuery; reply: ServicePong };
}
export type Subject = keyof MessageContracts;
export type RequestOf<S extends Subject> = MessageContracts[S]['request'];
export type ReplyOf<S extends Subject> = MessageContracts[S]['reply'];
