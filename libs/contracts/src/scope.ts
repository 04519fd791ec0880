/**
 * Every resource lives in one account and region, as in AWS. Requests carry their scope: the REST API uses the
 * configured defaults; the AWS protocols will take it from the request's credential scope.
 */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
