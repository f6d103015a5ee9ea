import { Worker } from "node:worker_threads";
import type { Model } from "../model/schema.js";
import type { AdItem, ScoredAd, ScoreSettings } from "./score-ad.js";

/** A batch of ads sent to a worker. */
export interface ScoreRequest {
  id: number;
  items: AdItem[];
}

/** A worker's answer to one request: results in the order of the items, or the error it hit. */
export type ScoreResponse = { id: number; results: ScoredAd[] } | { id: number; error: string };

interface Pending {
  resolve: (results: ScoredAd[]) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of worker threads that classify batches of ads. Each `score` call resolves with
 * its own batch's results, so callers that await the calls in the order they made them keep
 * input order however the workers interleave. A crashed worker fails every pending batch.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly pending = new Map<number, { pending: Pending; worker: number }>();
  private nextId = 0;
  private failure: Error | null = null;

  /** Starts `size` workers (1..64), each with its own copy of the model. */
  constructor(size: number, model: Model, settings: ScoreSettings) {
    const script = new URL("../batch/score-worker.js", import.meta.url);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { workerData: { model, settings } });
      worker.on("message", (response: ScoreResponse) => this.settle(i, response));
      worker.on("error", (error) => this.fail(new Error(`scoring worker ${i + 1} failed: ${error.stack ?? error.message}`)));
      worker.on("exit", (code) => {
        if (this.pending.size > 0 || code !== 0) this.fail(new Error(`scoring worker ${i + 1} stopped (exit code ${code})`));
      });
      this.workers.push(worker);
      this.busy.push(0);
    }
  }

  /** True once a worker has crashed or stopped (every later `score` fails) or the pool was closed. */
  get failed(): boolean {
    return this.failure !== null;
  }

  /** Classifies a batch on the least busy worker. */
  score(items: ScoreRequest["items"]): Promise<ScoredAd[]> {
    if (this.failure) return Promise.reject(this.failure);
    let index = 0;
    for (let i = 1; i < this.busy.length; i++) if ((this.busy[i] as number) < (this.busy[index] as number)) index = i;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { pending: { resolve, reject }, worker: index });
      this.busy[index] = (this.busy[index] as number) + items.length;
      const request: ScoreRequest = { id, items };
      (this.workers[index] as Worker).postMessage(request);
    });
  }

  private settle(worker: number, response: ScoreResponse): void {
    const entry = this.pending.get(response.id);
    if (!entry) return;
    this.pending.delete(response.id);
    if ("error" in response) {
      entry.pending.reject(new Error(`scoring worker ${worker + 1} failed: ${response.error}`));
      return;
    }
    this.busy[worker] = Math.max(0, (this.busy[worker] as number) - response.results.length);
    entry.pending.resolve(response.results);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const { pending } of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  /** Stops every worker; pending batches are dropped. */
  async close(): Promise<void> {
    this.failure ??= new Error("worker pool closed");
    this.pending.clear();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
