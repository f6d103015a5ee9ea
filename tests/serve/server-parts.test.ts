// The small parts of the listening server and the page's script that need no socket or browser.
import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { PAGE_JS } from "../../src/serve/page.js";
import { isLoopbackHost, urlOf } from "../../src/serve/server.js";
import { serveWorkers } from "../../src/cli/serve-command.js";

describe("server parts", () => {
  it.each([
    [1, 1],
    [2, 2],
    [4, 4],
    [16, 8],
  ])("--workers auto on %i cores is %i threads", (cores, threads) => {
    expect(serveWorkers(cores)).toBe(threads);
  });

  it.each([
    ["127.0.0.1", true],
    ["127.3.4.5", true],
    ["localhost", true],
    ["::1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.10", false],
  ])("isLoopbackHost(%s) is %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it("prints IPv4 and IPv6 addresses as URLs", () => {
    expect(urlOf({ address: "127.0.0.1", family: "IPv4", port: 8080 })).toBe("http://127.0.0.1:8080");
    expect(urlOf({ address: "::1", family: "IPv6", port: 9 })).toBe("http://[::1]:9");
  });

  it("sends the page a script that parses, with the renderers' helpers in it", () => {
    expect(() => new Script(PAGE_JS)).not.toThrow();
    for (const name of ["function describeLabel", "function confidenceLine", "function flipLine", "function segmentText", "const MAX_FLIP_SIZE = 5;"]) expect(PAGE_JS).toContain(name);
  });
});
