import type { z } from "zod";
import { lazySchemas, type ZodNamespace } from "../zod.js";
import { modelSchemas } from "../model/schema.js";
import { SECTION_KINDS } from "../text/sections.js";

/** The four labels a classification can give. */
export const LABELS = ["product-manager-leaning", "product-owner-leaning", "hybrid", "insufficient-evidence"] as const;

// Built on first use, not when pmpo is imported: classifying needs none of them.
function defineResultSchemas(z: ZodNamespace) {
  const { leaningSchema, otherRoleSchema } = modelSchemas();

  /** Schema of a label. */
  const labelSchema = z.enum(LABELS);

  /** One matched span of the ad: `input.slice(start, end) === text`. */
  const highlightSchema = z.object({
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    text: z.string(),
    leaning: leaningSchema,
    /** Points this span adds to its side's evidence: term weight × section weight ÷ repeat number. */
    weight: z.number().min(0),
    section: z.enum(SECTION_KINDS),
    /** The model term (stems) the span matched. */
    term: z.string(),
  });

  /** What one statement of the ad reads as. */
  const dutyLeaningSchema = z.enum(["product-manager", "product-owner", "both", "other-role", "none"]);

  /** One statement of the ad and what it reads as. */
  const dutySchema = z.object({
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    section: z.enum(SECTION_KINDS),
    leaning: dutyLeaningSchema,
    /** The role it reads as when `leaning` is `other-role`, else null. */
    role: otherRoleSchema.nullable(),
    /** Points inside the statement after section weights: per side, and for its strongest other role. */
    evidence: z.object({ productManager: z.number().min(0), productOwner: z.number().min(0), otherRole: z.number().min(0) }),
    /** What the statement adds to the vote that decides the label (its section's weight, less for weak evidence; 0 when it does not lean). */
    vote: z.number().min(0),
    /** Indices into `highlights` of the spans inside it. */
    highlights: z.array(z.number().int().min(0)),
  });

  /** A phrase summed over its occurrences, for the "top phrases" lists. */
  const topPhraseSchema = z.object({
    phrase: z.string(),
    term: z.string(),
    count: z.number().int().min(1),
    weight: z.number().min(0),
  });

  /** What a title names: one role, both, or neither. */
  const titleLeaningSchema = z.enum(["product-manager", "product-owner", "both", "none"]);

  /** The result of classifying one ad; `--format json` prints exactly this. */
  const classificationSchema = z.object({
    label: labelSchema,
    /** Probability that the label is right, 0..1, calibrated on out-of-fold predictions on labelled real ads (for insufficient-evidence: that the ad really does not state enough product duties). */
    confidence: z.number().min(0).max(1),
    /** Share of the weighted evidence that is product manager, 0..1, with the model's `sharePrior` points added to each side (0.5 without evidence). */
    pmShare: z.number().min(0).max(1),
    /** Weighted evidence per side and in all; each is the sum of its highlights' weights. */
    evidence: z.object({
      productManager: z.number().min(0),
      productOwner: z.number().min(0),
      total: z.number().min(0),
    }),
    /** The duty summary a reader sees first, e.g. "9 of 24 statements state a duty: 7 read as product manager, 2 as product owner." */
    summary: z.string(),
    /** Statements by what they read as. */
    dutyCounts: z.object({
      statements: z.number().int().min(0),
      productManager: z.number().int().min(0),
      productOwner: z.number().int().min(0),
      both: z.number().int().min(0),
      otherRole: z.number().int().min(0),
      none: z.number().int().min(0),
    }),
    /** Every statement of the ad (a bullet, a line or a sentence), in text order, with what it reads as. */
    duties: z.array(dutySchema),
    /** When the duties read as a role that is not a product role (the label is then insufficient-evidence): which, and its evidence. */
    otherRole: z
      .object({
        role: otherRoleSchema,
        name: z.string(),
        evidence: z.array(z.object({ start: z.number().int().min(0), end: z.number().int().min(0), text: z.string(), weight: z.number().min(0) })),
      })
      .nullable(),
    /**
     * The smallest set of duties whose removal changes the label (exact: the label depends on the
     * duties only through their vote sums), with the label it would become and the phrases in
     * them; null when removing up to 5 duties changes nothing (or the search stops after 2,000 tries).
     */
    flips: z
      .object({
        label: labelSchema,
        otherRole: otherRoleSchema.nullable(),
        duties: z.array(z.number().int().min(0)),
        phrases: z.array(z.string()),
      })
      .nullable(),
    /** Every matched span, in text order. */
    highlights: z.array(highlightSchema),
    /** The strongest phrases on each side, strongest first (at most 5 each). */
    topPhrases: z.object({
      productManager: z.array(topPhraseSchema),
      productOwner: z.array(topPhraseSchema),
    }),
    /** The sections pmpo found, in text order. */
    sections: z.array(
      z.object({ kind: z.enum(SECTION_KINDS), start: z.number().int(), end: z.number().int(), heading: z.string().nullable() }),
    ),
    /** The title given with the ad and the role it names, or null without a title. */
    title: z.object({ text: z.string(), leaning: titleLeaningSchema }).nullable(),
    /** True when the title names one role and the duties lean to the other. */
    titleMismatch: z.boolean(),
    /** The model that made this result. */
    model: z.object({ name: z.string(), version: z.string(), trainingHash: z.string() }),
    /** Length of the classified text in UTF-16 code units (the unit of every offset). */
    inputLength: z.number().int().min(0),
    /** The language of the ad's duties: en, de, nl, fr (read), or es, it, pt (recognised, not read: the label is then insufficient-evidence and the summary says why). */
    language: z.enum(["en", "de", "nl", "fr", "es", "it", "pt"]),
  });

  return { labelSchema, highlightSchema, dutyLeaningSchema, dutySchema, topPhraseSchema, titleLeaningSchema, classificationSchema };
}

/**
 * The zod schemas of a classification and its parts (`classificationSchema`, `labelSchema`,
 * `highlightSchema`, …), built on the first call (zod loads then).
 */
export const resultSchemas = lazySchemas(defineResultSchemas);
type ResultSchemas = ReturnType<typeof resultSchemas>;

/** One of the four labels. */
export type Label = z.infer<ResultSchemas["labelSchema"]>;

/** A highlighted span of evidence. */
export type Highlight = z.infer<ResultSchemas["highlightSchema"]>;

/** One statement of the ad. */
export type Duty = z.infer<ResultSchemas["dutySchema"]>;

/** A phrase with its occurrences and summed weight. */
export type TopPhrase = z.infer<ResultSchemas["topPhraseSchema"]>;

/** The leaning a job title names. */
export type TitleLeaning = z.infer<ResultSchemas["titleLeaningSchema"]>;

/** The result of classifying one ad. */
export type Classification = z.infer<ResultSchemas["classificationSchema"]>;
