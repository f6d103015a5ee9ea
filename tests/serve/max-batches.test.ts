// --max-batches: with that many batch requests in flight a further one is 503 BUSY with
// Retry-After, and a request gives its slot back however it ends. Requests are held in flight by
// bodies that are not ended, never by waiting a while.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { request, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { BUSY_RETRY_AFTER_SECONDS, DEFAULT_MAX_BATCHES } from "../../src/serve/limits.js";
import { errorOf, expectSecurityHeaders, LISTINGS, listening, ndjson, testApp } from "./helpers.js";

const csv = { "content-type": "text/csv" };
const LISTINGS_CSV = readFileSync(LISTINGS);
const BUSY_MESSAGE = (n: number) =>
  `the server is scoring ${n} CSV ${n === 1 ? "upload" : "uploads"} already (its --max-batches); try again in ${BUSY_RETRY_AFTER_SECONDS} s`;

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
const appWith = (maxBatches?: number) => {
  const app = testApp(maxBatches === undefined ? {} : { maxBatches });
  apps.push(app);
  return app;
};

/** A request body the test sends itself; `reading` resolves when the server first asks for it, by which time the request holds its slot. */
function heldBody(): { body: Readable; reading: Promise<void> } {
  let started!: () => void;
  const reading = new Promise<void>((resolve) => (started = resolve));
  return { body: new Readable({ read: () => started() }), reading };
}

/** The listings fixture as one batch request; its answer must be the whole NDJSON with the summary. */
async function expectScored(app: FastifyInstance): Promise<void> {
  const res = await app.inject({ method: "POST", url: "/api/batch", headers: csv, payload: LISTINGS_CSV });
  expect(res.statusCode, res.body).toBe(200);
  expect(ndjson(res.body).at(-1)).toMatchObject({ summary: { read: 6, scored: 3, rejected: 3 } });
}

describe("--max-batches through the injector", () => {
  it(`holds ${DEFAULT_MAX_BATCHES} batches by default and answers one more with 503 BUSY and Retry-After`, async () => {
    const app = appWith();
    const held = Array.from({ length: DEFAULT_MAX_BATCHES }, heldBody);
    const answers = held.map(({ body }) => app.inject({ method: "POST", url: "/api/batch", headers: csv, payload: body }));
    await Promise.all(held.map((h) => h.reading));

    const busy = await app.inject({ method: "POST", url: "/api/batch", headers: csv, payload: LISTINGS_CSV });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers["retry-after"]).toBe(String(BUSY_RETRY_AFTER_SECONDS));
    expect(busy.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(errorOf(busy.body)).toEqual({ code: "BUSY", message: BUSY_MESSAGE(DEFAULT_MAX_BATCHES) });
    expectSecurityHeaders(busy.headers);
    // Only batches count: one ad is still classified.
    const one = await app.inject({ method: "POST", url: "/api/classify", headers: { "content-type": "application/json" }, payload: { text: "Own the roadmap and the product vision." } });
    expect(one.statusCode).toBe(200);

    // One held batch ends: its slot goes to the next batch while the others are still in flight.
    const [first, ...rest] = held;
    first!.body.push(LISTINGS_CSV);
    first!.body.push(null);
    expect((await answers[0])!.statusCode).toBe(200);
    await expectScored(app);
    for (const { body } of rest) {
      body.push(LISTINGS_CSV);
      body.push(null);
    }
    for (const answer of answers) expect((await answer).statusCode).toBe(200);
  });

  it("says upload, not uploads, at --max-batches 1", async () => {
    const app = appWith(1);
    const held = heldBody();
    const answer = app.inject({ method: "POST", url: "/api/batch", headers: csv, payload: held.body });
    await held.reading;
    const busy = await app.inject({ method: "POST", url: "/api/batch", headers: csv, payload: LISTINGS_CSV });
    expect(errorOf(busy.body)).toEqual({ code: "BUSY", message: BUSY_MESSAGE(1) });
    held.body.push(null);
    // An empty body is refused (422), and that ends the request as well as an answer does.
    expect((await answer).statusCode).toBe(422);
    await expectScored(app);
  });

  // Each way a batch request can end, at --max-batches 1: if its slot were kept, the next batch would be 503.
  it.each([
    ["scored to its summary", { headers: csv, payload: LISTINGS_CSV }, 200],
    ["refused before any line (no text column)", { headers: csv, payload: "id,salary\n1,100\n" }, 422],
    ["a wrong content type", { headers: { "content-type": "application/json" }, payload: '{"text": "x"}' }, 415],
    ["a wrong query parameter", { url: "/api/batch?delimiter=x", headers: csv, payload: LISTINGS_CSV }, 400],
  ] as const)("gives its slot back when a batch ends %s", async (_how, req, status) => {
    const app = appWith(1);
    const res = await app.inject({ method: "POST", url: "/api/batch", ...req });
    expect(res.statusCode, res.body).toBe(status);
    await expectScored(app);
    await expectScored(app);
  });

  it("gives its slot back when the upload fails halfway", async () => {
    const app = appWith(1);
    const held = heldBody();
    const answer = app.inject({ method: "POST", url: "/api/batch", headers: csv, payload: held.body });
    await held.reading;
    held.body.push("id,description\n1,Own the backlog and write user stories\n2,Own the road");
    held.body.destroy(new Error("the upload broke"));
    await answer.catch(() => undefined);
    await expectScored(app);
  });
});

// Rows enough for the reader to hand on records (it checks 64 KiB for UTF-8 first), so the answer starts while the upload goes on.
const ROWS = Array.from({ length: 2000 }, (_, i) => `${i + 1},Own the backlog and write user stories for the team's sprints\n`).join("");

const LARGE_CSV = `id,description\n${"1,Own the backlog and write user stories for the team\n".repeat(150_000)}`;

describe("--max-batches on a real socket", () => {
  it.each([
    ["before its CSV header has ended", "id,descr", false],
    ["after a record, while the server waits for the next", "id,description\n1,Own the backlog\n", false],
    ["after its answer has begun, with records scored and sent", `id,description\n${ROWS}`, true],
  ] as const)("frees the slot of an upload its client abandons %s: the next batch at the cap is scored", async (_when, sent, answerBegins) => {
    const internal: unknown[] = [];
    const { app, url, port } = await listening({ maxBatches: 1, onInternalError: (error) => internal.push(error) });
    apps.push(app);
    const served = new Promise<ServerResponse>((resolve) => app.server.once("request", (_req: IncomingMessage, res: ServerResponse) => resolve(res)));
    const upload = request({ host: "127.0.0.1", port, method: "POST", path: "/api/batch", headers: { ...csv, "transfer-encoding": "chunked" } });
    upload.on("error", () => {});
    try {
      const answered = once(upload, "response") as Promise<[IncomingMessage]>;
      // Rejected by the destroy below when no answer came.
      answered.catch(() => {});
      upload.write(sent);
      const response = await served;
      if (answerBegins) expect((await answered)[0].statusCode).toBe(200);

      // In flight, halfway through its upload: another batch, from a second real client, is refused;
      // its body (8 MB, still being sent when the answer comes) is read and dropped, not reset.
      const busy = await fetch(`${url}/api/batch`, { method: "POST", headers: csv, body: LARGE_CSV });
      expect(busy.status).toBe(503);
      expect(busy.headers.get("retry-after")).toBe(String(BUSY_RETRY_AFTER_SECONDS));
      expect(errorOf(await busy.text())).toEqual({ code: "BUSY", message: BUSY_MESSAGE(1) });

      // The client goes away without finishing its upload; once the server has seen its response close, the slot is free.
      const closed = once(response, "close");
      upload.destroy();
      await closed;
    } finally {
      // Also when an expectation above fails, so that closing the app does not wait for this upload.
      upload.destroy();
    }
    // The next batch is scored, and so is one after it: a finished batch frees its slot as well.
    for (let i = 0; i < 2; i++) {
      const next = await fetch(`${url}/api/batch`, { method: "POST", headers: csv, body: LISTINGS_CSV });
      expect(next.status).toBe(200);
      expect(ndjson(await next.text()).at(-1)).toMatchObject({ summary: { read: 6, scored: 3, rejected: 3 } });
    }
    // A client going away is not a bug in the server: nothing is reported as one.
    expect(internal).toEqual([]);
  });
});
