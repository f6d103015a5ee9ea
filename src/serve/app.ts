// The HTTP API and page of `pmpo serve` as a fastify instance: routes, body parsing, errors and
// headers, with no listening socket, console or signal of its own (server.ts has those), so
// tests drive it through fastify's injector.
import { Readable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { output, ZodType } from "zod";
import type { Model } from "../model/schema.js";
import { classify } from "../score/classify.js";
import type { Classification } from "../score/result.js";
import { decodeAd } from "../text/decode.js";
import { renderReport, type ReportFormat } from "../highlight/render-report.js";
import { DEFAULT_MAX_AD_BYTES } from "../batch/ad-records.js";
import { formatCsvHeader } from "../batch/csv-output.js";
import { formatRejectRow } from "../batch/jsonl-output.js";
import type { FormattedBatchEvent } from "../batch/outcome.js";
import { formatRecords } from "../batch/score-batch.js";
import { BatchTally } from "../batch/tally.js";
import { WorkerPool } from "../batch/worker-pool.js";
import type { ReportedAd } from "../batch/score-ad.js";
import { ApiError, describeError } from "./api-error.js";
import { BUSY_RETRY_AFTER_SECONDS, DEFAULT_MAX_BATCHES } from "./limits.js";
import { buildOpenApi } from "./openapi.js";
import { PAGE_CSS, PAGE_HTML, PAGE_JS } from "./page.js";
import { batchQuerySchema, classifyQuerySchema, classifyRequestSchema, MODEL_LANGUAGES } from "./schemas.js";

/** Default largest request body for `POST /api/classify`, in bytes (2 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Default time a request body may go without sending a byte before it is abandoned, in ms. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
/** Headers a request may carry (more is refused with 431). */
export const MAX_HEADERS = 100;

/** How the app is set up; the CLI fills it from its flags. */
export interface AppOptions {
  model: Model;
  /** Largest body of `POST /api/classify`, in bytes. */
  maxBodyBytes?: number;
  /** Largest ad text per batch record, in UTF-8 bytes. */
  maxAdBytes?: number;
  /** The one origin allowed to call the API from a browser, or null for none (no CORS headers). */
  cors?: string | null;
  /**
   * Threads that classify (default 1: this one), as `pmpo batch --workers`; with more than 1, the
   * ads of `/api/classify` are classified, and their reports written, on the worker threads.
   */
  workers?: number;
  /** Batch requests answered at once; a further one is refused with 503 `BUSY` until one of them ends. */
  maxBatches?: number;
  /** Accept any Host header (when listening beyond loopback on purpose); otherwise only localhost names and loopback addresses. */
  anyHost?: boolean;
  /** A request body that sends nothing for this long is abandoned (408), in ms. */
  bodyTimeoutMs?: number;
  /** Called with unexpected errors (500s), for the server's log. */
  onInternalError?: (error: unknown) => void;
}

/** Ads at least this long (UTF-16 code units) hold a worker long enough that short ones are not queued behind them (see `buildApp`). */
export const LONG_AD_LENGTH = 64 * 1024;

/** Headers sent with every response, errors included. The page's script and style come from this origin only; nothing else loads. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "cache-control": "no-store",
};

// The downloadable report has inline styles (it is a standalone file) and nothing else.
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Paths and the methods each answers; any other method on them is 405. */
const ROUTES: Readonly<Record<string, readonly string[]>> = {
  "/": ["GET", "HEAD"],
  "/app.js": ["GET", "HEAD"],
  "/app.css": ["GET", "HEAD"],
  "/healthz": ["GET", "HEAD"],
  "/api/model": ["GET", "HEAD"],
  "/api/openapi.json": ["GET", "HEAD"],
  "/api/classify": ["POST"],
  "/api/batch": ["POST"],
};

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** The host name of a Host header, without its port; lower-cased. */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1);
  const colon = lower.lastIndexOf(":");
  return colon >= 0 ? lower.slice(0, colon) : lower;
}

/** Parses a query or body with a zod schema; the first issue is the 400's message. */
function parseWith<T extends ZodType>(schema: T, value: unknown, what: string): output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join(".") : what;
  throw new ApiError(400, "BAD_REQUEST", `${path}: ${issue?.message ?? "invalid"}`);
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Parses a JSON body held as bytes: invalid UTF-8 and malformed JSON are 400s that say so. */
function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = STRICT_UTF8.decode(body);
  } catch {
    throw new ApiError(400, "INVALID_UTF8", "the body is not valid UTF-8 (JSON must be UTF-8)");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "BAD_JSON", `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The bytes of a streamed request body, counted; a wait of more than `timeoutMs` for the next
 * chunk (a client that stopped sending) ends it with a 408. The body is left as it is: the
 * route destroys it once its response is sent, so an abandoned upload frees its socket then.
 */
async function* watchBody(body: Readable, timeoutMs: number, onBytes: (n: number) => void): AsyncGenerator<Buffer, void, undefined> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ApiError(408, "REQUEST_TIMEOUT", `the request body sent nothing for ${timeoutMs} ms; the upload was abandoned`)), timeoutMs);
      });
      let next: IteratorResult<Buffer>;
      try {
        next = await Promise.race([chunks.next(), timeout]);
      } finally {
        clearTimeout(timer);
      }
      if (next.done) return;
      onBytes(next.value.length);
      yield next.value;
    }
  } finally {
    // Whatever comes after a stop is read and dropped, so the answer reaches a client still sending.
    if (!body.readableEnded) body.resume();
  }
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, "BODY_TOO_LARGE", `the request body is larger than the limit of ${limit} bytes (the server's --max-body)`);
}

/** A whole request body, at most `limit` bytes; a wait of more than `timeoutMs` for the next chunk is a 408. */
async function readBody(payload: Readable, limit: number, timeoutMs: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of watchBody(payload, timeoutMs, () => {})) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A batch reject as an NDJSON line: the `--rejects` file's fields. */
export const formatRejectLine = formatRejectRow;

/** Builds the app. Call `close()` on it to stop its worker threads. */
export function buildApp(options: AppOptions): FastifyInstance {
  const model = options.model;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxAdBytes = options.maxAdBytes ?? DEFAULT_MAX_AD_BYTES;
  const workers = options.workers ?? 1;
  const maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const cors = options.cors ?? null;
  const limits = { maxBodyBytes };

  const app = fastify({
    logger: false,
    bodyLimit: maxBodyBytes,
    // The server's own limits (server.ts sets the socket ones); fastify rejects these before routing.
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // Node checks the headers timeout (server.ts sets it) this often; its default, 30 s, would let
    // a client that never finishes its headers hold a socket for up to 40 s instead of 10.
    http: { connectionsCheckingInterval: 1_000 },
    forceCloseConnections: "idle",
    // A malformed request line or oversized headers never reach a route: answered here, in the same shape.
    clientErrorHandler: (error, socket) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ECONNRESET" || !socket.writable) {
        socket.destroy();
        return;
      }
      const [status, reason, apiCode, message] =
        code === "HPE_HEADER_OVERFLOW"
          ? [431, "Request Header Fields Too Large", "TOO_MANY_HEADERS", "the request's headers are larger than 16 KiB"]
          : code === "ERR_HTTP_REQUEST_TIMEOUT" || code === "ERR_HTTP_HEADERS_TIMEOUT"
            ? [408, "Request Timeout", "REQUEST_TIMEOUT", "the request took too long to arrive"]
            : [400, "Bad Request", "BAD_REQUEST", "the request is not valid HTTP"];
      const body = JSON.stringify({ error: { code: apiCode, message } });
      const headers = Object.entries(SECURITY_HEADERS)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("");
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${headers}\r\n${body}`,
      );
    },
  });

  // Node keeps only the first 1,000 headers (2,000 raw entries) and drops the rest silently,
  // Host among them; with no cap here, the onRequest hook counts them all and refuses too many.
  app.server.maxHeadersCount = 0;

  let pool: WorkerPool | null = null;
  const classifyPool = () => {
    // A worker that crashed (out of memory, say) fails the requests it held, not the server:
    // the next request starts new workers.
    if (pool?.failed) {
      void pool.close();
      pool = null;
    }
    pool ??= new WorkerPool(workers - 1, model, { highlights: true });
    return pool;
  };
  app.addHook("onClose", async () => {
    if (pool) await pool.close();
  });
  // With worker threads, they classify the ads of /api/classify and write the reports, and this
  // thread only reads requests and sends answers (npm run bench, 50 connections on 2 cores:
  // 3,048-3,152 req/s, against 2,302 with this thread doing all of it). A long ad holds its
  // worker for up to seconds: while every worker has one in hand, short ads are classified here
  // instead, so that they do not wait behind it.
  const reportHere = (text: string, title: string | null, format: ReportFormat): string => renderReport(text, classify(text, { model, title: title ?? undefined }), format);
  let longInFlight = 0;
  const reportElsewhere = async (text: string, title: string | null, format: ReportFormat): Promise<string> => {
    const long = text.length >= LONG_AD_LENGTH;
    if (!long && longInFlight >= workers - 1) return reportHere(text, title, format);
    if (long) longInFlight++;
    try {
      const [scored] = await classifyPool().score([{ text, title, report: format }]);
      return (scored as ReportedAd).report;
    } finally {
      if (long) longInFlight--;
    }
  };

  app.removeAllContentTypeParsers();
  // The JSON body is read here rather than by fastify's reader, so that a body that stops
  // arriving is answered (408) like a batch upload that does, and not only dropped.
  app.addContentTypeParser("application/json", (request, payload, done) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      payload.resume();
      done(tooLarge(maxBodyBytes), undefined);
      return;
    }
    readBody(payload, maxBodyBytes, bodyTimeoutMs).then(
      (body) => {
        try {
          done(null, parseJsonBody(body));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
      (error: Error) => done(error, undefined),
    );
  });
  // A CSV body is handed on as the stream it is: the batch engine reads it record by record.
  app.addContentTypeParser(["text/csv", "text/tab-separated-values", "application/csv"], (_request, payload, done) => done(null, payload));

  // Closing waits for the requests in flight and then drops every connection left: Node keeps
  // one that is open with no request on it (a client's spare keep-alive socket) for as long as
  // its timeouts allow, which would hold a stopping server up for no request at all.
  let inFlight = 0;
  let closing = false;
  const dropConnections = () => {
    if (closing && inFlight === 0) app.server.closeAllConnections();
  };
  app.addHook("preClose", async () => {
    closing = true;
    dropConnections();
  });

  app.addHook("onRequest", async (request, reply) => {
    inFlight++;
    reply.raw.once("close", () => {
      inFlight--;
      // After the answer has gone out, on a later turn, so the socket is not cut under it.
      setImmediate(dropConnections);
    });
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (request.raw.rawHeaders.length / 2 > MAX_HEADERS) throw new ApiError(431, "TOO_MANY_HEADERS", `the request has ${request.raw.rawHeaders.length / 2} headers; at most ${MAX_HEADERS} are read`);
    // A page elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding) sends its own Host.
    if (!options.anyHost) {
      const host = request.headers.host;
      if (host === undefined || !LOOPBACK_HOSTS.has(hostName(host))) {
        throw new ApiError(403, "HOST_NOT_ALLOWED", `Host ${JSON.stringify(host ?? "")} is not this machine; the server answers localhost and loopback addresses only (start it with --host to listen beyond loopback)`);
      }
    }
    if (cors !== null && request.headers.origin === cors) {
      reply.header("access-control-allow-origin", cors);
      reply.header("vary", "Origin");
      if (request.method === "OPTIONS") {
        reply.header("access-control-allow-methods", "GET, POST");
        reply.header("access-control-allow-headers", "content-type");
        reply.header("access-control-max-age", "600");
        return reply.code(204).send();
      }
    }
    return undefined;
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body, internal, headers } = describeError(error, limits);
    // A client that goes away mid-upload makes reading its body fail (ECONNRESET): its going, not a bug.
    if (internal && !reply.raw.destroyed) options.onInternalError?.(error);
    if (headers) reply.headers(headers);
    // A body that was not read to its end leaves the connection unusable for the next request.
    if (status === 413 || status === 408) reply.header("connection", "close");
    // A client that stopped sending will not send the rest: its socket is freed once the answer is out.
    if (status === 408) reply.raw.once("close", () => request.raw.destroy());
    void reply.code(status).type("application/json; charset=utf-8").send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split("?")[0] ?? "").replace(/\/+$/, "") || "/";
    const allowed = ROUTES[path];
    if (allowed && request.method !== "OPTIONS") {
      void reply
        .code(405)
        .header("allow", allowed.join(", "))
        .type("application/json; charset=utf-8")
        .send({ error: { code: "METHOD_NOT_ALLOWED", message: `${request.method} ${path}: use ${allowed.filter((m) => m !== "HEAD").join(" or ")}` } });
      return;
    }
    void reply.code(404).type("application/json; charset=utf-8").send({ error: { code: "NOT_FOUND", message: `no such path: ${path.slice(0, 200)} (see GET /api/openapi.json)` } });
  });

  app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(PAGE_HTML));
  app.get("/app.js", async (_request, reply) => reply.type("text/javascript; charset=utf-8").send(PAGE_JS));
  app.get("/app.css", async (_request, reply) => reply.type("text/css; charset=utf-8").send(PAGE_CSS));
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/api/model", async () => ({ name: model.name, version: model.version, trainingHash: model.trainingHash, languages: MODEL_LANGUAGES }));
  const openApi = JSON.stringify(buildOpenApi(), null, 2);
  app.get("/api/openapi.json", async (_request, reply) => reply.type("application/json; charset=utf-8").send(openApi));

  app.post("/api/classify", async (request: FastifyRequest, reply: FastifyReply) => {
    const query = parseWith(classifyQuerySchema, request.query, "query");
    if (request.body instanceof Readable) {
      request.body.resume();
      throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "POST /api/classify takes application/json: {\"text\": \"...\", \"title\": \"...\"}");
    }
    const body = parseWith(classifyRequestSchema, request.body, "body");
    // The same checks as `pmpo classify` on the same text (binary signatures, NUL, empty), so the same text gets the same answer.
    const text = decodeAd(Buffer.from(body.text, "utf8"), "text");
    const title = body.title ?? undefined;
    const format = query.format ?? "json";
    // Byte for byte what `pmpo classify --format FORMAT` prints, written where the ad is classified.
    const report = workers > 1 ? await reportElsewhere(text, title ?? null, format) : reportHere(text, title ?? null, format);
    switch (format) {
      case "markdown":
        return reply.type("text/markdown; charset=utf-8").send(report);
      case "html":
        return reply
          .type("text/html; charset=utf-8")
          .header("content-security-policy", REPORT_CSP)
          .header("content-disposition", 'attachment; filename="pmpo-report.html"')
          .send(report);
      default:
        return reply.type("application/json; charset=utf-8").send(report);
    }
  });

  // Batch requests in flight, counted from before their body is read until their response closes.
  let batches = 0;
  const takeBatchSlot = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (batches >= maxBatches) {
      // The body is left unread: Node reads and drops it after the answer, so the client, still
      // sending, gets the 503 rather than a reset connection.
      throw new ApiError(
        503,
        "BUSY",
        `the server is scoring ${maxBatches} CSV ${maxBatches === 1 ? "upload" : "uploads"} already (its --max-batches); try again in ${BUSY_RETRY_AFTER_SECONDS} s`,
        { "retry-after": String(BUSY_RETRY_AFTER_SECONDS) },
      );
    }
    batches++;
    // 'close' comes once, whichever way the request ends: answered, refused, failed or abandoned by its client.
    reply.raw.once("close", () => batches--);
  };

  app.post("/api/batch", { onRequest: takeBatchSlot }, async (request: FastifyRequest, reply: FastifyReply) => {
    const query = parseWith(batchQuerySchema, request.query, "query");
    if (!(request.body instanceof Readable)) {
      throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "POST /api/batch takes the CSV itself as the body, as text/csv (or text/tab-separated-values)");
    }
    const body = request.body;
    // Once the answer is sent (or the client has gone), the rest of an unfinished upload is not wanted: its socket is freed.
    reply.raw.once("close", () => body.destroy());
    let bytes = 0;
    // The engine counts the records into it; progress lines read it.
    const tally = new BatchTally();
    const events = formatRecords(
      watchBody(body, bodyTimeoutMs, (n) => {
        bytes += n;
      }),
      {
        model,
        encoding: query.encoding,
        delimiter: query.delimiter,
        maxAdBytes,
        columns: { text: query.textColumn, id: query.idColumn, title: query.titleColumn },
        source: "request body",
        workers,
        highlights: query.highlights,
        csvFormulas: query.csvFormulas,
      },
      query.format,
      { tally },
    );
    // Input that cannot be read as listings at all (empty, binary, no text column) fails before
    // the first record, so it still gets a status of its own rather than a 200 and an error line.
    let first: IteratorResult<FormattedBatchEvent, void>;
    try {
      first = await events.next();
    } catch (error) {
      reply.header("connection", "close");
      throw error;
    }
    const clientGone = () => reply.raw.destroyed;
    const lines = Readable.from(batchLines(first, events, query.format, query.progress, () => ({ records: tally.read, bytes }), clientGone, options.onInternalError), { objectMode: false });
    // The client went away: stop reading and scoring (the generator's finally releases the body and workers).
    reply.raw.once("close", () => lines.destroy());
    return reply.type(query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8").send(lines);
  });

  return app;
}

/** NDJSON (or CSV) lines of a batch request: one per record, a summary last, an error line if reading stops early. */
async function* batchLines(
  first: IteratorResult<FormattedBatchEvent, void>,
  events: AsyncGenerator<FormattedBatchEvent, void, undefined>,
  format: "csv" | "jsonl",
  progress: boolean,
  readSoFar: () => { records: number; bytes: number },
  clientGone: () => boolean,
  onInternalError: ((error: unknown) => void) | undefined,
): AsyncGenerator<string, void, undefined> {
  let lastProgress = Date.now();
  let lastFlush = lastProgress;
  // Lines are sent in groups (16 KiB, or every 100 ms while results come slowly), not one write per record.
  let pending = "";
  const line = (event: FormattedBatchEvent): string => {
    switch (event.kind) {
      case "header":
        return format === "csv" ? formatCsvHeader() : "";
      case "formatted":
        return event.row;
      case "rejected":
        return format === "csv" ? "" : formatRejectLine(event);
      case "summary":
        return format === "csv" ? "" : `${JSON.stringify({ summary: event.summary })}\n`;
    }
  };
  try {
    if (!first.done) pending += line(first.value);
    let turn = Date.now();
    for await (const event of events) {
      pending += line(event);
      const now = Date.now();
      // Records already buffered are scored one after another without a pause for I/O: every
      // 10 ms the other requests get their turn, so a batch does not hold them up.
      if (now - turn >= 10) {
        await nextTurn();
        turn = Date.now();
      }
      if (progress && format === "jsonl" && now - lastProgress >= 200) {
        lastProgress = now;
        pending += `${JSON.stringify({ progress: readSoFar() })}\n`;
      }
      if (pending.length >= 16 * 1024 || progress || now - lastFlush >= 100) {
        lastFlush = now;
        yield pending;
        pending = "";
      }
    }
    if (pending !== "") yield pending;
  } catch (error) {
    // The client went away mid-upload and its body stopped short: no one to tell, and no bug.
    if (clientGone()) return;
    const { body, internal } = describeError(error, { maxBodyBytes: 0 });
    if (internal) onInternalError?.(error);
    yield `${pending}${format === "csv" ? "" : `${JSON.stringify(body)}\n`}`;
  } finally {
    await events.return(undefined);
  }
}
