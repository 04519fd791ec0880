import { Injectable, type PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '@daemonfleet/service-runtime';

// eslint-disable-next-line no-control-regex -- control characters are exactly what CloudWatch refuses in a name
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** An alarm name from the URL path (percent-encoded there): 1 to 255 characters, none of them a control character. */
@Injectable()
export class AlarmNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (value.length < 1 || value.length > 255 || CONTROL_CHARACTER.test(value))
      throw new RequestValidationError('alarmName', 'alarmName must be 1 to 255 characters, without control characters');
    return value;
  }
}
