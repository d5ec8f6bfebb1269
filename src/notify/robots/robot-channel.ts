/** The group robot channels (DESIGN "Chinese IM robots"): WeCom, DingTalk and Feishu behind one port. */
import type { Dispatcher } from 'undici';
import type { RobotChannel, RobotTarget, RobotType } from '../channel.js';
import type { EmailLanguage } from '../templates/language.js';

export interface RobotChannelOptions {
  /** This channel's robots (all of `type`); names are unique. */
  targets: readonly RobotTarget[];
  /** The language of messages. Default zh-CN. */
  language?: EmailLanguage;
  /** The console's public origin (CM_CONSOLE_URL): messages link to `/customers/{uscc}`; none without it. */
  consoleUrl?: string;
  /** An undici Dispatcher to send through instead of the channel's own Agent; the caller owns it. */
  dispatcher?: Dispatcher;
  /** Deadline for one attempt, in ms. Default 10000. */
  timeoutMs?: number;
  /** Epoch-ms clock for signatures. Default `Date.now`. */
  clock?: () => number;
}

/**
 * Creates the channel of one robot type; `target` of a delivery is a robot's name.
 * @throws Error when a robot's URL is unusable or a name repeats (a configuration mistake); the
 *   message names the robot, never its URL or secret.
 */
export function createRobotChannel(type: RobotType, options: RobotChannelOptions): RobotChannel {
  throw new Error(`robot channel ${type} is not built yet (${String(options.targets.length)} robots)`);
}
