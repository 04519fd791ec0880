/**
 * Simulated durations of a few tenths of a second (TIME_SCALE 600: provisioning 50 ms, task starts and drains
 * under 10 ms): what the system tests over real processes run with, so rollouts of hundreds of instances take seconds.
 */
export const FAST_FLEET = {
  TIME_SCALE: '600',
  SIM_INSTANCE_PROVISIONING_SECONDS: '30',
  SIM_DAEMON_TASK_START_SECONDS: '5',
  SIM_APP_TASK_START_SECONDS: '5',
  SIM_DRAIN_SECONDS: '5',
} as const;
