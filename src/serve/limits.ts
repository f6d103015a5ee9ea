// Limits of the server that the CLI's help states too: apart from app.ts, so that the CLI bundle
// can import them without loading the HTTP framework.

/**
 * Default batch requests answered at once (`--max-batches`). Each holds a CSV parser, the records
 * it has buffered and its `--workers` threads (each with its own model and heap) until it ends,
 * and all of them share the server's main thread, which reads every CSV: past a few, another
 * batch finishes no sooner, it only adds memory. Four lets the page and a few tools upload at once.
 */
export const DEFAULT_MAX_BATCHES = 4;
/** Seconds a batch request refused as busy is told to wait before trying again (`Retry-After`). */
export const BUSY_RETRY_AFTER_SECONDS = 5;
