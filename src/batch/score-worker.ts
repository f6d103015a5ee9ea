// Entry point of a scoring worker thread: scores batches of ads with the model it was given.
import { parentPort, workerData } from "node:worker_threads";
import type { Model } from "../model/schema.js";
import { scoreItem, type ScoreSettings } from "./score-ad.js";
import type { ScoreRequest, ScoreResponse } from "./worker-pool.js";

const { model, settings } = workerData as { model: Model; settings: ScoreSettings };
const port = parentPort;
if (!port) throw new Error("score-worker.js runs only as a worker thread");

port.on("message", (request: ScoreRequest) => {
  let response: ScoreResponse;
  try {
    response = { id: request.id, results: request.items.map((item) => scoreItem(item, model, settings)) };
  } catch (error) {
    response = { id: request.id, error: (error as Error).stack ?? String(error) };
  }
  port.postMessage(response);
});
