import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { PmpoError } from "../errors.js";
import { batchCommand } from "./batch-command.js";
import { classifyCommand } from "./classify-command.js";
import { evaluateCommand } from "./evaluate-command.js";
import { serveCommand } from "./serve-command.js";
import { trainCommand } from "./train-command.js";
import { EXIT, writeOut, type CliIo } from "./io.js";
import { cliErrorLine } from "./hints.js";
import { exitCodeFor } from "./exit-codes.js";
import { terminalSafe } from "../highlight/terminal-safe.js";

export { exitCodeFor } from "./exit-codes.js";

/** The commander program, writing through `io` and never exiting the process itself. */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command("pmpo")
    .description("Does a job ad lean product manager, product owner or hybrid? pmpo says, and shows the phrases that made it say so.")
    .version(PMPO_VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride();
  for (const command of [classifyCommand(io, setExit), trainCommand(io, setExit), evaluateCommand(io, setExit), batchCommand(io, setExit), serveCommand(io, setExit)]) {
    program.addCommand(command.exitOverride().configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) }));
  }
  return program;
}

const PMPO_VERSION = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // Standard error itself may be what fails: the exit code still says what happened.
    if (error instanceof PmpoError) {
      // Messages quote what they were given (paths, column names): made safe for a terminal.
      await writeOut(io.stderr, `pmpo: ${terminalSafe(cliErrorLine(error))}\n`).catch(() => {});
      return exitCodeFor(error);
    }
    await writeOut(io.stderr, `pmpo: internal error (a bug in pmpo; please report it with the input):\n${(error as Error).stack ?? String(error)}\n`).catch(() => {});
    return EXIT.usage;
  }
}
