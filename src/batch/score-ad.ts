import type { Model } from "../model/schema.js";
import { classify } from "../score/classify.js";
import type { Classification, Label } from "../score/result.js";
import { formatCsvRow, type CsvFormulas } from "./csv-output.js";
import { formatJsonlRow } from "./jsonl-output.js";
import { renderReport, type ReportFormat } from "../highlight/render-report.js";
import type { RecordPlace } from "./outcome.js";

/** Output formats a scored ad can be written as where it is scored. */
export type RowFormat = "csv" | "jsonl";

/** How each ad of a batch is scored; the same in the main thread and in workers. */
export interface ScoreSettings {
  /** Keep every highlight span in the result (false leaves `highlights` empty, which is cheaper to pass between threads). */
  highlights: boolean;
  /** How many top phrases per side (default 5). */
  topPhrases?: number | undefined;
  /**
   * Hand back each ad as its output line (`formatCsvRow` or `formatJsonlRow`, with highlights when
   * `highlights` is set) and its label instead of the whole result: a line is far cheaper than a
   * result to pass from a worker, and the caller that only writes lines needs nothing else.
   */
  format?: RowFormat | undefined;
  /** CSV lines only: guard text cells that start like a formula (default) or `allow` them. */
  csvFormulas?: CsvFormulas | undefined;
}

/** Where an ad came from, as its output line names it. */
export interface AdPlace extends RecordPlace {
  id: string;
  /** Kept input columns as [output name, value] pairs (see `pickKeptColumns`). */
  kept?: ReadonlyArray<readonly [string, string]> | undefined;
}

/** One ad of a batch as it is handed to scoring; `place` is needed only to format its line. */
export interface AdItem {
  text: string;
  title: string | null;
  place?: AdPlace | undefined;
  /** Hand back the ad's whole report in this format (see `renderReport`) instead of its result or line. */
  report?: ReportFormat | undefined;
}

/** An ad scored and written as its output line, with its label for counting. */
export interface FormattedAd {
  row: string;
  label: Label;
}

/** An ad scored and written as its report (`pmpo classify --format json`, `markdown` or `html`), with its label. */
export interface ReportedAd {
  report: string;
  label: Label;
}

/** What scoring one ad gives: its classification, its output line when the settings name a format, or its report when the item asks for one. */
export type ScoredAd = Classification | FormattedAd | ReportedAd;

function classifyAd(text: string, title: string | null, model: Model, settings: ScoreSettings, flips = true): Classification {
  return classify(text, {
    model,
    title: title ?? undefined,
    flips,
    ...(settings.topPhrases === undefined ? {} : { topPhrases: settings.topPhrases }),
  });
}

/** Classifies one ad of a batch. */
export function scoreAd(text: string, title: string | null, model: Model, settings: ScoreSettings): Classification {
  const result = classifyAd(text, title, model, settings);
  return settings.highlights ? result : { ...result, highlights: [] };
}

/** Scores one ad of a batch: its classification, or with `format` its output line and label. */
export function scoreItem(item: AdItem, model: Model, settings: ScoreSettings): ScoredAd {
  if (item.report !== undefined) {
    // A report is the whole result, counterfactual and highlights included, written out here:
    // a string costs far less than the result to hand back from a worker thread.
    const result = classifyAd(item.text, item.title, model, settings);
    return { report: renderReport(item.text, result, item.report), label: result.label };
  }
  if (settings.format === undefined) return scoreAd(item.text, item.title, model, settings);
  // The line is written from the whole result: highlights are left out by the formatter, not
  // removed here. No output line holds the counterfactual, so it is not searched for.
  const result = classifyAd(item.text, item.title, model, settings, false);
  if (!item.place) throw new Error("scoreItem: an ad to format needs its place (id, record, line)");
  const event = { kind: "scored", ...item.place, kept: item.place.kept ?? [], title: item.title, result } as const;
  const row = settings.format === "csv" ? formatCsvRow(event, { formulas: settings.csvFormulas }) : formatJsonlRow(event, { highlights: settings.highlights });
  return { row, label: result.label };
}
