import fc from 'fast-check';
import { ECS_TARGET } from './aws-raw-client.js';

/** One request to the AWS endpoint: its X-Amz-Target (or none), its body as sent, and headers of its own. */
export interface HostileRequest {
  readonly what: string;
  readonly target: string | undefined;
  readonly body: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A service's operations for the fuzzer: a valid request of each, what each requires, and how targets are made. */
export interface OperationCatalog {
  readonly target: (operation: string) => string;
  /** The operation's target in another version of the service, which names no operation. */
  readonly otherVersion: (operation: string) => string;
  readonly valid: Readonly<Record<string, Record<string, unknown>>>;
  /** Members each operation requires: leaving one out is a mutation. */
  readonly required: Readonly<Record<string, readonly string[]>>;
  /** Members (by path, `.`-joined) that take any number: a number past the others' bounds is no mutation there. */
  readonly unbounded?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A valid request of each operation, on the fuzz world's resources (cluster `fz`, provider `fz-mi`, daemon task
 * definition `fz-agent`, task definition `fz-web`, daemon `fz-d`, service `fz-svc`): each mutation below makes it
 * invalid, so none may change anything. The mutating operations are all here; so are reads, for their parsing.
 */
const VALID: Record<string, Record<string, unknown>> = {
  RegisterDaemonTaskDefinition: { family: 'fz-agent', cpu: '256', memory: '512', containerDefinitions: [{ name: 'agent', image: 'agent:9', memory: 128, essential: true }], tags: [{ key: 'k', value: 'v' }], pidMode: 'none' },
  DeleteDaemonTaskDefinition: { daemonTaskDefinition: 'fz-agent:1' },
  DescribeDaemonTaskDefinition: { daemonTaskDefinition: 'fz-agent:1' },
  ListDaemonTaskDefinitions: { familyPrefix: 'fz', status: 'ALL', sort: 'DESC', maxResults: 5 },
  CreateDaemon: {
    daemonName: 'fz-new',
    clusterArn: 'fz',
    daemonTaskDefinitionArn: 'fz-agent:1',
    capacityProviderArns: ['fz-mi'],
    deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
    propagateTags: 'NONE',
    enableECSManagedTags: false,
    critical: true,
    clientToken: 'fz-token',
    tags: [{ key: 'k', value: 'v' }],
  },
  UpdateDaemon: { daemonArn: 'arn:aws:ecs:us-east-1:000000000000:daemon/fz/fz-d', daemonTaskDefinitionArn: 'fz-agent:1', capacityProviderArns: ['fz-mi'], deploymentConfiguration: { drainPercent: 50 }, critical: false },
  DeleteDaemon: { daemonArn: 'arn:aws:ecs:us-east-1:000000000000:daemon/fz/fz-d' },
  DescribeDaemon: { daemonArn: 'arn:aws:ecs:us-east-1:000000000000:daemon/fz/fz-d' },
  ListDaemons: { clusterArn: 'fz', capacityProviderArns: ['fz-mi'], maxResults: 10 },
  ListDaemonDeployments: { daemonArn: 'arn:aws:ecs:us-east-1:000000000000:daemon/fz/fz-d', status: ['SUCCESSFUL'], createdAt: { after: 0, before: 4_000_000_000 }, maxResults: 5 },
  DescribeDaemonDeployments: { daemonDeploymentArns: ['arn:aws:ecs:us-east-1:000000000000:daemon-deployment/fz/fz-d/AAAAAAAAAAAAAAAA'] },
  DescribeDaemonRevisions: { daemonRevisionArns: ['arn:aws:ecs:us-east-1:000000000000:daemon-revision/fz/fz-d/1'] },
  CreateCluster: { clusterName: 'fz-other', tags: [{ key: 'k', value: 'v' }] },
  DeleteCluster: { cluster: 'fz-empty' },
  DescribeClusters: { clusters: ['fz'], include: ['TAGS'] },
  ListClusters: { maxResults: 5 },
  CreateCapacityProvider: {
    name: 'fz-mi2',
    cluster: 'fz',
    managedInstancesProvider: { infrastructureRoleArn: 'arn:aws:iam::000000000000:role/r', instanceLaunchTemplate: { ec2InstanceProfileArn: 'arn:aws:iam::000000000000:instance-profile/p' } },
  },
  DescribeCapacityProviders: { capacityProviders: ['fz-mi'], include: ['TAGS'] },
  PutClusterCapacityProviders: { cluster: 'fz', capacityProviders: ['fz-mi'], defaultCapacityProviderStrategy: [] },
  RegisterTaskDefinition: { family: 'fz-web', containerDefinitions: [{ name: 'web', image: 'web:9', memory: 128 }] },
  DescribeTaskDefinition: { taskDefinition: 'fz-web:1', include: ['TAGS'] },
  CreateService: { serviceName: 'fz-svc2', cluster: 'fz', taskDefinition: 'fz-web:1', desiredCount: 1, capacityProviderStrategy: [{ capacityProvider: 'fz-mi', weight: 1 }] },
  UpdateService: { cluster: 'fz', service: 'fz-svc', desiredCount: 2 },
  DeleteService: { cluster: 'fz', service: 'fz-svc', force: true },
  DescribeServices: { cluster: 'fz', services: ['fz-svc'] },
  ListServices: { cluster: 'fz', maxResults: 5 },
  ListContainerInstances: { cluster: 'fz', status: 'ACTIVE', maxResults: 5 },
  DescribeContainerInstances: { cluster: 'fz', containerInstances: ['i-00000000000000000'] },
  ListTasks: { cluster: 'fz', daemonName: 'fz-d', desiredStatus: 'RUNNING', maxResults: 5 },
  DescribeTasks: { cluster: 'fz', tasks: ['t'] },
};

/** Members each operation requires: leaving one out is a mutation. */
const REQUIRED: Record<string, readonly string[]> = {
  RegisterDaemonTaskDefinition: ['family', 'containerDefinitions'],
  DeleteDaemonTaskDefinition: ['daemonTaskDefinition'],
  DescribeDaemonTaskDefinition: ['daemonTaskDefinition'],
  CreateDaemon: ['daemonName', 'daemonTaskDefinitionArn', 'capacityProviderArns'],
  UpdateDaemon: ['daemonArn', 'daemonTaskDefinitionArn', 'capacityProviderArns'],
  DeleteDaemon: ['daemonArn'],
  DescribeDaemon: ['daemonArn'],
  ListDaemonDeployments: ['daemonArn'],
  DescribeDaemonDeployments: ['daemonDeploymentArns'],
  DescribeDaemonRevisions: ['daemonRevisionArns'],
  DeleteCluster: ['cluster'],
  CreateCapacityProvider: ['name'],
  PutClusterCapacityProviders: ['cluster', 'capacityProviders', 'defaultCapacityProviderStrategy'],
  RegisterTaskDefinition: ['family', 'containerDefinitions'],
  DescribeTaskDefinition: ['taskDefinition'],
  CreateService: ['serviceName', 'taskDefinition', 'desiredCount', 'capacityProviderStrategy'],
  UpdateService: ['service', 'desiredCount'],
  DeleteService: ['service'],
  DescribeServices: ['services'],
  DescribeContainerInstances: ['containerInstances'],
  DescribeTasks: ['tasks'],
};

const ECS_CATALOG: OperationCatalog = {
  target: ECS_TARGET,
  otherVersion: (operation) => `AmazonEC2ContainerServiceV20141112.${operation}`,
  valid: VALID,
  required: REQUIRED,
};

type Path = readonly (string | number)[];

/** Every member of a body, nested ones and list items included, by path. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...path, i], ...pathsOf(item, [...path, i])]);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...path, key], ...pathsOf(item, [...path, key])]);
  return [];
}

function at(body: Record<string, unknown>, path: Path): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], body);
}

function withValue(body: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const parent = at(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path.at(-1)!] = value;
  return copy;
}

/** JSON values of another type than `value`'s (never null: an optional member given null is a member left out). */
function otherTypes(value: unknown): fc.Arbitrary<unknown> {
  const string = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^[0-9.eE+-]+$/.test(s));
  const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const object = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 3 });
  const array = fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });
  if (typeof value === 'string') return fc.oneof(number, fc.boolean(), object, array);
  if (typeof value === 'number') return fc.oneof(string, fc.boolean(), object, array);
  if (typeof value === 'boolean') return fc.oneof(string, number, object, array);
  if (Array.isArray(value)) return fc.oneof(string, number, fc.boolean(), object);
  return fc.oneof(string, number, fc.boolean(), array);
}

/** Past every bound a member of these requests has: 100,000 characters, ±1e308, 2^53 + 1, 1,001 list items. */
function outOfBounds(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value === 'string') return fc.constant('x'.repeat(100_000));
  if (typeof value === 'number') return fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 53 + 1));
  if (Array.isArray(value)) return fc.constant(Array.from({ length: 1001 }, () => value[0] ?? 'x'));
  return otherTypes(value);
}

/** A valid request made invalid in one way: a member of the wrong type, out of bounds, left out, or unknown. */
const mutated = ({ target, valid, required: requiredOf, unbounded = {} }: OperationCatalog): fc.Arbitrary<HostileRequest> => fc.constantFrom(...Object.keys(valid)).chain((operation) => {
  const body = valid[operation];
  const paths = pathsOf(body);
  const bounded = paths.filter((path) => !(unbounded[operation] ?? []).includes(path.join('.')));
  const mutations: fc.Arbitrary<{ what: string; body: Record<string, unknown> }>[] = [
    fc
      .tuple(fc.stringMatching(/^x[A-Za-z0-9]{0,12}$/), fc.jsonValue({ maxDepth: 2 }))
      .map(([member, value]) => ({ what: `unknown member ${member}`, body: { ...body, [member]: value } })),
  ];
  if (paths.length > 0) {
    mutations.push(
      fc.constantFrom(...paths).chain((path) => otherTypes(at(body, path)).map((value) => ({ what: `${path.join('.')} of another type`, body: withValue(body, path, value) }))),
    );
  }
  if (bounded.length > 0)
    mutations.push(fc.constantFrom(...bounded).chain((path) => outOfBounds(at(body, path)).map((value) => ({ what: `${path.join('.')} out of bounds`, body: withValue(body, path, value) }))));
  const required = requiredOf[operation] ?? [];
  if (required.length > 0)
    mutations.push(fc.constantFrom(...required).map((member) => ({ what: `without ${member}`, body: Object.fromEntries(Object.entries(body).filter(([key]) => key !== member)) })));
  return fc.oneof(...mutations).map(({ what, body: sent }) => ({ what: `${operation}: ${what}`, target: target(operation), body: JSON.stringify(sent) }));
});

/** Bytes that are not a JSON object: broken JSON, other JSON values, invalid UTF-8. */
const unreadable = ({ target, valid }: OperationCatalog): fc.Arbitrary<HostileRequest> => fc.tuple(
  fc.constantFrom(...Object.keys(valid)),
  fc.oneof(
    // An empty body is `{}` (curl sends none), so it is left out.
    fc.string({ minLength: 1, maxLength: 200 }).filter((text) => !isJsonObject(text)).map((text) => ({ what: 'text that is no JSON object', body: text as string | Uint8Array })),
    fc.jsonValue().filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)).map((value) => ({ what: 'a JSON value that is no object', body: JSON.stringify(value) as string | Uint8Array })),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ what: 'bytes', body: Uint8Array.from([0x7b, 0xff, ...bytes]) as string | Uint8Array })),
  ),
).map(([operation, { what, body }]) => ({ what: `${operation}: ${what}`, target: target(operation), body }));

/**
 * Targets that name no operation the endpoint serves: random text (never one of the served targets, whatever the
 * service), random names after the catalog's prefix, and the catalog's operations under another version.
 */
const unknownTarget = ({ target, otherVersion, valid }: OperationCatalog): fc.Arbitrary<HostileRequest> => {
  const operations = Object.keys(valid);
  return fc
    .oneof(
      // Header values are printable ASCII; the client trims spaces around them.
      fc.stringMatching(/^[!-~]{0,80}$/).filter((text) => !/^(AmazonEC2ContainerServiceV20141113|GraniteServiceVersion20100801)\./.test(text)),
      fc.stringMatching(/^[A-Za-z]{1,30}$/).map((name) => target(name)),
      fc.constantFrom(...operations).map((name) => otherVersion(name)),
    )
    .filter((text) => !operations.some((name) => text === target(name)))
    .map((text) => ({ what: `target ${JSON.stringify(text.slice(0, 40))}`, target: text.length === 0 ? undefined : text, body: '{}' }));
};

/** Bodies over the 1 MiB limit, of any operation. */
const oversized = ({ target, valid }: OperationCatalog): fc.Arbitrary<HostileRequest> =>
  fc
    .tuple(fc.constantFrom(...Object.keys(valid)), fc.integer({ min: 1, max: 4096 }))
    .map(([operation, extra]) => ({ what: `${operation}: ${1024 * 1024 + extra} bytes`, target: target(operation), body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + extra) }) }));

/** Every kind of hostile request to a service's operations; the big ones are rarer, to keep the runs short. */
export function hostileRequestsTo(catalog: OperationCatalog): fc.Arbitrary<HostileRequest> {
  return fc.oneof(
    { arbitrary: mutated(catalog), weight: 12 },
    { arbitrary: unreadable(catalog), weight: 3 },
    { arbitrary: unknownTarget(catalog), weight: 2 },
    { arbitrary: oversized(catalog), weight: 1 },
  );
}

/** Every kind of hostile request to the ECS operations. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = hostileRequestsTo(ECS_CATALOG);

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
