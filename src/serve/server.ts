// Runs the app on a socket for `pmpo serve`: listens, prints where, and stops on a signal after
// the requests in flight are answered. The CLI imports this module only when `serve` runs, so
// neither the library nor the other commands load the HTTP framework.
import type { AddressInfo } from "node:net";
import type { CliIo, StopSignal } from "../cli/io.js";
import { writeOut } from "../cli/io.js";
import { buildApp, DEFAULT_BODY_TIMEOUT_MS, type AppOptions } from "./app.js";

/** Options of `startServer`: the app's, and where to listen. */
export interface ServerOptions extends AppOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Whether `host` keeps the server on this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The URL of a listening address, for the first line the server prints. */
export function urlOf(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Listens until SIGINT or SIGTERM, then stops accepting, answers the requests in flight and
 * resolves (a second signal closes every connection at once). Rejects when it cannot listen.
 */
export async function runServer(options: ServerOptions, io: CliIo): Promise<void> {
  const loopback = isLoopbackHost(options.host);
  const app = buildApp({
    ...options,
    anyHost: options.anyHost ?? !loopback,
    onInternalError: (error) => {
      io.stderr.write(`pmpo serve: internal error (a bug in pmpo; please report it):\n${(error as Error).stack ?? String(error)}\n`);
    },
  });
  const bodyTimeout = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  // Headers must arrive promptly; bodies are timed by the routes (a 408 after bodyTimeout of
  // silence), so the whole-request timer is off: a large upload may take as long as it keeps sending.
  app.server.headersTimeout = 10_000;
  app.server.requestTimeout = 0;
  // A backstop for a socket that goes quiet where no route is timing it.
  app.server.setTimeout(bodyTimeout + 10_000);
  app.server.keepAliveTimeout = 5_000;

  let stopping: StopSignal | null = null;
  let closed: Promise<void> | null = null;
  const removeInterrupt = io.onInterrupt((signal) => {
    if (stopping !== null) {
      io.stderr.write(`pmpo serve: ${signal} again: closing every connection now\n`);
      app.server.closeAllConnections();
      return;
    }
    stopping = signal;
    io.stderr.write(`pmpo serve: ${signal}: not accepting new connections; finishing the requests in flight (${signal === "SIGINT" ? "Ctrl-C" : signal} again to stop at once)\n`);
    closed = app.close();
  });
  try {
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address() as AddressInfo;
    if (!loopback) {
      await writeOut(io.stderr, `pmpo serve: warning: listening on ${options.host}: the page and the API are reachable from the network, without authentication\n`);
    }
    await writeOut(io.stdout, `pmpo serve: listening on ${urlOf(address)} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => app.server.once("close", () => resolve()));
    await closed;
    await writeOut(io.stderr, "pmpo serve: stopped\n");
  } finally {
    removeInterrupt();
    await app.close();
  }
}
