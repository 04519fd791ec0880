import { Inject, Injectable } from '@nestjs/common';
import { Subjects, type PutMetricAlarmDto } from '@daemonfleet/contracts';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { AlarmQueries } from '../../alarms/alarm.queries.js';
import { NextTokens } from '../../pagination/next-token.js';
import { GatewayCommands } from '../../rest/gateway-commands.js';
import { AwsException } from '../aws-errors.js';
import type { AwsRequestContext } from '../aws-protocol.js';
import { cloudWatchOperation, pagedOperation, pageOrInvalidNextToken, type CloudWatchOperationGroup } from './cloudwatch-operation.js';
import { DeleteAlarmsRequest, DescribeAlarmsRequest, PutMetricAlarmRequest, SetAlarmStateRequest } from './cloudwatch-requests.dto.js';
import { presentCloudWatchMetricAlarm } from './metric-alarm.presenter.js';

/**
 * Metric alarms, the alarm monitor's: PutMetricAlarm, SetAlarmState and DeleteAlarms are its commands; DescribeAlarms
 * reads the gateway's alarm read model. daemonfleet has metric alarms only: no composite or log alarms, no actions.
 */
@Injectable()
export class MetricAlarmOperations implements CloudWatchOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly alarms: AlarmQueries,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    /** Creates the alarm (INSUFFICIENT_DATA) or replaces its configuration, keeping its state. */
    PutMetricAlarm: cloudWatchOperation(
      'PutMetricAlarm',
      PutMetricAlarmRequest,
      // CloudWatch's model requires AlarmName, EvaluationPeriods and ComparisonOperator; daemonfleet's alarms watch one
      // metric by a statistic, so its members are required too.
      { required: ['AlarmName', 'Namespace', 'MetricName', 'Statistic', 'Period', 'Threshold', 'EvaluationPeriods', 'ComparisonOperator', 'Dimensions[].Name', 'Dimensions[].Value', 'Tags[].Key', 'Tags[].Value'] },
      async (input, { meta }) => {
        await this.commands.send(Subjects.alarms.putMetricAlarm, putMetricAlarm(input), meta);
        return {};
      },
    ),

    /** The state until the alarm's next evaluation decides otherwise; ResourceNotFound for an alarm that does not exist. */
    SetAlarmState: cloudWatchOperation('SetAlarmState', SetAlarmStateRequest, { required: ['AlarmName', 'StateValue', 'StateReason'] }, async (input, { meta }) => {
      if (input.StateReasonData !== undefined) {
        if (!isJson(input.StateReasonData)) throw new AwsException('InvalidFormatFault', 'StateReasonData must be a JSON document');
        throw new AwsException('InvalidParameterValueException', 'StateReasonData: SetAlarmState in daemonfleet does not take this member (an alarm keeps no data with a state set by hand)');
      }
      const { AlarmName: alarmName, StateValue: stateValue, StateReason: stateReason } = input;
      await this.commands.send(Subjects.alarms.setAlarmState, { alarmName, stateValue, stateReason }, meta);
      return {};
    }),

    /** When one of the alarms does not exist (ResourceNotFound), none is deleted. */
    DeleteAlarms: cloudWatchOperation('DeleteAlarms', DeleteAlarmsRequest, { required: ['AlarmNames'] }, async (input, { meta }) => {
      await this.commands.send(Subjects.alarms.deleteAlarms, { alarmNames: input.AlarmNames }, meta);
      return {};
    }),

    DescribeAlarms: cloudWatchOperation('DescribeAlarms', DescribeAlarmsRequest, {}, (input, context) => this.describe(input, context)),
  };

  /**
   * The metric alarms of the account and region, by names or name prefix and state, in name order, 50 a page unless
   * MaxRecords; metric alarms only unless AlarmTypes says otherwise. Composite alarms (children, parents) and actions
   * (ActionPrefix) do not exist here: those filters match nothing.
   */
  private async describe(input: DescribeAlarmsRequest, context: AwsRequestContext) {
    const { AlarmNamePrefix: prefix, ChildrenOfAlarmName: children, ParentsOfAlarmName: parents, StateValue: state, ActionPrefix: actionPrefix } = input;
    // An empty list filters nothing, as a list left out.
    const names = input.AlarmNames?.length ? input.AlarmNames : undefined;
    const types = input.AlarmTypes?.length ? input.AlarmTypes : undefined;
    if (names && prefix !== undefined) throw new AwsException('InvalidParameterCombinationException', 'AlarmNames and AlarmNamePrefix cannot be given together');
    const related = children !== undefined || parents !== undefined;
    const filtered = names || prefix !== undefined || types || state !== undefined || actionPrefix !== undefined;
    if ((children !== undefined && parents !== undefined) || (related && filtered))
      throw new AwsException('InvalidParameterCombinationException', 'With ChildrenOfAlarmName or ParentsOfAlarmName, no other parameter but MaxRecords and NextToken can be given');
    const metricAlarms = !related && actionPrefix === undefined && (types ?? ['MetricAlarm']).includes('MetricAlarm');
    const matching = (metricAlarms ? await this.alarms.alarms(context.scope) : []).filter(
      ({ spec, stateValue }) =>
        (!names || names.includes(spec.alarmName)) && (prefix === undefined || spec.alarmName.startsWith(prefix)) && (state === undefined || stateValue === state),
    );
    const filters = { names, prefix, types, children, parents, state, actionPrefix };
    const page = pageOrInvalidNextToken(() =>
      this.nextTokens.page(pagedOperation('DescribeAlarms', context), filters, matching, (alarm) => alarm.spec.alarmName, {
        maxResults: input.MaxRecords ?? 50,
        nextToken: input.NextToken,
      }),
    );
    return { MetricAlarms: page.items.map(presentCloudWatchMetricAlarm), CompositeAlarms: [], NextToken: page.nextToken };
  }
}

/** The alarm monitor's command, from the wire's request. */
function putMetricAlarm(input: PutMetricAlarmRequest): PutMetricAlarmDto {
  return {
    alarmName: input.AlarmName,
    alarmDescription: input.AlarmDescription,
    namespace: input.Namespace,
    metricName: input.MetricName,
    dimensions: input.Dimensions?.map(({ Name, Value }) => ({ name: Name, value: Value })),
    statistic: input.Statistic,
    period: input.Period,
    evaluationPeriods: input.EvaluationPeriods,
    datapointsToAlarm: input.DatapointsToAlarm,
    threshold: input.Threshold,
    comparisonOperator: input.ComparisonOperator,
    treatMissingData: input.TreatMissingData,
    actionsEnabled: input.ActionsEnabled,
    tags: input.Tags?.map(({ Key, Value }) => ({ key: Key, value: Value })),
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
