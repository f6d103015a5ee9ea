import type { Writable } from "node:stream";

/**
 * Writes text to a stream in chunks of about `chunkChars`, waiting for 'drain' when the stream
 * asks (backpressure). A stream that fails (EPIPE when the reader has gone, a full disk) does
 * not throw: `failure` is set and later writes are dropped, so the caller decides what it means.
 */
export class TextSink {
  /** The stream's error, once it has failed. */
  failure: NodeJS.ErrnoException | null = null;
  private parts: string[] = [];
  private size = 0;
  private wake: (() => void) | null = null;
  private cancelled = false;
  private readonly onError = (error: NodeJS.ErrnoException) => {
    this.failure ??= error;
    this.wake?.();
  };

  constructor(
    private readonly stream: Writable,
    private readonly chunkChars = 16 * 1024,
  ) {
    stream.on("error", this.onError);
  }

  /** Queues text; writes when a chunk is full. */
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.chunkChars) await this.flush();
  }

  /** Writes what is queued and waits until the stream can take more. */
  async flush(): Promise<void> {
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
    this.stream.off("error", this.onError);
  }
}
