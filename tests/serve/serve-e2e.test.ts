// `pmpo serve` as a process: it prints where it listens, answers a real HTTP client with what
// the CLI prints, and on SIGINT or SIGTERM finishes the request in flight and exits 0.
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";
import { LISTINGS, refusedServe, serve, stopAll } from "./helpers.js";

afterEach(() => stopAll());

beforeAll(() => assertBuilt());

describe("pmpo serve", () => {
  it("listens on 127.0.0.1 and a free port with --port 0, and answers as the CLI does", async () => {
    const server = await serve(["--port", "0"]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stdout()).toBe(`pmpo serve: listening on ${server.url} (Ctrl-C to stop)\n`);
    const text = readFileSync(`${ROOT}fixtures/ads/fedex-logistics-po.txt`, "utf8");
    const res = await fetch(`${server.url}/api/classify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text, title: "Product Manager" }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(runCli(["classify", "fixtures/ads/fedex-logistics-po.txt", "--format", "json", "--title", "Product Manager"]).stdout);

    const batch = await fetch(`${server.url}/api/batch`, { method: "POST", headers: { "content-type": "text/csv" }, body: readFileSync(LISTINGS) });
    const lines = (await batch.text()).trimEnd().split("\n");
    expect(lines.filter((l) => l.includes('"label"'))).toEqual(runCli(["batch", LISTINGS, "--format", "jsonl"]).stdout.trimEnd().split("\n"));
    expect(JSON.parse(lines.at(-1) as string).summary).toMatchObject({ read: 6, scored: 3, rejected: 3 });

    const model = await fetch(`${server.url}/api/model`);
    expect(await model.json()).toMatchObject({ name: "default", languages: ["en"] });
    const openapi = await fetch(`${server.url}/api/openapi.json`);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe("3.1.0");

    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toContain("pmpo serve: stopped");
  });

  const ROWS = 1000;
  const FIRST_ROWS = Array.from({ length: ROWS }, (_, i) => `${i + 1},Own the backlog and write user stories for the team's sprints\n`).join("");
  it("on SIGTERM stops accepting, finishes the batch upload in flight, and exits 0", async () => {
    const server = await serve(["--port", "0"]);
    const { hostname, port } = new URL(server.url);
    let body = "";
    const done = new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const req = request({ hostname, port, path: "/api/batch", method: "POST", headers: { "content-type": "text/csv", "transfer-encoding": "chunked" } }, (res) => {
        // The answer has begun (its headers are sent once the CSV header is read): the request is in
        // flight. Stop the server now, and send the rest of the body once it says it is stopping.
        server.child.kill("SIGTERM");
        waitFor(server.stderr, "SIGTERM: not accepting").then(() => req.end(`${ROWS + 1},Own the roadmap and the product vision\n`), reject);
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode, body }));
      });
      req.on("error", reject);
      // More than the 64 KiB the reader checks for UTF-8 before it hands on the first record.
      req.write(`id,description\n${FIRST_ROWS}`);
    });
    const answer = await done;
    expect(answer.status).toBe(200);
    const last = JSON.parse(answer.body.trimEnd().split("\n").at(-1) as string);
    expect(last.summary).toMatchObject({ read: ROWS + 1, scored: ROWS + 1, rejected: 0 });
    expect(await server.exited).toBe(0);
    // New connections are refused once it is stopping.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it("with --max-batches 1 answers a second batch 503 BUSY while one is in flight, then finishes the first", async () => {
    const server = await serve(["--port", "0", "--max-batches", "1"]);
    const { hostname, port } = new URL(server.url);
    let body = "";
    const first = request({ hostname, port, path: "/api/batch", method: "POST", headers: { "content-type": "text/csv", "transfer-encoding": "chunked" } });
    const answered = new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      first.on("response", (res) => {
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode, body }));
      });
      first.on("error", reject);
    });
    const begun = new Promise<void>((resolve) => first.once("response", () => resolve()));
    first.write(`id,description\n${FIRST_ROWS}`);
    try {
      // Its answer has begun and its body is not finished: it is in flight.
      await begun;
      const busy = await fetch(`${server.url}/api/batch`, { method: "POST", headers: { "content-type": "text/csv" }, body: readFileSync(LISTINGS) });
      expect(busy.status).toBe(503);
      expect(busy.headers.get("retry-after")).toBe("5");
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe("BUSY");
    } finally {
      first.end(`${ROWS + 1},Own the roadmap and the product vision\n`);
    }
    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.trimEnd().split("\n").at(-1) as string).summary).toMatchObject({ read: ROWS + 1, scored: ROWS + 1 });
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("warns when told to listen beyond loopback", async () => {
    const server = await serve(["--port", "0", "--host", "0.0.0.0"]);
    expect(server.stderr()).toContain("pmpo serve: warning: listening on 0.0.0.0: the page and the API are reachable from the network");
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it.each([
    [["--port", "http"], "--port \"http\" must be a port number from 0 to 65535"],
    [["--max-body", "lots"], "--max-body \"lots\" is not a size"],
    [["--cors", "*"], "--cors \"*\" is not an origin"],
    [["--workers", "0"], "--workers \"0\" must be auto or a whole number from 1 to 64"],
    [["--max-batches", "0"], "--max-batches \"0\" must be a whole number from 1 to 64"],
  ])("refuses %j with exit code 2", async (args, message) => {
    const ran = await refusedServe(["--port", "0", ...args]);
    expect(ran.status).toBe(2);
    expect(ran.stderr).toContain(message);
    expect(ran.stdout).toBe("");
  });

  // Any heap Node runs with here is far below the 3,000 GiB an ad of 100 GiB would take.
  it.each(["--max-body", "--max-ad-bytes"])("refuses a %s this heap could not classify, naming the flag, both sizes and what to do (exit 2)", async (flag) => {
    const ran = await refusedServe([flag, "100G", "--port", "0"]);
    expect(ran.status).toBe(2);
    expect(ran.stderr).toMatch(
      new RegExp(
        `^pmpo: ${flag} 102,400 MiB: classifying an ad that large takes about 3,072,000 MiB of memory, and Node's heap limit here is [\\d,]+ MiB \\(lower ${flag} to \\d+M or less, or raise the heap: NODE_OPTIONS=--max-old-space-size=3686400\\)\n$`,
      ),
    );
    expect(ran.stdout).toBe("");
  });

  it("measures --max-body against the heap it runs with: both ways out the refusal names start the server", async () => {
    const smallHeap = `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=256`;
    const refused = await refusedServe(["--max-body", "16M", "--port", "0"], { NODE_OPTIONS: smallHeap });
    expect(refused.status).toBe(2);
    const hint = /\(lower --max-body to (\d+M) or less, or raise the heap: NODE_OPTIONS=(--max-old-space-size=\d+)\)\n$/.exec(refused.stderr);
    expect(hint, refused.stderr).not.toBeNull();
    const [, lower, raise] = hint as unknown as [string, string, string];
    for (const [args, nodeOptions] of [
      [["--max-body", lower], smallHeap],
      [["--max-body", "16M"], `${process.env.NODE_OPTIONS ?? ""} ${raise}`],
    ] as const) {
      const server = await serve(["--port", "0", ...args], { NODE_OPTIONS: nodeOptions });
      expect(server.stdout()).toBe(`pmpo serve: listening on ${server.url} (Ctrl-C to stop)\n`);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  });

  it("says so when the port is taken (exit 2)", async () => {
    const server = await serve(["--port", "0"]);
    const port = new URL(server.url).port;
    const ran = runCli(["serve", "--port", port]);
    expect(ran.status).toBe(2);
    expect(ran.stderr).toBe(`pmpo: 127.0.0.1:${port}: the port is in use (pass another --port, or --port 0 for a free one)\n`);
    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
  });
});

/** Resolves once `read()` contains `text`, checking as output arrives. */
function waitFor(read: () => string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (read().includes(text)) resolve();
      else if (Date.now() - started > 20_000) reject(new Error(`never printed ${JSON.stringify(text)}: ${read()}`));
      else setImmediate(check);
    };
    check();
  });
}
