import { shorten, UsageError } from "../errors.js";

/** One of `count` shards of an input (`index` 1..count): the records whose number is index, index + count, index + 2·count, … */
export interface Shard {
  /** Which shard, 1..count. */
  index: number;
  /** How many shards the input is split into, 1..MAX_SHARDS. */
  count: number;
}

/** The most shards an input may be split into. */
export const MAX_SHARDS = 1_000_000;

/**
 * True when record `record` (1-based, numbered as in `RecordPlace`, rejected records included)
 * belongs to `shard`: its 0-based number mod `count` is `index - 1`. Every record belongs to
 * exactly one of the `count` shards.
 */
export function inShard(record: number, shard: Shard): boolean {
  return (record - 1) % shard.count === shard.index - 1;
}

/** True for whole numbers with 1 <= index <= count <= MAX_SHARDS. */
export function isValidShard(shard: Shard): boolean {
  const { index, count } = shard;
  return Number.isInteger(index) && Number.isInteger(count) && index >= 1 && index <= count && count <= MAX_SHARDS;
}

/** The shard `i/n` names ("2/4": the second of four), or null when the text is not of that form or out of range. */
export function parseShard(text: string): Shard | null {
  const match = /^\s*(\d{1,7})\s*\/\s*(\d{1,7})\s*$/.exec(text);
  if (!match) return null;
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  return isValidShard(shard) ? shard : null;
}

/** Checks the `shard` option of a batch call: a `UsageError` naming what it must be. */
export function checkShard(label: string, shard: unknown): void {
  const ok = typeof shard === "object" && shard !== null && isValidShard(shard as Shard) && Object.keys(shard).every((key) => key === "index" || key === "count");
  if (!ok) {
    throw new UsageError(
      `${label}: must be { index, count } with whole numbers 1 <= index <= count <= ${MAX_SHARDS.toLocaleString("en-US")}, got ${describeValue(shard)}`,
      "index 2 of count 4 takes records 2, 6, 10, …",
    );
  }
}

function describeValue(value: unknown): string {
  try {
    return shorten(JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

/** "2/4". */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
