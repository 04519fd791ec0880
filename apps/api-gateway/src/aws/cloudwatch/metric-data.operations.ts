import { Injectable } from '@nestjs/common';
import { Subjects } from '@daemonfleet/contracts';
import { GatewayCommands } from '../../rest/gateway-commands.js';
import { AwsException } from '../aws-errors.js';
import { cloudWatchOperation, type CloudWatchOperationGroup } from './cloudwatch-operation.js';
import { PutMetricDataRequest } from './cloudwatch-requests.dto.js';

/** How a datum gives its value: CloudWatch takes exactly one of these (daemonfleet takes Value only). */
const VALUE_MEMBERS = ['Value', 'StatisticValues', 'Values'] as const;

/**
 * PutMetricData: data points the alarm monitor stores and its alarms evaluate, up to 1,000 of one namespace, stamped
 * within the past two weeks and two hours ahead (now when not stamped).
 */
@Injectable()
export class MetricDataOperations implements CloudWatchOperationGroup {
  constructor(private readonly commands: GatewayCommands) {}

  readonly operations = {
    PutMetricData: cloudWatchOperation(
      'PutMetricData',
      PutMetricDataRequest,
      { required: ['Namespace', 'MetricData', 'MetricData[].MetricName', 'MetricData[].Dimensions[].Name', 'MetricData[].Dimensions[].Value'], check: checkValueMembers },
      async (input, { meta }) => {
        const metricData = input.MetricData.map((datum) => ({
          metricName: datum.MetricName,
          dimensions: datum.Dimensions?.map(({ Name, Value }) => ({ name: Name, value: Value })),
          value: datum.Value,
          timestamp: datum.Timestamp,
          unit: datum.Unit,
        }));
        await this.commands.send(Subjects.alarms.putMetricData, { namespace: input.Namespace, metricData }, meta);
        return {};
      },
    ),
  };
}

/** Each datum gives one of Value, StatisticValues and Values (InvalidParameterCombinationException otherwise), as CloudWatch checks. */
function checkValueMembers(body: Record<string, unknown>): void {
  if (!Array.isArray(body.MetricData)) return;
  body.MetricData.forEach((datum: unknown, index) => {
    if (datum === null || typeof datum !== 'object' || Array.isArray(datum)) return;
    const given = VALUE_MEMBERS.filter((member) => Object.hasOwn(datum, member) && (datum as Record<string, unknown>)[member] !== null);
    const names = (members: readonly string[]) => members.map((member) => `MetricData.${index}.${member}`);
    if (given.length === 0) throw new AwsException('InvalidParameterCombinationException', `At least one of the parameters ${names(VALUE_MEMBERS).join(', ')} must be specified.`);
    if (given.length > 1) throw new AwsException('InvalidParameterCombinationException', `The parameters ${names(given).join(' and ')} are mutually exclusive.`);
  });
}
