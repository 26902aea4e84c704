export {
  SCHEDULE_ORDERS,
  compareIds,
  schedule,
  type Schedule,
  type ScheduleOptions,
  type ScheduleOrder,
} from './schedule.js';
export { estimateRemainingMs, median } from './durations.js';
export { randomSeed, seededRandom, shuffleInPlace } from './random.js';
