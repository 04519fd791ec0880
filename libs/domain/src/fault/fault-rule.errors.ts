import { ErrorCode } from '@daemonfleet/contracts';
import { DomainError } from '../shared/domain-errors.js';

/** RemoveFaultRule named a rule that never existed or was removed already. */
export class FaultRuleNotFound extends DomainError {
  readonly code = ErrorCode.FaultRuleNotFound;
  constructor(faultId: string) {
    super(`Fault rule not found: ${faultId}`, { faultId });
  }
}
