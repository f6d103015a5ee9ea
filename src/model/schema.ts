import { z } from "zod";
import { SECTION_KINDS } from "../text/sections.js";

/** The model file format this build reads and writes; older files are refused with a hint. */
export const MODEL_FORMAT_VERSION = 1;

/**
 * The largest weight a term may have in a model file. Trained weights stay below `maxWeight`
 * (3 in the shipped settings); the bound keeps every sum of evidence finite, so a hand-edited
 * model with weights such as 1e308 is refused instead of giving Infinity and NaN scores.
 */
export const MAX_TERM_WEIGHT = 100;

/** Which role a phrase, a term or a highlight speaks for. */
export const leaningSchema = z.enum(["product-manager", "product-owner"]);
/** `product-manager` or `product-owner`. */
export type Leaning = z.infer<typeof leaningSchema>;

/** Roles that share the product vocabulary but are not product roles; an ad whose duties read as one is not scored as PM or PO. */
export const OTHER_ROLES = ["scrum-master", "project-manager", "product-marketing", "qa-engineer", "business-analyst"] as const;
/** One of `OTHER_ROLES`. */
export type OtherRole = (typeof OTHER_ROLES)[number];
export const otherRoleSchema = z.enum(OTHER_ROLES);

/** The three labels of the product-side vocabulary: a leaning, or `neutral` for words both kinds of ad use. */
export const SIDE_LABELS = ["product-manager", "product-owner", "neutral"] as const;
/** `product-manager`, `product-owner` or `neutral`. */
export type SideLabel = (typeof SIDE_LABELS)[number];

/** A label a training phrase can carry: a side label, or another role that shares the vocabulary. */
export const phraseLabelSchema = z.enum([...SIDE_LABELS, ...OTHER_ROLES]);
/** A side label or an `OtherRole`. */
export type PhraseLabel = z.infer<typeof phraseLabelSchema>;

/** True for the labels of roles that are not product roles. */
export function isOtherRole(label: string): label is OtherRole {
  return (OTHER_ROLES as readonly string[]).includes(label);
}

/** One labelled responsibility phrase of the training data. */
export const phraseSchema = z.object({
  label: phraseLabelSchema,
  phrase: z.string().trim().min(1, "phrase is empty"),
});
/** A labelled training phrase. */
export type Phrase = z.infer<typeof phraseSchema>;

// Every tunable number carries the reason it has its value, in the file itself.
const reasoned = (check: z.ZodNumber) => z.object({ value: check, reason: z.string().min(10) }).strict();

const shareSchema = z.number().min(0).max(1);

/** Thresholds that turn evidence totals into a label, each with the reason for its value. */
export const thresholdsSchema = z
  .object({
    minEvidence: reasoned(z.number().positive()),
    managerShare: reasoned(shareSchema),
    ownerShare: reasoned(shareSchema),
    hybridMinSide: reasoned(z.number().min(0)),
    confidenceScale: reasoned(z.number().positive()),
    sharePrior: reasoned(z.number().min(0)),
  })
  .strict();

/** Weight of evidence by the section of the ad it sits in (0 ignores the section). */
export const sectionWeightsSchema = z
  .object(Object.fromEntries(SECTION_KINDS.map((kind) => [kind, reasoned(z.number().min(0).max(2))])) as Record<
    (typeof SECTION_KINDS)[number],
    ReturnType<typeof reasoned>
  >)
  .strict();

/** Training settings: the whole recipe, stored in the model so a result can be reproduced. */
export const trainingSettingsSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and dashes"),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, "use a semantic version such as 1.0.0"),
    maxNgram: z.number().int().min(1).max(4),
    minPhraseCount: z.number().int().min(1),
    /** A lone word needs at least this share of its side's phrases (and minPhraseCount) to be a keyword. */
    minUnigramShare: reasoned(z.number().min(0).max(1)),
    smoothing: z.number().positive(),
    minWeight: z.number().min(0),
    maxWeight: z.number().positive().max(MAX_TERM_WEIGHT, `must be at most ${MAX_TERM_WEIGHT}, the largest term weight a model may hold`),
    keepWords: z.array(z.string()),
    genericWords: z.object({ value: z.array(z.string()), factor: z.number().min(0).max(1), reason: z.string().min(10) }).strict(),
    roleNames: z.array(z.string().min(1)),
    /**
     * Words that say the person only contributes to a duty someone else owns ("contribute to",
     * "feed into"): evidence after one, up to the end of its clause, counts for `factor`.
     */
    discountCues: z.object({ value: z.array(z.string().min(1)), factor: z.number().min(0).max(1), reason: z.string().min(10) }).strict(),
    sectionWeights: sectionWeightsSchema,
    thresholds: thresholdsSchema,
  })
  .strict();
/** Settings `trainModel` reads (normally `models/settings.json`). */
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

/** A term's evidence: its leaning, its weight (above 0, at most `MAX_TERM_WEIGHT`) and the phrase counts it was learnt from. */
export const termSchema = z
  .object({
    leaning: leaningSchema,
    weight: z.number().positive().max(MAX_TERM_WEIGHT, `must be at most ${MAX_TERM_WEIGHT} (MAX_TERM_WEIGHT)`),
    /** Phrases containing the term: product manager, product owner, neutral. */
    counts: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]),
  })
  .strict();
/** One weighted term of a model. */
export type Term = z.infer<typeof termSchema>;

/** The model file: the single definition of its shape. */
export const modelSchema = z
  .object({
    format: z.literal("pmpo-model"),
    formatVersion: z.literal(MODEL_FORMAT_VERSION),
    name: z.string().min(1),
    version: z.string().min(1),
    trainingHash: z.string().regex(/^sha256:[0-9a-f]{64}$/, "expected sha256: and 64 hex digits"),
    phraseCounts: z
      .object({ productManager: z.number().int(), productOwner: z.number().int(), neutral: z.number().int() })
      .strict(),
    settings: trainingSettingsSchema,
    stopwords: z.array(z.string()),
    roleNameStems: z.array(z.array(z.string()).min(1)),
    terms: z.record(z.string().min(1), termSchema),
  })
  .strict();
/** A trained model as stored in `models/default.json`. */
export type Model = z.infer<typeof modelSchema>;
