import { createWriteStream, type Stats, type WriteStream } from "node:fs";
import { lstat, readlink, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { describeSystemError as describeFsError, IoError } from "../errors.js";

/**
 * An output file. A regular file (or a new one) is written under a temporary name beside its
 * target and renamed onto it only on `commit`; through a symlink, the target is the file the
 * link leads to, so the link stays. Anything that is not a regular file (a terminal, a pipe,
 * /dev/stdout, /dev/null) is written directly: renaming onto it would replace the device node.
 */
export interface AtomicFile {
  /** The path as given. */
  path: string;
  /** The temporary path being written, or null when writing directly. */
  temporary: string | null;
  stream: WriteStream;
  /** Ends the stream, then renames the temporary file onto the final path. */
  commit(): Promise<void>;
  /** Destroys the stream and removes the temporary file; the final path is left as it was. */
  discard(): Promise<void>;
}

async function statOrNull(path: string, follow: boolean): Promise<Stats | null> {
  try {
    return follow ? await stat(path) : await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return null;
    throw error;
  }
}

/** Where writing `path` really lands: the file at the end of its symlinks (which need not exist yet). */
export async function resolveOutputTarget(path: string): Promise<string> {
  if (await statOrNull(path, true)) return realpath(path);
  // Not there: a new file, or a symlink whose target is still to be written.
  let at = path;
  for (let hops = 0; hops < 40; hops++) {
    const info = await statOrNull(at, false);
    if (!info?.isSymbolicLink()) return at;
    at = resolve(dirname(at), await readlink(at));
  }
  throw new IoError(`${path}: cannot write: too many levels of symbolic links`);
}

/**
 * Whether two paths name the same regular file (same device and inode: hard links, symlinks,
 * `./x` and `x`), or the same place for a file still to be created. Devices and pipes are
 * never the same file here: `/dev/null` may take two outputs.
 */
export async function isSameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([statOrNull(a, true), statOrNull(b, true)]);
  if (x && y) return x.isFile() && x.dev === y.dev && x.ino === y.ino;
  if (x || y) return false;
  // Not both there yet: the same place once links are followed.
  return (await resolveOutputTarget(a)) === (await resolveOutputTarget(b));
}

function ended(stream: WriteStream): Promise<void> {
  return new Promise<void>((done, fail) => {
    if (stream.errored) {
      fail(stream.errored);
      return;
    }
    stream.once("error", fail);
    // The callback gets the stream's error too (a write that failed on a full disk or /dev/full).
    stream.end((error?: Error | null) => (error ? fail(error) : done()));
  });
}

function opened(stream: WriteStream, path: string): Promise<void> {
  return new Promise<void>((done, fail) => {
    stream.once("open", () => done());
    stream.once("error", (error) => fail(new IoError(`${path}: cannot write: ${describeFsError(error)}`)));
  });
}

function destroyed(stream: WriteStream): Promise<void> {
  return new Promise<void>((done) => {
    if (stream.closed) done();
    else {
      stream.once("close", () => done());
      stream.destroy();
    }
  });
}

/** Opens `path` for writing as `AtomicFile` describes; throws `IoError` when it cannot. */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  let info: Stats | null;
  try {
    info = await statOrNull(path, true);
  } catch (error) {
    throw new IoError(`${path}: cannot write: ${describeFsError(error)}`);
  }
  if (info?.isDirectory()) throw new IoError(`${path}: cannot write: is a directory`);
  if (info && !info.isFile()) return openDirect(path);

  const target = await resolveOutputTarget(path).catch((error: unknown) => {
    throw error instanceof IoError ? error : new IoError(`${path}: cannot write: ${describeFsError(error)}`);
  });
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  const stream = createWriteStream(temporary, { flags: "wx" });
  await opened(stream, path);
  let settled = false;
  return {
    path,
    temporary,
    stream,
    async commit() {
      settled = true;
      await ended(stream).catch(async (error: unknown) => {
        await unlink(temporary).catch(() => {});
        throw new IoError(`${path}: cannot write: ${describeFsError(error)}`);
      });
      try {
        await rename(temporary, target);
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw new IoError(`${path}: cannot write: ${describeFsError(error)}`);
      }
    },
    async discard() {
      if (settled) return;
      settled = true;
      await destroyed(stream);
      await unlink(temporary).catch(() => {});
    },
  };
}

// A device, pipe or socket: written as it is, since there is nothing to rename onto.
async function openDirect(path: string): Promise<AtomicFile> {
  const stream = createWriteStream(path, { flags: "w" });
  await opened(stream, path);
  let settled = false;
  return {
    path,
    temporary: null,
    stream,
    async commit() {
      settled = true;
      await ended(stream).catch((error: unknown) => {
        throw new IoError(`${path}: cannot write: ${describeFsError(error)}`);
      });
    },
    async discard() {
      if (settled) return;
      settled = true;
      await destroyed(stream);
    },
  };
}
