// The only module that touches the process: it wires real streams into `run` and sets the exit code.
import { run } from "./program.js";
import type { CliIo } from "./io.js";

// A reader that goes away (`pmpo ... | head`) is not an error. The commands notice it through
// their own write callbacks and stop, cleaning up as they go (batch removes its temporary
// files), so here it is only kept from crashing the process.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

const io: CliIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  onInterrupt: (handler) => {
    process.on("SIGINT", handler);
    return () => process.off("SIGINT", handler);
  },
};

process.exitCode = await run(process.argv.slice(2), io);
