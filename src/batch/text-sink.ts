import type { Writable } from "node:stream";

/** Options of `TextSink`. */
export interface TextSinkOptions {
  /** Characters gathered before a write (default 16 Ki). */
  chunkChars?: number;
  /** Longest time text waits for its chunk to fill, in milliseconds (default 200). */
  maxDelayMs?: number;
  /** Told once, when the stream first fails: a write the timer made may fail while the caller waits for input, not writing. */
  onFailure?: (error: NodeJS.ErrnoException) => void;
}

/**
 * Writes text to a stream in chunks of about `chunkChars`, waiting for 'drain' when the stream
 * asks (backpressure). Text never waits more than `maxDelayMs` for its chunk to fill: a slow
 * input (a live feed on stdin) still sees each result soon after it is scored. A stream that
 * fails (EPIPE when the reader has gone, a full disk) does not throw: `failure` is set and later
 * writes are dropped, so the caller decides what it means.
 */
export class TextSink {
  /** The stream's error, once it has failed. */
  failure: NodeJS.ErrnoException | null = null;
  private parts: string[] = [];
  private size = 0;
  private wake: (() => void) | null = null;
  private cancelled = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly chunkChars: number;
  private readonly maxDelayMs: number;
  private readonly onFailure: ((error: NodeJS.ErrnoException) => void) | undefined;
  private readonly onError = (error: NodeJS.ErrnoException) => {
    if (this.failure === null) {
      this.failure = error;
      this.onFailure?.(error);
    }
    this.wake?.();
  };

  constructor(
    private readonly stream: Writable,
    options: TextSinkOptions = {},
  ) {
    this.chunkChars = options.chunkChars ?? 16 * 1024;
    this.maxDelayMs = options.maxDelayMs ?? 200;
    this.onFailure = options.onFailure;
    stream.on("error", this.onError);
  }

  /** Queues text; writes when a chunk is full. */
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.chunkChars) await this.flush();
    else if (this.timer === null) {
      // One timer per chunk, not per write; it does not keep the process alive.
      this.timer = setTimeout(() => void this.flush(), this.maxDelayMs);
      this.timer.unref();
    }
  }

  /** Writes what is queued and waits until the stream can take more. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.size === 0) return;
    const text = this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join("");
    this.parts = [];
    this.size = 0;
    if (this.failure || this.stream.destroyed) return;
    // After `cancel`, text is still handed over but never waited on: the reader may be stuck.
    if (this.stream.write(text) || this.cancelled) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("close", done);
        this.wake = null;
        resolve();
      };
      this.wake = done;
      this.stream.on("drain", done);
      this.stream.on("close", done);
    });
  }

  /** Stops waiting for a stream that will not drain (Ctrl-C while the reader is stuck); queued text is kept for a last `flush`. */
  cancel(): void {
    this.cancelled = true;
    this.wake?.();
  }

  /** Stops listening to the stream (it is not ended: stdout stays open). */
  detach(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.stream.off("error", this.onError);
  }
}
