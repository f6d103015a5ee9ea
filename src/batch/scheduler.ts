/** How a run with worker threads hands out work; tests shrink it so that every path runs. */
export interface Schedule {
  /** Items per message to a worker (a batch also closes at `batchBytes` of work). */
  batchAds: number;
  batchBytes: number;
  /** Batches each worker may have queued; beyond that, the reading thread scores the next batch itself. */
  queuePerWorker: number;
}

// Enough queued to keep a worker busy while the reading thread parses, little enough that memory
// stays flat (at most about 1 MiB of ad text per worker). Results are handed on in input order,
// so with several workers one that is ahead keeps its finished batches until the one before
// them is back: with few queued it soon sat idle waiting for the other (2 workers on 2 cores:
// 3 batches of 32 left 8-10% of CPU time idle; 16 batches of 16 about 3.5%).
export const DEFAULT_SCHEDULE: Schedule = { batchAds: 16, batchBytes: 64 * 1024, queuePerWorker: 16 };

/** What the scheduler needs to know of its items, and the two ways it can score them. */
export interface Lanes<Item, Out> {
  /** True for an item to score; any other (a rejected record, the header) is handed on in its place as `pass(item)`. */
  isWork(item: Item): boolean;
  /** The size of an item to score (its text's length): a batch closes at `batchBytes`. */
  size(item: Item): number;
  /** Scores one item in this thread. */
  here(item: Item): Out;
  /** Scores a batch of items on a worker thread: one result per item, in their order. */
  away(items: Item[]): Promise<Out[]>;
  /** An item that is not work, as the output has it. */
  pass(item: Item): Out;
  /** True when an error reading the source still lets the items read before it be handed on first. */
  handOnBefore(error: unknown): boolean;
}

/** How often each path of the scheduler ran; tests read it to show that every path runs. */
export interface ScheduleTrace {
  /** Batches sent to a worker. */
  away: number;
  /** Batches with work scored in this thread because the workers had enough queued. */
  here: number;
  /** Batches with no work, handed on as they are. */
  passed: number;
  /** Results handed on while the next item was still being read. */
  handedOnWhileReading: number;
  /** Times reading waited for the oldest worker batch because too much was waiting behind it. */
  waitedForOldest: number;
}

/** An empty trace to pass to `scoreInOrder`. */
export function newTrace(): ScheduleTrace {
  return { away: 0, here: 0, passed: 0, handedOnWhileReading: 0, waitedForOldest: 0 };
}

/** A worker's batch; `settled` turns true once its results are back (or it failed). */
type WorkerSlot<Out> = { batch: Promise<Out[]>; settled: boolean };
/** An output ready to hand on, or a worker's batch. */
type Slot<Out> = { ready: Out } | WorkerSlot<Out>;

/**
 * Scores the items of `source` with `workers` worker threads beside this one, which reads the
 * source, and yields one output per item in input order; returns what the source returns.
 * Batches go to the workers, and when each already has `queuePerWorker` batches queued this
 * thread scores the next batch itself instead of waiting. Batches go out full, or at once when a
 * worker would otherwise sit idle; while the next item is on its way, outputs are handed on as
 * workers return them, so a slow producer sees its results as soon as one thread would have
 * given them. Stopped early, the source is released (once a read under way ends).
 */
export async function* scoreInOrder<Item, Out, Done>(
  source: AsyncGenerator<Item, Done>,
  lanes: Lanes<Item, Out>,
  workers: number,
  schedule: Schedule = DEFAULT_SCHEDULE,
  trace: ScheduleTrace = newTrace(),
): AsyncGenerator<Out, Done, undefined> {
  const queueLimit = workers * schedule.queuePerWorker;
  // Outputs scored here wait behind the oldest worker batch; past this many, reading waits for it.
  const waitingLimit = queueLimit * schedule.batchAds;
  const slots: Array<Slot<Out>> = [];
  let inFlight = 0;
  // Items since the last batch went out, in input order.
  let gathered: Item[] = [];
  let gatheredWork = 0;
  let gatheredBytes = 0;
  // The read of the next item while it is under way, and what ends the wait for it early.
  let reading: Promise<IteratorResult<Item, Done>> | null = null;
  let wake: (() => void) | null = null;

  const send = () => {
    if (gathered.length === 0) return;
    const items = gathered;
    gathered = [];
    gatheredWork = 0;
    gatheredBytes = 0;
    const work = items.filter((item) => lanes.isWork(item));
    if (work.length === 0 || inFlight >= queueLimit) {
      // Nothing to score, or the workers have enough to do: this thread takes the batch.
      if (work.length === 0) trace.passed++;
      else trace.here++;
      for (const item of items) slots.push({ ready: lanes.isWork(item) ? lanes.here(item) : lanes.pass(item) });
      return;
    }
    inFlight++;
    trace.away++;
    const batch = lanes.away(work).then((results) => {
      let k = 0;
      return items.map((item) => (lanes.isWork(item) ? (results[k++] as Out) : lanes.pass(item)));
    });
    const slot: WorkerSlot<Out> = { batch, settled: false };
    // Awaited later, in order; this also keeps a worker crash from being an unhandled rejection
    // meanwhile, and ends a wait for the next item so the results can be handed on.
    const settle = () => {
      slot.settled = true;
      wake?.();
    };
    batch.then(settle, settle);
    slots.push(slot);
  };

  async function* release(): AsyncGenerator<Out, void, undefined> {
    const slot = slots.shift() as Slot<Out>;
    if ("ready" in slot) {
      yield slot.ready;
      return;
    }
    const outputs = await slot.batch;
    inFlight--;
    yield* outputs;
  }

  const settled = (slot: Slot<Out>) => "ready" in slot || slot.settled;

  // The next item. While it is on its way, outputs are handed on as the workers return them, and
  // gathered items go out as soon as a worker has nothing to do. (A wait that either side can
  // end, rather than a Promise.race per item: a race costs about 3% of a batch run.)
  async function* nextItem(): AsyncGenerator<Out, IteratorResult<Item, Done>, undefined> {
    let outcome: { value: IteratorResult<Item, Done> } | { error: unknown } | null = null;
    const read = source.next();
    reading = read;
    read.then(
      (value) => {
        outcome = { value };
        wake?.();
      },
      (error: unknown) => {
        outcome = { error };
        wake?.();
      },
    );
    for (;;) {
      if (outcome === null) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      const got = outcome as { value: IteratorResult<Item, Done> } | { error: unknown } | null;
      if (got !== null) {
        reading = null;
        if ("error" in got) throw got.error;
        return got.value;
      }
      while (slots.length > 0 && settled(slots[0] as Slot<Out>)) {
        trace.handedOnWhileReading++;
        yield* release();
      }
      if (inFlight < workers) send();
    }
  }

  async function* handOnAll(): AsyncGenerator<Out, void, undefined> {
    send();
    while (slots.length > 0) yield* release();
  }

  try {
    for (;;) {
      let next: IteratorResult<Item, Done>;
      try {
        next = yield* nextItem();
      } catch (error) {
        // A source that cannot be read on (a record whose end cannot be known): the items before
        // it are handed on, in order, as with one thread, and then the error.
        if (lanes.handOnBefore(error)) yield* handOnAll();
        throw error;
      }
      if (next.done) {
        yield* handOnAll();
        return next.value;
      }
      const item = next.value;
      gathered.push(item);
      if (lanes.isWork(item)) {
        gatheredWork++;
        gatheredBytes += lanes.size(item);
      }
      const full = gatheredWork >= schedule.batchAds || gatheredBytes >= schedule.batchBytes || gathered.length >= 4 * schedule.batchAds;
      if (full || inFlight < workers) send();
      // Hand on everything already settled; wait for the oldest batch only when too much waits behind it.
      while (slots.length > 0) {
        const oldest = slots[0] as Slot<Out>;
        if (settled(oldest)) yield* release();
        else if (slots.length > waitingLimit) {
          trace.waitedForOldest++;
          yield* release();
        } else break;
      }
    }
  } finally {
    // Stopped while an item was being read (a slow source): the source is released once that
    // read ends, which it does when the source is destroyed, sends more or ends.
    const pending = reading as Promise<unknown> | null;
    if (pending) pending.then(() => source.return(undefined as never)).catch(() => {});
    else await source.return(undefined as never);
  }
}
