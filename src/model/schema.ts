import type { z } from "zod";
import { lazySchemas, type ZodNamespace } from "../zod.js";
import { MODEL_LANGUAGES } from "../text/language.js";
import { SECTION_KINDS } from "../text/sections.js";

/** The model file format this build reads and writes; older files are refused with a hint. */
export const MODEL_FORMAT_VERSION = 1;

/**
 * The largest weight a term may have in a model file. Trained weights stay below `maxWeight`
 * (3 in the shipped settings); the bound keeps every sum of evidence finite, so a hand-edited
 * model with weights such as 1e308 is refused instead of giving Infinity and NaN scores.
 */
export const MAX_TERM_WEIGHT = 100;

/** Roles that share the product vocabulary but are not product roles; an ad whose duties read as one is not scored as PM or PO. */
export const OTHER_ROLES = [
  "scrum-master",
  "project-manager",
  "product-marketing",
  "qa-engineer",
  "business-analyst",
  "software-engineer",
  "ux-designer",
  "data-analyst",
] as const;

/** One of `OTHER_ROLES`. */
export type OtherRole = (typeof OTHER_ROLES)[number];

/** The three labels of the product-side vocabulary: a leaning, or `neutral` for words both kinds of ad use. */
export const SIDE_LABELS = ["product-manager", "product-owner", "neutral"] as const;

/** `product-manager`, `product-owner` or `neutral`. */
export type SideLabel = (typeof SIDE_LABELS)[number];

/** True for the labels of roles that are not product roles. */
export function isOtherRole(label: string): label is OtherRole {
  return (OTHER_ROLES as readonly string[]).includes(label);
}

// The schemas are built on first use, not when pmpo is imported: scoring needs none of them.
function defineModelSchemas(z: ZodNamespace) {
  /** Which role a phrase, a term or a highlight speaks for. */
  const leaningSchema = z.enum(["product-manager", "product-owner"]);

  /** One of `OTHER_ROLES`. */
  const otherRoleSchema = z.enum(OTHER_ROLES);

  /** A label a training phrase can carry: a side label, or another role that shares the vocabulary. */
  const phraseLabelSchema = z.enum([...SIDE_LABELS, ...OTHER_ROLES]);

  /** One labelled responsibility phrase of the training data. */
  const phraseSchema = z.object({
    label: phraseLabelSchema,
    phrase: z.string().trim().min(1, "phrase is empty"),
  });

  // Every tunable number carries the reason it has its value, in the file itself.
  const reasoned = (check: z.ZodNumber) => z.object({ value: check, reason: z.string().min(10) }).strict();

  /**
   * Thresholds that turn an ad's duty statements into a label, each with the reason for its value.
   * A statement leans when its own evidence reaches `dutyEvidence`; the ad's label follows from the
   * section-weighted votes of its leaning statements (see `decideLabel`).
   */
  const thresholdsSchema = z
    .object({
      /** Points of evidence (before section weights) a statement needs to lean at all. */
      dutyEvidence: reasoned(z.number().positive()),
      /** A statement leans both ways when its smaller side holds at least this share of its evidence. */
      dutyBothShare: reasoned(z.number().min(0).max(0.5)),
      /** How much more the first phrase of a statement (its verb and object) counts than the rest, in deciding its leaning. */
      dutyHeadFactor: reasoned(z.number().min(1).max(10)),
      /** The same for deciding whether a statement reads as another role (its verb says whose work it is). */
      roleHeadFactor: reasoned(z.number().min(1).max(10)),
      /** Fewer leaning votes (points) than this, about two clear duties, is insufficient evidence. */
      minDutyVotes: reasoned(z.number().positive()),
      /**
       * An ad that states at least this many leaning duties (section-weighted) has enough evidence
       * whatever its points: a short ad with two clear duties is judged. Absent: points alone decide.
       */
      minDuties: reasoned(z.number().positive()).optional(),
      /** Fewer than this share of the statements (in sections that count) leaning to a product side is insufficient evidence: stray phrases in an ad of other work. */
      minLeaningShare: reasoned(z.number().min(0).max(1)),
      /** Hybrid when each side holds at least this share of the leaning votes. */
      hybridShare: reasoned(z.number().min(0).max(0.5)),
      /** Hybrid also needs at least this many votes on the smaller side: a block of duties, not a stray phrase. */
      hybridMinVotes: reasoned(z.number().min(0)),
      /** Another role's votes at or above this multiple of the product votes make the ad read as that role. */
      otherRoleRatio: reasoned(z.number().positive()),
      /** Points added to each side in `pmShare`, so a handful of words cannot claim 100%. */
      sharePrior: reasoned(z.number().min(0)),
      /** Logistic calibration of confidence (fitted out of fold): p = 1 / (1 + e^-(slope × margin + intercept)). */
      confidenceSlope: reasoned(z.number().min(0).max(100)),
      confidenceIntercept: reasoned(z.number().min(-100).max(100)),
    })
    .strict();

  /** Weight of evidence by the section of the ad it sits in (0 ignores the section). */
  const sectionWeightsSchema = z
    .object(Object.fromEntries(SECTION_KINDS.map((kind) => [kind, reasoned(z.number().min(0).max(2))])) as Record<
      (typeof SECTION_KINDS)[number],
      ReturnType<typeof reasoned>
    >)
    .strict();

  /** Training settings: the whole recipe, stored in the model so a result can be reproduced. */
  const trainingSettingsSchema = z
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
      /**
       * A lone word that neutral phrases use at least `ratio` times as often (per phrase) as its
       * own side does, or that at least `maxShare` of all phrases use, is generic: every kind of ad
       * uses it, so it counts for `factor` alone.
       */
      genericWords: z.object({ ratio: z.number().positive(), maxShare: z.number().positive().max(1), factor: z.number().min(0).max(1), reason: z.string().min(10) }).strict(),
      /**
       * What a lone word counts for as another role's evidence, as a share of its weight (a phrase
       * counts in full): "test", "client", "implement" are in every kind of ad. Absent: 1.
       */
      otherRoleLoneWords: reasoned(z.number().min(0).max(1)).optional(),
      roleNames: z.array(z.string().min(1)),
      /**
       * Words that say the person only contributes to a duty someone else owns ("contribute to",
       * "feed into"): evidence after one, up to the end of its clause, counts for `factor`.
       */
      discountCues: z.object({ value: z.array(z.string().min(1)), factor: z.number().min(0).max(1), reason: z.string().min(10) }).strict(),
      /**
       * Words that say what a duty is for ("to achieve", "in order to"): the goal a duty serves is
       * not the duty, so evidence after one counts for the discount cues' `factor` too ("own the
       * backlog to achieve the product vision" is backlog work). Absent: none.
       */
      purposeCues: z.object({ value: z.array(z.string().min(1)), reason: z.string().min(10) }).strict().optional(),
      sectionWeights: sectionWeightsSchema,
      thresholds: thresholdsSchema,
      /**
       * The words of each language other than English that a model of it needs besides its phrases:
       * role names in that language (masked like the English ones, which stay masked too), its
       * discount and purpose cues (added to the English ones, which ads borrow less but still use), and the
       * names of the other roles in that language ("chef de projet", "Projektleiter"): as the
       * English label words ("project", "scrum"), a word of one alone is no role's evidence.
       */
      languages: z
        .partialRecord(
          z.enum(MODEL_LANGUAGES),
          z
            .object({
              roleNames: z.array(z.string().min(1)),
              discountCues: z.array(z.string().min(1)),
              purposeCues: z.array(z.string().min(1)).optional(),
              otherRoleNames: z.array(z.string().min(1)).optional(),
            })
            .strict(),
        )
        .optional(),
    })
    .strict();

  /** A term's evidence: its leaning, its weight (above 0, at most `MAX_TERM_WEIGHT`) and the phrase counts it was learnt from. */
  const termSchema = z
    .object({
      leaning: leaningSchema,
      /** Points for its leaning; 0 when the term is only evidence of another role. */
      weight: z.number().min(0).max(MAX_TERM_WEIGHT, `must be at most ${MAX_TERM_WEIGHT} (MAX_TERM_WEIGHT)`),
      /**
       * Points of evidence for roles that are not product roles; 0 for a role whose phrases use
       * the term about as much as its product side does (shared, so no evidence either way).
       */
      roles: z.partialRecord(otherRoleSchema, z.number().min(0).max(MAX_TERM_WEIGHT, `must be at most ${MAX_TERM_WEIGHT} (MAX_TERM_WEIGHT)`)).optional(),
      /** Phrases containing the term: product manager, product owner, neutral. */
      counts: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]),
    })
    .strict();

  /** The vocabulary of one language other than English: trained like the English terms, from its own phrases, with its own stemmer. */
  const languageModelSchema = z
    .object({
      trainingHash: z.string().regex(/^sha256:[0-9a-f]{64}$/, "expected sha256: and 64 hex digits"),
      phraseCounts: z
        .object({ productManager: z.number().int(), productOwner: z.number().int(), neutral: z.number().int() })
        .strict(),
      stopwords: z.array(z.string()),
      roleNameStems: z.array(z.array(z.string()).min(1)),
      terms: z.record(z.string().min(1), termSchema),
    })
    .strict();

  /** The model file: the single definition of its shape. */
  const modelSchema = z
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
      /** German, Dutch and French vocabularies; the top-level terms are the English ones. Absent: the model reads English only. */
      languages: z.partialRecord(z.enum(MODEL_LANGUAGES), languageModelSchema).optional(),
    })
    .strict();

  return { leaningSchema, otherRoleSchema, phraseLabelSchema, phraseSchema, thresholdsSchema, sectionWeightsSchema, trainingSettingsSchema, termSchema, languageModelSchema, modelSchema };
}

/**
 * The zod schemas of a model file and its parts (`modelSchema`, `trainingSettingsSchema`,
 * `phraseSchema`, …): the one definition of their shape, built on the first call (zod loads then).
 */
export const modelSchemas = lazySchemas(defineModelSchemas);
type ModelSchemas = ReturnType<typeof modelSchemas>;

/** `product-manager` or `product-owner`. */
export type Leaning = z.infer<ModelSchemas["leaningSchema"]>;

/** A side label or an `OtherRole`. */
export type PhraseLabel = z.infer<ModelSchemas["phraseLabelSchema"]>;

/** A labelled training phrase. */
export type Phrase = z.infer<ModelSchemas["phraseSchema"]>;

/** Settings `trainModel` reads (normally `models/settings.json`). */
export type TrainingSettings = z.infer<ModelSchemas["trainingSettingsSchema"]>;

/** One weighted term of a model. */
export type Term = z.infer<ModelSchemas["termSchema"]>;

/** One language's vocabulary in a model. */
export type LanguageModel = z.infer<ModelSchemas["languageModelSchema"]>;

/** A trained model as stored in `models/default.json`. */
export type Model = z.infer<ModelSchemas["modelSchema"]>;
