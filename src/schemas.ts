/**
 * pmpo/schemas: the zod schemas that define pmpo's data, for validating or documenting it
 * (`z.toJSONSchema(classificationSchema)`). Importing this entry loads zod; the main `pmpo`
 * entry does not, so that classifying starts fast. The schemas are built with zod 4, loaded by
 * `require` (its CommonJS build): compose them with zod 4.
 */
import type { Model } from "./model/schema.js";
import { modelSchemas } from "./model/schema.js";
import { resultSchemas } from "./score/result.js";
import { reportSchemas } from "./eval/report.js";
import { loadZod } from "./zod.js";

const z = loadZod();

/** The model file (`models/default.json`) and its parts. */
export const { modelSchema, phraseSchema, trainingSettingsSchema, leaningSchema, otherRoleSchema, phraseLabelSchema, termSchema, languageModelSchema } = modelSchemas();

/** The result of `classify` (`pmpo classify --format json`) and its parts. */
export const { classificationSchema, labelSchema, highlightSchema, dutySchema, topPhraseSchema, titleLeaningSchema } = resultSchemas();

/** The report of `pmpo evaluate --format json`. */
export const { evaluationReportSchema, adsReportSchema, crossValidationReportSchema } = reportSchemas();

/** The options of `classify`, as `classify` checks them. */
export const classifyOptionsSchema = z.object({
  model: z.custom<Model>((m) => typeof m === "object" && m !== null && (m as { format?: unknown }).format === "pmpo-model", {
    message: "expected a model from loadModel or loadDefaultModel",
  }),
  title: z.string().optional(),
  topPhrases: z.number().int().min(0).max(100).optional(),
  flips: z.boolean().optional(),
});
