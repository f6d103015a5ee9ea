import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Command } from "commander";
import { IoError, UsageError } from "../errors.js";
import { loadDefaultModel, loadModel } from "../model/io.js";
import { DEFAULT_MAX_AD_BYTES } from "../batch/ad-records.js";
import { BUSY_RETRY_AFTER_SECONDS, DEFAULT_MAX_BATCHES } from "../serve/limits.js";
import { EXIT, type CliIo } from "./io.js";
import { checkMemoryFor, MEMORY_BYTES_PER_AD_BYTE, parseByteSize } from "./size-flags.js";

interface ServeFlags {
  port: string;
  host: string;
  maxBody: string;
  maxAdBytes: string;
  cors?: string;
  workers: string;
  maxBatches: string;
  model?: string;
  bodyTimeout: string;
}

// The server is a module of its own, imported only when `serve` runs: the HTTP framework stays
// out of the other commands' start-up and out of the library. Named by URL so the CLI bundle
// leaves it a separate file (dist/serve/server.js) rather than bundling it in.
const SERVER_MODULE = new URL("../serve/server.js", import.meta.url).href;

/**
 * Threads `--workers auto` gives the server: one per core, up to 8 (each worker holds its own
 * model and heap). On one core, 1: the event loop classifies too, as a worker would only take
 * turns with it.
 */
export function serveWorkers(cores: number): number {
  return Math.max(1, Math.min(8, Math.floor(cores)));
}

function checkFlags(flags: ServeFlags, cores: number) {
  if (!/^\d+$/.test(flags.port) || Number(flags.port) > 65535) throw new UsageError(`--port ${JSON.stringify(flags.port)} must be a port number from 0 to 65535`, "0 picks a free port");
  const maxBodyBytes = parseByteSize(flags.maxBody);
  if (maxBodyBytes === null) throw new UsageError(`--max-body ${JSON.stringify(flags.maxBody)} is not a size`, "give bytes, or a number with k, M or G, e.g. 2M");
  const maxAdBytes = parseByteSize(flags.maxAdBytes);
  if (maxAdBytes === null) throw new UsageError(`--max-ad-bytes ${JSON.stringify(flags.maxAdBytes)} is not a size`, "give bytes, or a number with k, M or G, e.g. 1M");
  // A request with an ad this heap cannot classify would abort the process, and every request in flight with it.
  checkMemoryFor("--max-body", maxBodyBytes);
  checkMemoryFor("--max-ad-bytes", maxAdBytes);
  if (flags.workers !== "auto" && (!/^\d+$/.test(flags.workers) || Number(flags.workers) < 1 || Number(flags.workers) > 64)) {
    throw new UsageError(`--workers ${JSON.stringify(flags.workers)} must be auto or a whole number from 1 to 64`);
  }
  if (!/^\d+$/.test(flags.maxBatches) || Number(flags.maxBatches) < 1 || Number(flags.maxBatches) > 64) {
    throw new UsageError(`--max-batches ${JSON.stringify(flags.maxBatches)} must be a whole number from 1 to 64`);
  }
  if (!/^\d+(\.\d+)?$/.test(flags.bodyTimeout) || Number(flags.bodyTimeout) <= 0) throw new UsageError(`--body-timeout ${JSON.stringify(flags.bodyTimeout)} must be a number of seconds above 0`);
  let cors: string | null = null;
  if (flags.cors !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(flags.cors);
    } catch {
      url = null;
    }
    if (url === null || !/^https?:$/.test(url.protocol) || url.origin !== flags.cors.replace(/\/$/, "")) {
      throw new UsageError(`--cors ${JSON.stringify(flags.cors)} is not an origin`, "give scheme, host and port only, e.g. --cors http://localhost:3000");
    }
    cors = url.origin;
  }
  if (flags.host.trim() === "") throw new UsageError("--host must name an address", "e.g. 127.0.0.1 (the default) or 0.0.0.0");
  return { port: Number(flags.port), host: flags.host, maxBodyBytes, maxAdBytes, workers: flags.workers === "auto" ? serveWorkers(cores) : Number(flags.workers), maxBatches: Number(flags.maxBatches), bodyTimeoutMs: Math.round(Number(flags.bodyTimeout) * 1000), cors };
}

/** `pmpo serve`: the page and the HTTP API on this machine. */
export function serveCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("serve")
    .description("serve a page for pasting ads and scoring CSV files, and an HTTP API (classify, batch), on this machine")
    .option("-p, --port <port>", "port to listen on; 0 picks a free one (the first line printed says which)", "8080")
    .option("--host <address>", "address to listen on; anything but loopback makes the page reachable from the network (a warning says so)", "127.0.0.1")
    .option("--max-body <size>", `largest body of POST /api/classify (bytes, or with k, M or G); larger is 413; a size this heap could not classify (about ${MEMORY_BYTES_PER_AD_BYTE} bytes of memory per byte) is refused`, "2M")
    .option("--max-ad-bytes <size>", "POST /api/batch: reject ad texts larger than this per record (the body itself is streamed, with no limit); a size this heap could not classify is refused, as for --max-body", String(DEFAULT_MAX_AD_BYTES))
    .option("--cors <origin>", "let pages from this one origin call the API (default: no CORS headers)")
    .option(
      "-w, --workers <n>",
      "threads that classify: auto is one per core, up to 8; 1 is the thread that answers requests alone; with n > 1, n - 1 worker threads classify the ads of /api/classify (and write their reports) while that thread reads requests and sends answers (it classifies short ads itself only while every worker holds an ad of 64 Ki characters or more), and each batch request uses n threads as pmpo batch --workers n does",
      "auto",
    )
    .option(
      "--max-batches <n>",
      `POST /api/batch requests scored at once; one more is answered 503 BUSY with Retry-After: ${BUSY_RETRY_AFTER_SECONDS} until one ends (each holds a CSV parser and its --workers threads; more at once finish no sooner, as one thread reads every CSV)`,
      String(DEFAULT_MAX_BATCHES),
    )
    .option("--body-timeout <seconds>", "a request body that sends nothing for this long is abandoned (408)", "30")
    .option("-m, --model <path>", "model file (default: the shipped models/default.json)")
    .addHelpText(
      "after",
      `
Endpoints: GET / (the page), POST /api/classify (JSON {"text", "title"}: the classify
--format json document; ?format=markdown|html for the reports), POST /api/batch (a CSV body,
the batch options as query parameters: NDJSON, one line per record, then the summary),
GET /api/model, GET /api/openapi.json, GET /healthz. Errors are JSON {"error": {"code",
"message"}}. On loopback (the default) the server answers only requests addressed to
localhost or a loopback address. SIGINT (Ctrl-C) and SIGTERM stop accepting, finish the requests in
flight and exit 0.

Exit codes: 0 stopped by a signal; 2 usage (a --max-body or --max-ad-bytes this heap could
not classify among them), model error or a port that cannot be listened on.

Examples:
  pmpo serve
  pmpo serve --port 0
  curl -s localhost:8080/api/classify -H 'content-type: application/json' -d '{"text": "Own the roadmap..."}'
  curl -s localhost:8080/api/batch -H 'content-type: text/csv' --data-binary @listings.csv`,
    )
    .action(async (flags: ServeFlags) => {
      const settings = checkFlags(flags, io.cores ?? availableParallelism());
      const model = flags.model ? loadModel(resolve(io.cwd, flags.model)) : loadDefaultModel();
      const { runServer } = (await import(SERVER_MODULE)) as typeof import("../serve/server.js");
      try {
        await runServer({ ...settings, model }, io);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE") throw new IoError(`${settings.host}:${settings.port}: the port is in use`, "pass another --port, or --port 0 for a free one");
        if (code === "EACCES") throw new IoError(`${settings.host}:${settings.port}: permission denied`, "ports below 1024 need privileges: use a higher --port");
        if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new IoError(`--host ${settings.host}: no such address on this machine`);
        throw error;
      }
      setExit(EXIT.ok);
    });
}
