// Flags that give a size in bytes (`pmpo batch --max-ad-bytes`, `pmpo serve --max-body` and
// `--max-ad-bytes`): how they are read, and the check that this heap can classify an ad that large.
import { getHeapStatistics } from "node:v8";
import { UsageError } from "../errors.js";

/** Bytes from "1048576", "512k", "1M" or "2G" (KiB, MiB and GiB); null for anything else, 0 included. */
export function parseByteSize(text: string): number | null {
  const match = /^\s*(\d+)\s*([kKmMgG]i?[bB]?)?\s*$/.exec(text);
  if (!match) return null;
  const unit = (match[2] ?? "").toLowerCase().charAt(0);
  const value = Number(match[1]) * (unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Memory that classifying an ad takes per byte of its text, measured (a 20 MB ad peaks at about 560 MB) and rounded up. */
export const MEMORY_BYTES_PER_AD_BYTE = 30;

/**
 * Throws a UsageError naming `flag` when classifying an ad of `bytes` would take more memory
 * than Node's heap limit. Such an ad would end in V8 aborting the process (exit 134: a batch
 * leaves its temporary files behind, a server drops every request in flight), so the flag is
 * refused up front with the limit to change.
 */
export function checkMemoryFor(flag: string, bytes: number): void {
  const heap = getHeapStatistics().heap_size_limit;
  const needed = bytes * MEMORY_BYTES_PER_AD_BYTE;
  if (needed <= heap) return;
  const mib = (n: number) => n / 1024 / 1024;
  const shown = (n: number) => Math.ceil(mib(n)).toLocaleString("en-US");
  // Rounded down: the size suggested must itself pass this check.
  const largest = Math.floor(mib(heap / MEMORY_BYTES_PER_AD_BYTE));
  throw new UsageError(
    `${flag} ${shown(bytes)} MiB: classifying an ad that large takes about ${shown(needed)} MiB of memory, and Node's heap limit here is ${shown(heap)} MiB`,
    `lower ${flag} to ${largest}M or less, or raise the heap: NODE_OPTIONS=--max-old-space-size=${Math.ceil(mib(needed * 1.2))}`,
  );
}
