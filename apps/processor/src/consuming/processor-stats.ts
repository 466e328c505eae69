import { Injectable } from '@nestjs/common';
import { RollupResolutionName } from '@doflamingo/contracts';

/** Running totals the processor reports about itself (/health and its own metrics). */
@Injectable()
export class ProcessorStats {
  eventsConsumed = 0;
  samplesStored = 0;
  eventsDeadLettered = 0;
  eventsDuplicate = 0;
  samplesLate = 0;
  windowsWritten: Record<RollupResolutionName, number> = { '10s': 0, '1m': 0 };
  commits = 0;
  rebalances = 0;
  partitionsAssigned = 0;
  paused = false;
  openWindows = 0;
  uncommittedMessages = 0;
}
