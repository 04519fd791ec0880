/** The resource name an ARN ends with: a daemon's, a service's, a provider's (`…/name`). */
export const lastArnPart = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
