import { LABELS, type Label } from "../score/result.js";
import { REJECT_CODES, type BatchEvent, type BatchSummary, type FormattedBatchEvent, type RejectCode } from "./outcome.js";

/** Counts records as their events go by: the running figures for progress, interruption and the summary. */
export class BatchTally {
  /** Records seen so far (scored plus rejected). */
  read = 0;
  /** Records scored so far. */
  scored = 0;
  /** Records rejected so far. */
  rejected = 0;
  /** Line of the last record seen (0 before any). */
  lastLine = 0;
  /** Number of the last record seen (0 before any); beyond `read` when records of other shards were passed over. */
  lastRecord = 0;
  /** Scored records per label. */
  readonly labels: Record<Label, number> = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
  /** Rejected records per code. */
  readonly rejects: Partial<Record<RejectCode, number>> = {};

  /** Counts one event (header and summary events count nothing). */
  add(event: BatchEvent | FormattedBatchEvent): void {
    if (event.kind === "scored" || event.kind === "formatted") {
      this.read++;
      this.scored++;
      this.lastLine = event.line;
      this.lastRecord = event.record;
      this.labels[event.kind === "scored" ? event.result.label : event.label]++;
    } else if (event.kind === "rejected") {
      this.read++;
      this.rejected++;
      this.lastLine = event.line;
      this.lastRecord = event.record;
      this.rejects[event.code] = (this.rejects[event.code] ?? 0) + 1;
    }
  }

  /** The summary of what was counted, with the reader's line, blank-line and byte counts. */
  summary(extra: Pick<BatchSummary, "blankLines" | "lines" | "bytes" | "shard">): BatchSummary {
    return {
      read: this.read,
      scored: this.scored,
      rejected: this.rejected,
      labels: { ...this.labels },
      // In REJECT_CODES order, so summaries of the same input are identical.
      rejects: Object.fromEntries(REJECT_CODES.filter((code) => this.rejects[code] !== undefined).map((code) => [code, this.rejects[code]])),
      ...extra,
    };
  }
}
