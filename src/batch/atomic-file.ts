import { createWriteStream, type WriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { IoError } from "../errors.js";

/** A file written under a temporary name beside its target, and renamed onto it only on `commit`. */
export interface AtomicFile {
  /** The final path. */
  path: string;
  /** The temporary path being written. */
  temporary: string;
  stream: WriteStream;
  /** Ends the stream, then renames the temporary file onto the final path. */
  commit(): Promise<void>;
  /** Destroys the stream and removes the temporary file; the final path is left as it was. */
  discard(): Promise<void>;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such folder";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return (error as Error).message;
}

/** Opens a temporary file beside `path` (same folder, so the rename is atomic); throws `IoError` when it cannot be created. */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  const stream = createWriteStream(temporary, { flags: "wx" });
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error) => reject(new IoError(`${path}: cannot write: ${describe(error)}`)));
  });
  let settled = false;
  return {
    path,
    temporary,
    stream,
    async commit() {
      settled = true;
      await new Promise<void>((resolve, reject) => {
        if (stream.errored) {
          reject(stream.errored);
          return;
        }
        stream.once("error", reject);
        stream.end(() => resolve());
      }).catch(async (error: unknown) => {
        await unlink(temporary).catch(() => {});
        throw new IoError(`${path}: cannot write: ${describe(error)}`);
      });
      try {
        await rename(temporary, path);
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw new IoError(`${path}: cannot write: ${describe(error)}`);
      }
    },
    async discard() {
      if (settled) return;
      settled = true;
      await new Promise<void>((resolve) => {
        if (stream.closed) resolve();
        else {
          stream.once("close", () => resolve());
          stream.destroy();
        }
      });
      await unlink(temporary).catch(() => {});
    },
  };
}
