import { ProjectionsController } from '../read-models/projections.controller.js';
import { DeploymentReplayController } from './deployment-replay.controller.js';
import { DeploymentWatchController, DeploymentWatches } from './deployment-watch.controller.js';
import { EventFeedController } from './event-feed.controller.js';

/** Replay and time travel (events, state at a version, the global feed, live watch) and the projections' control. */
export const REPLAY_CONTROLLERS = [DeploymentReplayController, DeploymentWatchController, EventFeedController, ProjectionsController];
export const REPLAY_PROVIDERS = [DeploymentWatches];
