import { Injectable, type PipeTransform } from '@nestjs/common';
import { NAME_PATTERN, NAME_RULE } from '@daemonfleet/contracts';
import { RequestValidationError } from '@daemonfleet/service-runtime';

/** Validates a resource name taken from the URL path, naming the path parameter when it is malformed. */
@Injectable()
export class NamePipe implements PipeTransform<string, string> {
  constructor(private readonly parameter: string) {}

  transform(value: string): string {
    if (!NAME_PATTERN.test(value)) throw new RequestValidationError(this.parameter, `${this.parameter} ${NAME_RULE}`);
    return value;
  }
}
