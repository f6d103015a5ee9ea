import type { z } from "zod";
import { lazySchemas, type ZodNamespace } from "../zod.js";
import { modelSchemas } from "../model/schema.js";
import { LABELS, resultSchemas } from "../score/result.js";
import { SECTION_KINDS } from "../text/sections.js";

// The one definition of what `pmpo evaluate --format json` prints. Every ratio is rounded to 4
// decimals so that a report diffs cleanly; a ratio over no rows is null, never 0.

/** The classifiers every evaluation compares, pmpo first. */
export const CLASSIFIERS = ["pmpo", "keywords", "bayes"] as const;

/** One of the compared classifiers. */
export type ClassifierName = (typeof CLASSIFIERS)[number];

/** A ratio rounded to 4 decimals (null stays null). */
export function round4<T extends number | null>(x: T): T {
  return (x === null ? x : Math.round(x * 10_000) / 10_000) as T;
}

function defineReportSchemas(z: ZodNamespace) {
  const { phraseLabelSchema } = modelSchemas();
  const { labelSchema, titleLeaningSchema } = resultSchemas();

  const ratio = z.number().min(0).max(1);
  const count = z.number().int().min(0);
  const pairCount = z.number().min(0).multipleOf(0.5);
  const perClassifier = <T extends z.ZodType>(schema: T) => z.object({ pmpo: schema, keywords: schema, bayes: schema });
  const countsByLabel = z.object(Object.fromEntries(LABELS.map((label) => [label, count])) as Record<(typeof LABELS)[number], typeof count>);

  /** Precision, recall and F1 of one class, with its support (gold rows) and predicted rows. */
  const classMetricsSchema = z.object({ precision: ratio, recall: ratio, f1: ratio, support: count, predicted: count });

  /** Metrics of one classifier against the four gold labels. */
  const labelMetricsSchema = z.object({
    accuracy: ratio.nullable(),
    /** Mean F1 over the labels present in gold (`macroF1Over`). */
    macroF1: ratio.nullable(),
    macroF1Over: z.array(labelSchema),
    perClass: z.object(Object.fromEntries(LABELS.map((label) => [label, classMetricsSchema])) as Record<(typeof LABELS)[number], typeof classMetricsSchema>),
    /** Rows gold, columns predicted, both in `labels` order. */
    confusion: z.object({ labels: z.array(labelSchema), matrix: z.array(z.array(count)) }),
    /** ROC AUC of pmShare separating gold product-manager-leaning from product-owner-leaning rows. */
    aucLeaning: ratio.nullable(),
  });

  /** Metrics of one classifier against the role the title names (a weak label). */
  const titleMetricsSchema = z.object({
    /** ROC AUC of pmShare separating product manager titles (positive) from product owner titles. */
    auc: ratio.nullable(),
    /** With gold labels: the same AUC on the ads with duties (gold not insufficient-evidence), where teasers cannot blur it. */
    aucWithDuties: ratio.nullable(),
    /** Share of titled rows whose pmShare falls on the title's side of 0.5 (exactly 0.5 is a miss). */
    leaningAccuracy: ratio.nullable(),
    /** Mean of that share over the two title kinds, so the many product manager titles do not drown the few owner ones. */
    balancedAccuracy: ratio.nullable(),
    /** Predicted labels per title kind. */
    byTitle: z.object({ "product-manager": countsByLabel, "product-owner": countsByLabel }),
    /** With gold labels too: the title pairs pmShare orders against the titles, by what gold says of them (ties count half). */
    misorderedPairs: z
      .object({
        total: pairCount,
        withoutGold: pairCount,
        insufficientEvidence: pairCount,
        goldOrdersSo: pairCount,
        sameGoldLabel: pairCount,
        againstGold: pairCount,
      })
      .nullable(),
  });

  const verdictSchema = z.object({
    label: labelSchema,
    pmShare: ratio,
    evidence: z.object({ productManager: z.number().min(0), productOwner: z.number().min(0) }),
  });

  /** What each classifier said about one evaluated row. */
  const predictionSchema = z.object({
    id: z.string(),
    title: z.string().nullable(),
    gold: labelSchema.nullable(),
    titleLeaning: titleLeaningSchema.nullable(),
    pmpo: verdictSchema.extend({ confidence: ratio }),
    keywords: verdictSchema,
    bayes: verdictSchema,
  });

  const topPhraseSchema = z.object({ phrase: z.string(), count: z.number().int().min(1), weight: z.number().min(0) });

  /** One of pmpo's worst misses, with what it saw, for error analysis. */
  const missSchema = z.object({
    rank: z.number().int().min(1),
    id: z.string(),
    title: z.string().nullable(),
    /** What the row was measured against: its gold label, or (without gold labels) its title. */
    against: z.enum(["gold", "title"]),
    expected: z.union([labelSchema, titleLeaningSchema]),
    predicted: labelSchema,
    confidence: ratio,
    pmShare: ratio,
    evidence: z.object({ productManager: z.number().min(0), productOwner: z.number().min(0), total: z.number().min(0) }),
    topPhrases: z.object({ productManager: z.array(topPhraseSchema), productOwner: z.array(topPhraseSchema) }),
    baselines: z.object({ keywords: labelSchema, bayes: labelSchema }),
  });

  const modelRefSchema = z.object({ name: z.string(), version: z.string(), trainingHash: z.string() });

  const coverageSchema = z.object({ statements: count, withEvidence: count, share: ratio.nullable() });

  /** The report of `pmpo evaluate <file>`: pmpo and both baselines on labelled ads. */
  const adsReportSchema = z.object({
    mode: z.literal("ads"),
    source: z.string(),
    /** Whether role names were masked in the text before any classifier saw it. */
    masked: z.boolean(),
    model: modelRefSchema,
    /** The phrases the Bayes baseline was trained on, and whether they are the model's own. */
    bayesTraining: z.object({ trainingHash: z.string(), phrases: count, sameAsModel: z.boolean() }),
    columns: z.object({ text: z.string(), gold: z.string().nullable(), title: z.string().nullable() }),
    rows: z.object({
      read: count,
      /** Rows with text, on which every classifier ran. */
      classified: count,
      skippedNoText: count,
    }),
    gold: z
      .object({
        /** Rows measured against gold labels. */
        rows: count,
        /** Rows with text but an empty gold label (annotators disagreed, or never labelled). */
        skippedNoLabel: count,
        classifiers: perClassifier(labelMetricsSchema),
      })
      .nullable(),
    /** pmpo's confidence against its correctness on the gold rows: five bins and the Brier score. */
    calibration: z
      .object({
        bins: z.array(z.object({ from: ratio, to: ratio, count, meanConfidence: ratio.nullable(), accuracy: ratio.nullable() })),
        brier: ratio.nullable(),
      })
      .nullable(),
    /** Share of pmpo's statements that carry any evidence, in all and per section. */
    coverage: z.object({
      all: coverageSchema,
      bySection: z.object(Object.fromEntries(SECTION_KINDS.map((kind) => [kind, coverageSchema])) as Record<(typeof SECTION_KINDS)[number], typeof coverageSchema>),
    }),
    titles: z
      .object({
        /** Rows whose title names one role. */
        rows: count,
        productManager: count,
        productOwner: count,
        /** Rows with text whose title is empty, names both roles or neither. */
        skippedNoLeaning: count,
        /** (product manager title, product owner title) pairs: what the title ROC AUC is a share of. */
        pairs: count,
        /** With gold labels: the highest title ROC AUC a score that orders ads as their gold labels do can reach. */
        goldAucCeiling: ratio.nullable(),
        classifiers: perClassifier(titleMetricsSchema),
      })
      .nullable(),
    /** With a language column: pmpo's figures per value of it, then over all ads ("all"). */
    languages: z
      .object({
        column: z.string(),
        figures: z.array(
          z.object({
            language: z.string(),
            ads: count,
            labelled: count,
            accuracy: ratio.nullable(),
            macroF1: ratio.nullable(),
            detectedRight: count,
          }),
        ),
      })
      .nullable(),
    predictions: z.array(predictionSchema),
    /** How many rows pmpo missed in all (against gold, or else against titles); `misses` lists the worst. */
    missed: count,
    misses: z.array(missSchema),
    warnings: z.array(z.string()),
  });

  /** Metrics of one classifier on held-out training phrases. */
  const crossValidationMetricsSchema = z.object({
    /** Product manager and product owner phrases: accuracy, macro-F1 over the two, AUC of pmShare. */
    leaning: z.object({
      phrases: count,
      accuracy: ratio.nullable(),
      macroF1: ratio.nullable(),
      perClass: z.object({ "product-manager": classMetricsSchema, "product-owner": classMetricsSchema }),
      auc: ratio.nullable(),
      /** Share of these phrases given a side at all (not predicted neutral). */
      coverage: ratio.nullable(),
      /** Accuracy on each fold, in fold order. */
      foldAccuracy: z.array(ratio.nullable()),
    }),
    /** Neutral phrases: how many were left neutral and how many pushed a side. */
    neutral: z.object({
      phrases: count,
      predicted: z.object({ "product-manager": count, "product-owner": count, neutral: count }),
      /** Share of neutral phrases predicted neutral. */
      keptNeutral: ratio.nullable(),
    }),
    /** All phrases: rows gold, columns predicted, in `labels` order. */
    confusion: z.object({ labels: z.array(phraseLabelSchema), matrix: z.array(z.array(count)) }),
  });

  /** The report of `pmpo evaluate --folds N`: k-fold cross-validation on training phrases. */
  const crossValidationReportSchema = z.object({
    mode: z.literal("cross-validation"),
    source: z.string(),
    trainingHash: z.string(),
    folds: z.number().int().min(2),
    seed: z.number().int(),
    phrases: z.object({ productManager: count, productOwner: count, neutral: count }),
    /** How each classifier turns a phrase into a label, in words. */
    phraseRule: z.string(),
    classifiers: perClassifier(crossValidationMetricsSchema),
    warnings: z.array(z.string()),
  });

  /** Either report `pmpo evaluate` prints, told apart by `mode`. */
  const evaluationReportSchema = z.discriminatedUnion("mode", [adsReportSchema, crossValidationReportSchema]);

  return { classMetricsSchema, labelMetricsSchema, titleMetricsSchema, predictionSchema, missSchema, adsReportSchema, crossValidationMetricsSchema, crossValidationReportSchema, evaluationReportSchema };
}

/** The zod schemas of what `pmpo evaluate --format json` prints (`evaluationReportSchema`, …), built on the first call. */
export const reportSchemas = lazySchemas(defineReportSchemas);
type ReportSchemas = ReturnType<typeof reportSchemas>;

/** Metrics against gold labels. */
export type LabelMetrics = z.infer<ReportSchemas["labelMetricsSchema"]>;

/** Metrics against titles. */
export type TitleMetrics = z.infer<ReportSchemas["titleMetricsSchema"]>;

/** One row's predictions. */
export type Prediction = z.infer<ReportSchemas["predictionSchema"]>;

/** A miss. */
export type Miss = z.infer<ReportSchemas["missSchema"]>;

/** The report on labelled ads. */
export type AdsReport = z.infer<ReportSchemas["adsReportSchema"]>;

/** Cross-validation metrics of one classifier. */
export type CrossValidationMetrics = z.infer<ReportSchemas["crossValidationMetricsSchema"]>;

/** The cross-validation report. */
export type CrossValidationReport = z.infer<ReportSchemas["crossValidationReportSchema"]>;

/** Either report. */
export type EvaluationReport = z.infer<ReportSchemas["evaluationReportSchema"]>;
