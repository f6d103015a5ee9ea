// Entry point of a scoring worker thread: scores batches of ads with the model it was given.
import { constants, setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { Model } from "../model/schema.js";
import { scoreItem, type ScoreSettings } from "./score-ad.js";
import type { ScoreRequest, ScoreResponse } from "./worker-pool.js";

const { model, settings } = workerData as { model: Model; settings: ScoreSettings };
const port = parentPort;
if (!port) throw new Error("score-worker.js runs only as a worker thread");

// The reading thread's CSV parser is the one serial stage feeding every worker: when workers
// outnumber the cores beside it they starve it, and then run dry themselves. Running them at a
// lower priority lets the reader go first and the workers use the rest (two workers beside the
// reader on 2 cores: idle CPU time 4-7% -> 2-3%; one worker on 2 cores: no measurable change).
// Linux only, where a thread's nice value is its own; elsewhere it would lower the whole process.
if (process.platform === "linux") {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not allowed here (a restricted sandbox): the worker keeps normal priority.
  }
}

port.on("message", (request: ScoreRequest) => {
  let response: ScoreResponse;
  try {
    response = { id: request.id, results: request.items.map((item) => scoreItem(item, model, settings)) };
  } catch (error) {
    response = { id: request.id, error: (error as Error).stack ?? String(error) };
  }
  port.postMessage(response);
});
