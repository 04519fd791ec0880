import type { Provider } from '@nestjs/common';
import { DaemonImages } from './daemon-images.js';
import { FaultInjection } from './fault-injection.js';
import { FaultRuleView } from './fault-rule.view.js';

/** Fault injection (emulator control): the views the simulation's step matches rules with, and its random source. */
export const faultProviders: Provider[] = [FaultRuleView, DaemonImages, FaultInjection];
