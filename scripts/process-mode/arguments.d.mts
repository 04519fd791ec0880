// Types of arguments.mjs, for the TypeScript tests that import it.
export type Service = 'fleet-agent' | 'alarm-monitor' | 'deployment-orchestrator' | 'api-gateway';
export type Scale = Record<Service, number>;
export declare const SERVICES: readonly Service[];
export declare const DEFAULT_NATS_URL: string;
export declare const DEFAULT_PORT: number;
export declare const USAGE: string;
export declare class UsageError extends Error {}
export declare function parseUpArguments(argv: readonly string[]): { scale: Scale; help: boolean };
export declare function processSettings(scale: Scale, env: Record<string, string | undefined>): { natsUrl: string; gatewayPorts: number[] };
