import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { IoError } from "../errors.js";
import type { CliIo } from "./io.js";

async function readStream(stream: CliIo["stdin"]): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The IoError for a path that could not be opened: missing, forbidden, a directory, or other. */
export function openError(path: string, error: unknown, kindOfFile: string): IoError {
  if (error instanceof IoError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EISDIR") return new IoError(`${path}: is a directory`, `pass a ${kindOfFile}, or - for standard input`);
  if (code === "ENOENT") return new IoError(`${path}: no such file`, "check the path, or pass - to read standard input");
  if (code === "EACCES") return new IoError(`${path}: permission denied`);
  return new IoError(`${path}: cannot read: ${(error as Error).message}`);
}

/** The bytes of a path, or of stdin for "-"; a missing file or a directory is an IoError naming it. */
export async function readInputBytes(path: string, io: CliIo): Promise<Uint8Array> {
  if (path === "-") return readStream(io.stdin);
  const full = resolve(io.cwd, path);
  try {
    if ((await stat(full)).isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    return await readFile(full);
  } catch (error) {
    throw openError(path, error, "text file");
  }
}
