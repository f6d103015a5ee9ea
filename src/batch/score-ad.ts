import type { Model } from "../model/schema.js";
import { classify } from "../score/classify.js";
import type { Classification } from "../score/result.js";

/** How each ad of a batch is scored; the same in the main thread and in workers. */
export interface ScoreSettings {
  /** Keep every highlight span in the result (false leaves `highlights` empty, which is cheaper to pass between threads). */
  highlights: boolean;
  /** How many top phrases per side (default 5). */
  topPhrases?: number | undefined;
}

/** Classifies one ad of a batch. */
export function scoreAd(text: string, title: string | null, model: Model, settings: ScoreSettings): Classification {
  const result = classify(text, {
    model,
    title: title ?? undefined,
    ...(settings.topPhrases === undefined ? {} : { topPhrases: settings.topPhrases }),
  });
  return settings.highlights ? result : { ...result, highlights: [] };
}
