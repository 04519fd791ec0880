import { Injectable, type PipeTransform } from '@nestjs/common';
import { FAULT_ID_PATTERN } from '@daemonfleet/contracts';
import { RequestValidationError } from '@daemonfleet/service-runtime';

/** Validates a fault id taken from the URL path: 32 hexadecimal digits, as the fleet agent draws them. */
@Injectable()
export class FaultIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!FAULT_ID_PATTERN.test(value)) throw new RequestValidationError('id', 'id must be a fault id (32 lower-case hexadecimal digits)');
    return value;
  }
}
