// The API through fastify's injector: each endpoint's answer is the CLI's on the same input,
// errors have their status and JSON shape, and every response carries the security headers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadDefaultModel } from "../../src/model/io.js";
import { classificationSchema } from "../../src/schemas.js";
import { batchRejectLineSchema, batchResultLineSchema, batchSummaryLineSchema } from "../../src/serve/schemas.js";
import { assertBuilt, runCli } from "../helpers/cli.js";
import { fixture } from "../helpers/paths.js";
import { builtApp, errorOf, expectSecurityHeaders, fixtureText, LISTINGS, ndjson, testApp } from "./helpers.js";

const SNAP = "fixtures/ads/snap-payments-pm.txt";
const json = { "content-type": "application/json" };
const csv = { "content-type": "text/csv" };

let app: FastifyInstance;
beforeAll(() => {
  assertBuilt();
  app = testApp();
});
afterAll(async () => {
  await app.close();
});

describe("POST /api/classify", () => {
  it("returns byte for byte what `pmpo classify --format json` prints, with and without a title", async () => {
    const text = fixtureText("ads", "snap-payments-pm.txt");
    for (const title of [undefined, "Product Owner"]) {
      const res = await app.inject({ method: "POST", url: "/api/classify", headers: json, payload: JSON.stringify(title ? { text, title } : { text }) });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
      const cli = runCli(["classify", SNAP, "--format", "json", ...(title ? ["--title", title] : [])]);
      expect(cli.status).toBe(0);
      expect(res.body).toBe(cli.stdout);
      expect(classificationSchema.safeParse(JSON.parse(res.body)).success).toBe(true);
      expectSecurityHeaders(res.headers);
    }
  });

  it.each(["markdown", "html"])("?format=%s returns the CLI's report", async (format) => {
    const text = fixtureText("ads", "html-pasted-po.html.txt");
    const res = await app.inject({ method: "POST", url: `/api/classify?format=${format}`, headers: json, payload: { text } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(runCli(["classify", "fixtures/ads/html-pasted-po.html.txt", "--format", format]).stdout);
    if (format === "html") {
      expect(res.headers["content-disposition"]).toBe('attachment; filename="pmpo-report.html"');
      expect(res.headers["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
    } else {
      expect(res.headers["content-type"]).toBe("text/markdown; charset=utf-8");
    }
  });

  it.each([
    ["malformed JSON", "{bad", 400, "BAD_JSON"],
    ["a JSON array", "[1]", 400, "BAD_REQUEST"],
    ["text of the wrong type", '{"text": 1}', 400, "BAD_REQUEST"],
    ["a field it does not know", '{"text": "Own the roadmap", "titel": "PM"}', 400, "BAD_REQUEST"],
    ["no text", '{"title": "PM"}', 400, "BAD_REQUEST"],
    ["an empty body", "", 400, "BAD_JSON"],
    ["empty text", '{"text": ""}', 422, "INPUT_EMPTY"],
    ["white space only", '{"text": " \\n\\t "}', 422, "INPUT_EMPTY"],
    ["a NUL character", '{"text": "Own the roadmap\\u0000 and vision"}', 422, "INPUT_BINARY"],
    ["a PDF's bytes", '{"text": "%PDF-1.7 Own the roadmap"}', 422, "INPUT_BINARY"],
  ])("%s is a %i %s", async (_what, payload, status, code) => {
    const res = await app.inject({ method: "POST", url: "/api/classify", headers: json, payload });
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(errorOf(res.body).code).toBe(code);
    expectSecurityHeaders(res.headers);
  });

  it("refuses invalid UTF-8 with 400 INVALID_UTF8", async () => {
    const payload = Buffer.concat([Buffer.from('{"text": "Own the roadmap '), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const res = await app.inject({ method: "POST", url: "/api/classify", headers: json, payload });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body).code).toBe("INVALID_UTF8");
  });

  it("refuses a body over --max-body with 413, and a wrong content type with 415", async () => {
    const big = JSON.stringify({ text: "Own the roadmap. ".repeat(700_000) });
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    const res = await app.inject({ method: "POST", url: "/api/classify", headers: json, payload: big });
    expect(res.statusCode).toBe(413);
    expect(errorOf(res.body)).toEqual({ code: "BODY_TOO_LARGE", message: "the request body is larger than the limit of 2097152 bytes (the server's --max-body)" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "text/csv"]) {
      const wrong = await app.inject({ method: "POST", url: "/api/classify", headers: { "content-type": type }, payload: "text=Own+the+roadmap" });
      expect(wrong.statusCode, type).toBe(415);
      expect(errorOf(wrong.body).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
  });

  it("takes a smaller --max-body", async () => {
    const small = testApp({ maxBodyBytes: 100 });
    try {
      const ok = await small.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text: "Own the roadmap" } });
      expect(ok.statusCode).toBe(200);
      const res = await small.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text: "Own the roadmap. ".repeat(10) } });
      expect(res.statusCode).toBe(413);
    } finally {
      await small.close();
    }
  });

  it("with workers, classifies each ad on a worker thread, which writes the same report in every format", async () => {
    const { WorkerPool } = (await import(join(import.meta.dirname, "../../dist/batch/worker-pool.js"))) as typeof import("../../src/batch/worker-pool.js");
    const score = vi.spyOn(WorkerPool.prototype, "score");
    const threaded = await builtApp({ workers: 2 });
    try {
      const short = fixtureText("ads", "snap-payments-pm.txt");
      for (const [text, format] of [
        [short, "json"],
        [short, "markdown"],
        [short, "html"],
        [short.repeat(30), "json"],
      ] as const) {
        const url = `/api/classify?format=${format}`;
        const [here, there] = await Promise.all([
          app.inject({ method: "POST", url, headers: json, payload: { text, title: "Product Manager" } }),
          threaded.inject({ method: "POST", url, headers: json, payload: { text, title: "Product Manager" } }),
        ]);
        expect(there.statusCode).toBe(200);
        expect(there.headers["content-type"]).toBe(here.headers["content-type"]);
        expect(there.body).toBe(here.body);
        // The worker was asked for the report itself, not for a result to write here.
        expect(score).toHaveBeenLastCalledWith([{ text, title: "Product Manager", report: format }]);
      }
      expect(score).toHaveBeenCalledTimes(4);
    } finally {
      score.mockRestore();
      await threaded.close();
    }
  });
});

describe("POST /api/classify with workers and a long ad in hand", () => {
  it("classifies short ads on the answering thread while every worker holds a long one, and sends them to the workers again after", async () => {
    const { WorkerPool } = (await import(join(import.meta.dirname, "../../dist/batch/worker-pool.js"))) as typeof import("../../src/batch/worker-pool.js");
    const { LONG_AD_LENGTH } = await import("../../src/serve/app.js");
    const short = fixtureText("ads", "snap-payments-pm.txt");
    const long = short.repeat(Math.ceil(LONG_AD_LENGTH / short.length));
    // The worker's answer to the long ad is held back until the test lets it go, so the long ad
    // stays in hand for exactly as long as the test needs, however loaded the machine.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const score = vi.spyOn(WorkerPool.prototype, "score");
    score.mockImplementationOnce(async () => {
      await held;
      return [{ report: "held\n", label: "product-manager-leaning" as const }];
    });
    const threaded = await builtApp({ workers: 2 });
    try {
      const longAnswer = threaded.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text: long } });
      await vi.waitFor(() => expect(score).toHaveBeenCalledTimes(1));
      // The one worker holds the long ad: the short one is classified here, with the same answer.
      const expected = await app.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text: short } });
      const during = await threaded.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text: short } });
      expect(score).toHaveBeenCalledTimes(1);
      expect(during.body).toBe(expected.body);
      release();
      expect((await longAnswer).body).toBe("held\n");
      // The long ad answered, short ones go to the worker again.
      const after = await threaded.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text: short } });
      expect(score).toHaveBeenCalledTimes(2);
      expect(after.body).toBe(expected.body);
    } finally {
      score.mockRestore();
      await threaded.close();
    }
  });
});

describe("POST /api/classify when a worker thread crashes", () => {
  it("answers that request 500 and the next one from new workers", async () => {
    const { WorkerPool } = (await import(join(import.meta.dirname, "../../dist/batch/worker-pool.js"))) as typeof import("../../src/batch/worker-pool.js");
    const score = vi.spyOn(WorkerPool.prototype, "score");
    // What the pool does when a worker stops: it fails, and so does every batch given to it.
    score.mockImplementationOnce(function (this: InstanceType<typeof WorkerPool>) {
      (this as unknown as { fail(error: Error): void }).fail(new Error("scoring worker 1 stopped (exit code 1)"));
      return Promise.reject(new Error("scoring worker 1 stopped (exit code 1)"));
    });
    const internal: unknown[] = [];
    const threaded = await builtApp({ workers: 2, onInternalError: (error) => internal.push(error) });
    try {
      const text = fixtureText("ads", "snap-payments-pm.txt");
      const crashed = await threaded.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text } });
      expect(crashed.statusCode).toBe(500);
      expect(errorOf(crashed.body).code).toBe("INTERNAL");
      expect(internal).toHaveLength(1);
      const next = await threaded.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text } });
      expect(next.statusCode).toBe(200);
      expect(next.body).toBe((await app.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text } })).body);
    } finally {
      score.mockRestore();
      await threaded.close();
    }
  });
});

describe("POST /api/batch", () => {
  let cliLines: string[];
  let cliRejects: string[];
  beforeAll(() => {
    const dir = `${process.env.TMPDIR ?? "/tmp"}/pmpo-serve-${process.pid}`;
    const ran = runCli(["batch", LISTINGS, "--format", "jsonl", "--rejects", `${dir}-rejects.jsonl`]);
    expect(ran.status).toBe(1);
    cliLines = ran.stdout.trimEnd().split("\n");
    cliRejects = readFileSync(`${dir}-rejects.jsonl`, "utf8").trimEnd().split("\n");
  });

  it.each([1, 2])("streams the CLI's JSONL lines and rejects in input order, then the summary (workers %i)", async (workers) => {
    const server = workers === 1 ? app : await builtApp({ workers });
    try {
      const res = await server.inject({ method: "POST", url: "/api/batch", headers: csv, payload: readFileSync(LISTINGS) });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
      expectSecurityHeaders(res.headers);
      const lines = res.body.trimEnd().split("\n");
      expect(lines).toHaveLength(7);
      const values = ndjson(res.body);
      expect(values.map((v) => v.record)).toEqual([1, 2, 3, 4, 5, 6, undefined]);
      expect(lines.filter((_, i) => "label" in (values[i] as object))).toEqual(cliLines);
      expect(lines.filter((_, i) => "code" in (values[i] as object))).toEqual(cliRejects);
      for (const value of values.slice(0, -1)) {
        const schema = "code" in value ? batchRejectLineSchema : batchResultLineSchema;
        expect(schema.safeParse(value).success).toBe(true);
      }
      const summary = batchSummaryLineSchema.parse(values.at(-1)).summary;
      expect(summary).toMatchObject({ read: 6, scored: 3, rejected: 3, rejects: { FIELD_COUNT: 1, EMPTY_TEXT: 1, STRAY_QUOTE: 1 } });
      expect(summary.read).toBe(summary.scored + summary.rejected);
      expect(Object.values(summary.labels).reduce((a, b) => a + b, 0)).toBe(summary.scored);
    } finally {
      if (server !== app) await server.close();
    }
  });

  it("takes the batch options as query parameters (columns, delimiter, highlights) and gives the CLI's CSV", async () => {
    const tsv = "job_id\tposition\tjob_description\nx1\tProduct Owner\tOwn the backlog and write user stories with acceptance criteria.\n";
    const res = await app.inject({
      method: "POST",
      url: "/api/batch?delimiter=tab&textColumn=job_description&idColumn=job_id&titleColumn=position&highlights=true",
      headers: { "content-type": "text/tab-separated-values" },
      payload: tsv,
    });
    expect(res.statusCode).toBe(200);
    const [row] = ndjson(res.body);
    expect(row).toMatchObject({ id: "x1", title: { text: "Product Owner" } });
    expect((row as { highlights: unknown[] }).highlights.length).toBeGreaterThan(0);
    const asCsv = await app.inject({ method: "POST", url: "/api/batch?format=csv", headers: csv, payload: readFileSync(LISTINGS) });
    expect(asCsv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(asCsv.body).toBe(runCli(["batch", LISTINGS]).stdout);
  });

  it("applies --max-ad-bytes per record", async () => {
    const small = testApp({ maxAdBytes: 100 });
    try {
      const body = `id,description\n1,Own the roadmap\n2,${"Own the backlog ".repeat(20)}\n`;
      const res = await small.inject({ method: "POST", url: "/api/batch", headers: csv, payload: body });
      const values = ndjson(res.body);
      expect(values[1]).toMatchObject({ record: 2, code: "TEXT_TOO_LARGE" });
      expect(values[2]).toMatchObject({ summary: { read: 2, scored: 1, rejected: 1 } });
    } finally {
      await small.close();
    }
  });

  it.each([
    ["an empty body", "", 422, "INPUT_EMPTY"],
    ["no text column", "id,name\n1,Ann\n", 422, "NO_TEXT_COLUMN"],
    ["a gzip file", Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]), 422, "INPUT_BINARY"],
  ])("%s is a %i %s before any line", async (_what, payload, status, code) => {
    const res = await app.inject({ method: "POST", url: "/api/batch", headers: csv, payload });
    expect(res.statusCode).toBe(status);
    expect(errorOf(res.body).code).toBe(code);
  });

  it("refuses a wrong query parameter (400) and a JSON body (415)", async () => {
    for (const url of ["/api/batch?delimiter=x", "/api/batch?highlights=maybe", "/api/batch?textcolumn=a", "/api/batch?format=xml"]) {
      const res = await app.inject({ method: "POST", url, headers: csv, payload: "description\nOwn the roadmap\n" });
      expect(res.statusCode, url).toBe(400);
      expect(errorOf(res.body).code).toBe("BAD_REQUEST");
    }
    const res = await app.inject({ method: "POST", url: "/api/batch", headers: json, payload: { text: "x" } });
    expect(res.statusCode).toBe(415);
  });

  it("sends progress lines only when asked", async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `${i},"Own the backlog and write user stories, then run sprint planning."`).join("\n");
    const res = await app.inject({ method: "POST", url: "/api/batch?progress=true", headers: csv, payload: `id,description\n${rows}\n` });
    const values = ndjson(res.body);
    expect(values.filter((v) => !("progress" in v))).toHaveLength(401);
    for (const v of values.filter((v) => "progress" in v)) expect(Object.keys(v.progress as object)).toEqual(["records", "bytes"]);
  });
});

describe("the other endpoints", () => {
  it("GET /api/model names the model; GET /healthz says ok", async () => {
    const model = loadDefaultModel();
    const res = await app.inject({ method: "GET", url: "/api/model" });
    expect(JSON.parse(res.body)).toEqual({ name: model.name, version: model.version, trainingHash: model.trainingHash, languages: ["en"] });
    const health = await app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
  });

  it("serves the page, its script and stylesheet from this origin only, under a strict CSP", async () => {
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'");
    expect(page.headers["content-security-policy"]).not.toContain("unsafe");
    // Nothing from elsewhere: every src and href is a path on this server.
    const refs = [...page.body.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs.sort()).toEqual(["/app.css", "/app.js"]);
    expect(page.body).not.toMatch(/<script>|style="|\son\w+="/);
    const js = await app.inject({ method: "GET", url: "/app.js" });
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(js.body).not.toMatch(/https?:\/\//);
    const css = await app.inject({ method: "GET", url: "/app.css" });
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(css.body).not.toMatch(/@import|url\(/);
  });

  it.each([
    ["GET", "/nope", 404, "NOT_FOUND"],
    ["GET", "/api/%2e%2e/%2e%2e/etc/passwd", 404, "NOT_FOUND"],
    ["GET", "/api/classify", 405, "METHOD_NOT_ALLOWED"],
    ["DELETE", "/api/batch", 405, "METHOD_NOT_ALLOWED"],
    ["POST", "/healthz", 405, "METHOD_NOT_ALLOWED"],
    ["PUT", "/", 405, "METHOD_NOT_ALLOWED"],
  ] as const)("%s %s is a %i %s with the security headers", async (method, url, status, code) => {
    const res = await app.inject({ method, url });
    expect(res.statusCode).toBe(status);
    expect(errorOf(res.body).code).toBe(code);
    expectSecurityHeaders(res.headers);
    if (status === 405) expect(res.headers.allow).toMatch(/^(GET, HEAD|POST)$/);
  });

  it("answers only requests addressed to this machine unless told otherwise", async () => {
    for (const host of ["localhost:8080", "127.0.0.1:1234", "[::1]:80", "LOCALHOST"]) {
      expect((await app.inject({ method: "GET", url: "/healthz", headers: { host } })).statusCode, host).toBe(200);
    }
    const evil = await app.inject({ method: "GET", url: "/healthz", headers: { host: "evil.example:8080" } });
    expect(evil.statusCode).toBe(403);
    expect(errorOf(evil.body).code).toBe("HOST_NOT_ALLOWED");
    const open = testApp({ anyHost: true });
    try {
      expect((await open.inject({ method: "GET", url: "/healthz", headers: { host: "evil.example:8080" } })).statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });

  it("sends no CORS headers without --cors, and only for its origin with it", async () => {
    const origin = "http://localhost:3000";
    const plain = await app.inject({ method: "GET", url: "/healthz", headers: { origin } });
    expect(plain.headers["access-control-allow-origin"]).toBeUndefined();
    const withCors = testApp({ cors: origin });
    try {
      const ok = await withCors.inject({ method: "POST", url: "/api/classify", headers: { ...json, origin }, payload: { text: "Own the roadmap" } });
      expect(ok.headers["access-control-allow-origin"]).toBe(origin);
      const other = await withCors.inject({ method: "GET", url: "/healthz", headers: { origin: "http://evil.example" } });
      expect(other.headers["access-control-allow-origin"]).toBeUndefined();
      const preflight = await withCors.inject({ method: "OPTIONS", url: "/api/classify", headers: { origin, "access-control-request-method": "POST" } });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers["access-control-allow-methods"]).toBe("GET, POST");
      expect(preflight.headers["access-control-allow-headers"]).toBe("content-type");
    } finally {
      await withCors.close();
    }
  });

  it("answers an unexpected error with a 500 that names no detail, and logs the stack", async () => {
    const logged: unknown[] = [];
    const broken = testApp({ model: { ...loadDefaultModel(), terms: null } as never, onInternalError: (e) => logged.push(e) });
    try {
      const res = await broken.inject({ method: "POST", url: "/api/classify", headers: json, payload: { text: "Own the roadmap" } });
      expect(res.statusCode).toBe(500);
      expect(errorOf(res.body).code).toBe("INTERNAL");
      expect(res.body).not.toMatch(/TypeError|\.js|\.ts/);
      expect(logged).toHaveLength(1);
      expect((logged[0] as Error).stack).toMatch(/\n\s+at /);
    } finally {
      await broken.close();
    }
  });
});

// Keep the fixture helper honest: the CLI reads the same file.
it("reads the same fixture file as the CLI", () => {
  expect(readFileSync(fixture("serve", "listings-with-rejects.csv"), "utf8")).toContain("stray-1");
});
