import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { IoError } from "../errors.js";
import type { CliIo } from "./io.js";

async function readStream(stream: CliIo["stdin"]): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The bytes of a path, or of stdin for "-"; a missing file or a directory is an IoError naming it. */
export async function readInputBytes(path: string, io: CliIo): Promise<Uint8Array> {
  if (path === "-") return readStream(io.stdin);
  const full = resolve(io.cwd, path);
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw new IoError(`${path}: is a directory`, "pass a text file, or - for standard input");
    return await readFile(full);
  } catch (error) {
    if (error instanceof IoError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new IoError(`${path}: no such file`, "check the path, or pass - to read standard input");
    if (code === "EACCES") throw new IoError(`${path}: permission denied`);
    throw new IoError(`${path}: cannot read: ${(error as Error).message}`);
  }
}
