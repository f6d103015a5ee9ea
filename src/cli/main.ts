// The only module that touches the process: it wires real streams into `run` and sets the exit code.
import { run } from "./program.js";
import { describeSystemError } from "../errors.js";
import { EXIT, streamName, type CliIo } from "./io.js";

// A reader that goes away (`pmpo ... | head`) is not an error. The commands notice it through
// their own write callbacks and stop, cleaning up as they go (batch removes its temporary
// files), so here it is only kept from crashing the process.
// Any other write error (a full disk, `> /dev/full`) is the commands' to report too; one they
// could not see (commander's own output) is reported here, after the run.
let outputError: { stream: string; error: NodeJS.ErrnoException } | null = null;
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") outputError ??= { stream: streamName(stream), error };
  });
}

const io: CliIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  onInterrupt: (handler) => {
    const listeners = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => {
      const listener = () => handler(signal);
      process.on(signal, listener);
      return [signal, listener] as const;
    });
    return () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    };
  },
};

const code = await run(process.argv.slice(2), io);
// A failed write to a file or device reports its error on a later tick.
await new Promise((resolve) => setImmediate(resolve));
if (outputError !== null && (code === EXIT.ok || code === EXIT.rejected)) {
  const { stream, error } = outputError;
  if (stream !== "standard error") process.stderr.write(`pmpo: ${stream}: cannot write: ${describeSystemError(error)}\n`);
  process.exitCode = EXIT.usage;
} else {
  process.exitCode = code;
}
