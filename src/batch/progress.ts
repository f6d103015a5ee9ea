/** What a progress line shows. */
export interface ProgressState {
  /** Records read so far. */
  records: number;
  /** Seconds since the run started. */
  seconds: number;
  /** Bytes read from the input. */
  bytes: number;
  /** Size of the input in bytes, when known (a file, not a pipe). */
  totalBytes: number | null;
  /** Terminal width in columns. */
  width: number;
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** One progress line (no line break): a bar when the total is known, records, records/s and bytes read. */
export function renderProgress(state: ProgressState): string {
  const rate = state.seconds > 0 ? Math.round(state.records / state.seconds) : 0;
  const counts = `${state.records.toLocaleString("en-US")} records, ${rate.toLocaleString("en-US")}/s`;
  if (state.totalBytes === null || state.totalBytes <= 0) return `${counts}, ${size(state.bytes)} read`.slice(0, Math.max(10, state.width - 1));
  const share = Math.min(1, state.bytes / state.totalBytes);
  const text = ` ${(share * 100).toFixed(0).padStart(3)}% ${counts}, ${size(state.bytes)} of ${size(state.totalBytes)}`;
  const barWidth = Math.max(0, Math.min(30, state.width - 1 - text.length - 2));
  if (barWidth < 5) return text.trim().slice(0, Math.max(10, state.width - 1));
  const filled = Math.round(share * barWidth);
  return `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]${text}`;
}
