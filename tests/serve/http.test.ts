// The bad-request corpus over a real socket, for what the injector cannot send: raw paths,
// malformed HTTP, too many headers, bodies that stop arriving, clients that go away.
import { connect, type Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, expectSecurityHeaders, listening } from "./helpers.js";

let app: FastifyInstance;
let port: number;
let url: string;
beforeAll(async () => {
  ({ app, port, url } = await listening({ bodyTimeoutMs: 300 }));
});
afterAll(async () => {
  await app.close();
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the server closed the connection. */
  closed: boolean;
}

function parseRaw(raw: string, closed: boolean): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  const [statusLine, ...lines] = raw.slice(0, end).split("\r\n");
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
  let body = raw.slice(end + 4);
  if (headers["transfer-encoding"] === "chunked") {
    let out = "";
    for (let rest = body; ; ) {
      const eol = rest.indexOf("\r\n");
      const size = parseInt(rest.slice(0, eol), 16);
      if (!(size > 0)) break;
      out += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
    }
    body = out;
  }
  return { status: Number(statusLine?.split(" ")[1]), headers, body, closed };
}

/** Writes `data` (never ending the request side) and reads until the server closes the socket. */
function exchange(data: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => resolve(parseRaw(Buffer.concat(chunks).toString("utf8"), true)));
    socket.write(data);
  });
}

/** Sends a whole request with `Connection: close` and reads the answer. */
const request = (head: string, body = "") => exchange(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n${body}`);

describe("the bad-request corpus on a real socket", () => {
  it.each([
    ["GET /api/../healthz HTTP/1.1", 404, "NOT_FOUND"],
    ["GET /../../etc/passwd HTTP/1.1", 404, "NOT_FOUND"],
    ["GET /api/..%2f..%2fetc%2fpasswd HTTP/1.1", 404, "NOT_FOUND"],
    ["PATCH /api/classify HTTP/1.1", 405, "METHOD_NOT_ALLOWED"],
  ])("%s is a %i %s", async (head, status, code) => {
    const res = await request(head);
    expect(res.status).toBe(status);
    expect(errorOf(res.body).code).toBe(code);
    expectSecurityHeaders(res.headers);
  });

  it("refuses 1,000 headers with 431 and a JSON error", async () => {
    const headers = Array.from({ length: 1000 }, (_, i) => `X-H${i}: ${i}`).join("\r\n");
    const res = await request(`GET /healthz HTTP/1.1\r\n${headers}`);
    expect(res.status, res.body).toBe(431);
    expect(errorOf(res.body).code).toBe("TOO_MANY_HEADERS");
    expectSecurityHeaders(res.headers);
  });

  it("refuses headers over 16 KiB with 431 and a JSON error", async () => {
    const res = await request(`GET /healthz HTTP/1.1\r\nX-Big: ${"a".repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(errorOf(res.body).code).toBe("TOO_MANY_HEADERS");
    expectSecurityHeaders(res.headers);
  });

  it("answers what is not HTTP with 400 and a JSON error", async () => {
    const res = await exchange("HELLO THERE\r\n\r\n");
    expect(res.status).toBe(400);
    expect(errorOf(res.body).code).toBe("BAD_REQUEST");
  });

  it("answers headers that never finish with 408 and a JSON error (pmpo serve allows 10 s; 0.5 s here)", async () => {
    app.server.headersTimeout = 500;
    try {
      const res = await exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      expect(res.status).toBe(408);
      expect(errorOf(res.body).code).toBe("REQUEST_TIMEOUT");
      expectSecurityHeaders(res.headers);
      expect(res.closed).toBe(true);
    } finally {
      app.server.headersTimeout = 60_000;
    }
  });

  it("answers a JSON body that never finishes with 408, then closes the connection", async () => {
    const res = await exchange('POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"text": "Own the');
    expect(res.status).toBe(408);
    expect(errorOf(res.body).code).toBe("REQUEST_TIMEOUT");
    expect(res.headers.connection).toBe("close");
    expect(res.closed).toBe(true);
  });

  const HALF = "id,description\n1,Own the backlog and user stories\n2,Own the roadmap";
  it("ends a batch upload that stops halfway with the records read so far and an error line, and frees the socket", async () => {
    const res = await exchange(
      "POST /api/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n" +
        `${HALF.length.toString(16)}\r\n${HALF}\r\n`,
    );
    expect(res.status).toBe(200);
    const lines = res.body.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ id: "1", record: 1 });
    expect(lines.at(-1)).toEqual({ error: { code: "REQUEST_TIMEOUT", message: "the request body sent nothing for 300 ms; the upload was abandoned" } });
    // No summary line: the records were not all read.
    expect(lines.some((l) => typeof l.summary === "object")).toBe(false);
    expect(res.closed).toBe(true);
    // The server is none the worse for it.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("refuses a 10 MB body to /api/classify with 413, read by a real HTTP client", async () => {
    const res = await fetch(`${url}/api/classify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "x".repeat(10 * 1024 * 1024) }) });
    expect(res.status).toBe(413);
    expect(errorOf(await res.text()).code).toBe("BODY_TOO_LARGE");
  });

  it("stops scoring when the client of a batch goes away, and goes on serving", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},"Own the backlog and write user stories, then run sprint planning with the team."`).join("\n");
    const controller = new AbortController();
    const res = await fetch(`${url}/api/batch`, { method: "POST", headers: { "content-type": "text/csv" }, body: `id,description\n${rows}\n`, signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});
