import { createHash } from "node:crypto";
import { words as naturalStopwords } from "natural/lib/natural/util/stopwords.js";
import { parse } from "csv-parse/sync";
import { TrainingDataError } from "../errors.js";
import { tokenise, stemWord } from "../text/tokenise.js";
import { LANGUAGE_STOPWORDS, MODEL_LANGUAGES, type Language, type ModelLanguage } from "../text/language.js";
import { contentWords, stemFeatures, termKey, type FeatureVocabulary } from "./features.js";
import { buildStemTrie } from "./stem-trie.js";
import {
  MODEL_FORMAT_VERSION,
  modelSchemas,
  type Model,
  type Phrase,
  type PhraseLabel,
  type SideLabel,
  type OtherRole,
  isOtherRole,
  OTHER_ROLES,
  type Term,
  type TrainingSettings,
  type LanguageModel,
} from "./schema.js";

/** Phrases read from the training file, with warnings that do not stop training. */
export interface PhraseSet {
  phrases: Phrase[];
  warnings: string[];
}

const LABEL_INDEX: Record<SideLabel, 0 | 1 | 2> = { "product-manager": 0, "product-owner": 1, neutral: 2 };
// One side with more than this many times the other's phrases skews every weight.
const IMBALANCE_RATIO = 1.5;

function canonicalPhrase(phrase: string): string {
  return phrase.toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * Parses the training CSV (`label,phrase`), refusing a phrase labelled two ways and warning on
 * duplicates and on one side outnumbering the other. `source` names the file in messages.
 */
export function parsePhrases(csvText: string, source: string): PhraseSet {
  let rows: string[][];
  try {
    rows = parse(csvText, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new TrainingDataError(`${source}: not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header || header[0] !== "label" || header[1] !== "phrase" || header.length !== 2) {
    throw new TrainingDataError(`${source}: line 1: expected the header "label,phrase"`, "received " + JSON.stringify(header ?? []));
  }
  const phrases: Phrase[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, { label: PhraseLabel; line: number }>();
  body.forEach((row, index) => {
    const line = index + 2;
    const parsed = modelSchemas().phraseSchema.safeParse({ label: row[0], phrase: row[1] });
    if (!parsed.success || row.length !== 2) {
      const why = parsed.success ? `expected 2 fields, found ${row.length}` : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new TrainingDataError(`${source}: line ${line}: ${why}`, `labels are product-manager, product-owner, neutral, or another role: ${OTHER_ROLES.join(", ")}`);
    }
    const key = canonicalPhrase(parsed.data.phrase);
    const earlier = seen.get(key);
    if (earlier && earlier.label !== parsed.data.label) {
      throw new TrainingDataError(
        `${source}: line ${line}: "${parsed.data.phrase}" is labelled ${parsed.data.label} here and ${earlier.label} on line ${earlier.line}`,
        "a phrase must speak for one side; remove one of the two",
      );
    }
    if (earlier) {
      warnings.push(`${source}: line ${line}: duplicate of line ${earlier.line} ("${parsed.data.phrase}"); counted once`);
      return;
    }
    seen.set(key, { label: parsed.data.label, line });
    phrases.push(parsed.data);
  });
  const counts = countByLabel(phrases);
  const [pm, po] = [counts[0], counts[1]];
  if (pm === 0 || po === 0) {
    throw new TrainingDataError(`${source}: needs phrases for both sides (product-manager: ${pm}, product-owner: ${po})`);
  }
  if (Math.max(pm, po) / Math.min(pm, po) > IMBALANCE_RATIO) {
    warnings.push(`${source}: imbalanced training data: ${pm} product-manager and ${po} product-owner phrases; weights will favour the larger side's rare words`);
  }
  return { phrases, warnings };
}

function countByLabel(phrases: readonly Phrase[]): [number, number, number] {
  const counts: [number, number, number] = [0, 0, 0];
  for (const { label } of phrases) if (!isOtherRole(label)) counts[LABEL_INDEX[label]] += 1;
  return counts;
}

/** The training-data hash: sha256 of the phrases in a canonical form, so reordering lines changes nothing. */
export function hashPhrases(phrases: readonly Phrase[]): string {
  const canonical = phrases
    .map((p) => `${p.label}\t${canonicalPhrase(p.phrase)}`)
    .sort()
    .join("\n");
  return `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
}

/**
 * Stopwords and role names of these settings, in the stemmed form the scorer compares. For a
 * language other than English: its own stopwords and role names, and the English ones too
 * (its ads borrow English phrases and titles), all stemmed by its stemmer.
 */
export function buildVocabulary(settings: TrainingSettings, language: Language = "en"): { stopwords: string[]; roleNameStems: string[][] } {
  const stem = (w: string) => stemWord(w, language);
  const keep = new Set(settings.keepWords.map(stem));
  const words = language === "en" ? naturalStopwords : [...naturalStopwords, ...LANGUAGE_STOPWORDS[language]];
  const stopwords = [...new Set(words.map(stem))].filter((w) => !keep.has(w)).sort();
  const names = language === "en" ? settings.roleNames : [...(settings.languages?.[language]?.roleNames ?? []), ...settings.roleNames];
  const roleNameStems = names.map((name) => [...tokenise(name, language).stems]);
  return { stopwords, roleNameStems };
}

/** Every distinct term (n-gram of content-word stems, up to `maxNgram`) of one phrase. */
export function phraseTerms(phrase: string, vocabulary: FeatureVocabulary, maxNgram: number, language: Language = "en"): Set<string> {
  const terms = new Set<string>();
  const words = tokenise(phrase, language);
  const content = contentWords(words, stemFeatures(words, vocabulary));
  for (let start = 0; start < content.length; start++) {
    // A term never runs into the next clause.
    for (let length = 1; length <= maxNgram && start + length <= content.length; length++) {
      if (length > 1 && content.breaks[start + length - 1] === 1) break;
      terms.add(termKey(content, start, length));
    }
  }
  return terms;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The weight of a term, delta TF-IDF style: the smoothed log ratio of how often the term's side
 * and the other side use it (an inverse document frequency against the other side), scaled
 * by its purity (the share of all phrases with the term that are on its side, neutral included).
 */
export function termWeight(
  counts: readonly [number, number, number],
  sideTotals: readonly [number, number],
  smoothing: number,
  maxWeight = Number.POSITIVE_INFINITY,
): { leaning: Term["leaning"]; weight: number } | null {
  const [pm, po, neutral] = counts;
  if (pm === po) return null;
  const side = pm > po ? 0 : 1;
  const mine = counts[side];
  const other = counts[1 - side] as number;
  const rate = (count: number, total: number) => (count + smoothing) / (total + 2 * smoothing);
  const logRatio = Math.log(rate(mine, sideTotals[side] as number) / rate(other, sideTotals[1 - side] as number));
  const purity = mine / (pm + po + neutral);
  return { leaning: side === 0 ? "product-manager" : "product-owner", weight: Math.min(logRatio, maxWeight) * purity };
}

// A lone word must be common on its side to be a keyword; a longer term is specific in itself.
function minCountFor(key: string, sideTotal: number, settings: TrainingSettings): number {
  return key.includes(" ") ? settings.minPhraseCount : Math.max(settings.minPhraseCount, Math.ceil(settings.minUnigramShare.value * sideTotal));
}

/**
 * True for a lone word every kind of ad uses, which alone says little about the role: one that
 * the other side or the neutral phrases use at least `genericWords.ratio` times as often (per
 * phrase) as its own side, one in at least `genericWords.maxShare` of all phrases, or a word of
 * a role name ("product").
 */
export function isGenericWord(
  key: string,
  counts: readonly [number, number, number],
  phraseCounts: readonly [number, number, number],
  ratio: number,
  roleWords: ReadonlySet<string> = new Set(),
  maxShare = 1,
): boolean {
  if (key.includes(" ")) return false;
  // A word in a large share of all phrases is as common as a stopword (a document-frequency cut).
  if ((counts[0] + counts[1] + counts[2]) / Math.max(1, phraseCounts[0] + phraseCounts[1] + phraseCounts[2]) >= maxShare) return true;
  // A word of a role name ("product") stands in every ad for either role.
  if (roleWords.has(key)) return true;
  const side = counts[0] >= counts[1] ? 0 : 1;
  const rate = (label: 0 | 1 | 2) => counts[label] / Math.max(1, phraseCounts[label]);
  return Math.max(rate(side === 0 ? 1 : 0), rate(2)) >= ratio * rate(side);
}

function sideWeight(key: string, counts: [number, number, number], phraseCounts: [number, number, number], settings: TrainingSettings, roleWords: ReadonlySet<string>) {
  const side = counts[0] >= counts[1] ? 0 : 1;
  if (counts[side] < minCountFor(key, phraseCounts[side], settings)) return null;
  const weighted = termWeight(counts, [phraseCounts[0], phraseCounts[1]], settings.smoothing, settings.maxWeight);
  if (!weighted || weighted.weight < settings.minWeight) return null;
  // Words every ad uses keep their leaning but count for little on their own.
  const generic = isGenericWord(key, counts, phraseCounts, settings.genericWords.ratio, roleWords, settings.genericWords.maxShare);
  const weight = generic ? weighted.weight * settings.genericWords.factor : weighted.weight;
  return weight > 0 ? { leaning: weighted.leaning, weight } : null;
}

function countRoles(phrases: readonly Phrase[]): Map<OtherRole, number> {
  const totals = new Map<OtherRole, number>();
  for (const { label } of phrases) if (isOtherRole(label)) totals.set(label, (totals.get(label) ?? 0) + 1);
  return totals;
}

/**
 * A term's evidence for each other role: the same delta TF-IDF as for the two sides, the role's
 * phrases against all product phrases (both sides and neutral), scaled by its purity against
 * them (not against the other roles: whether a duty is a Scrum Master's or a product duty does
 * not depend on whether QA engineers say the same), for a lone word by `otherRoleLoneWords`,
 * and none for a word the role's phrases use only inside one of its terms. A term the
 * role's phrases use at least half as often as its product side does, but not enough to be the
 * role's evidence, gets 0: both use it ("sprint planning" for Scrum Masters and product owners),
 * so it says nothing about which of the two a duty is.
 */
function roleWeights(
  key: string,
  counts: readonly [number, number, number],
  byRole: ReadonlyMap<OtherRole, number> | undefined,
  phraseCounts: readonly [number, number, number],
  roleTotals: ReadonlyMap<OtherRole, number>,
  settings: TrainingSettings,
  roleWords: ReadonlySet<string>,
  bound: ReadonlySet<string>,
): Term["roles"] | null {
  if (!byRole) return null;
  const lone = !key.includes(" ");
  // A word of a role's name ("project", "scrum") names the job, not a duty: alone it is no role's evidence.
  if (lone && roleWords.has(key)) return null;
  const productCount = counts[0] + counts[1] + counts[2];
  const productTotal = phraseCounts[0] + phraseCounts[1] + phraseCounts[2];
  const sideRate = Math.max(counts[0] / Math.max(1, phraseCounts[0]), counts[1] / Math.max(1, phraseCounts[1]));
  // A lone word is weaker evidence of a role than a phrase ("regression test", "steering committee").
  const loneFactor = lone ? (settings.otherRoleLoneWords?.value ?? 1) : 1;
  const rate = (c: number, n: number) => (c + settings.smoothing) / (n + 2 * settings.smoothing);
  const roles: NonNullable<Term["roles"]> = {};
  for (const [role, count] of [...byRole].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const total = roleTotals.get(role) ?? 0;
    const logRatio = Math.log(rate(count, total) / rate(productCount, productTotal));
    const weight = Math.min(logRatio, settings.maxWeight) * (count / (productCount + count));
    // A word bound inside one of the role's terms is not its evidence alone, though it may still be shared (0).
    const own = !lone || !bound.has(`${role} ${key}`);
    if (own && count >= minCountFor(key, total, settings) && weight >= settings.minWeight) roles[role] = round4(weight * loneFactor);
    else if (sideRate > 0 && count / total >= SHARED_RATE * sideRate) roles[role] = 0;
  }
  return Object.keys(roles).length > 0 ? roles : null;
}

/**
 * For each role, the lone words its phrases use only inside one two-word term: "power" of "Power
 * BI", "information" of "information architecture". Such a word is that term's part, not the
 * role's evidence of its own (an ad that says "power" or "architecture" is not a data analyst's
 * or a designer's): keyed `role word`.
 */
function wordsBoundInPhrases(roleCounts: ReadonlyMap<string, ReadonlyMap<OtherRole, number>>): Set<string> {
  const bound = new Set<string>();
  for (const [key, byRole] of roleCounts) {
    const words = key.split(" ");
    if (words.length !== 2) continue;
    for (const [role, count] of byRole) for (const word of words) if (roleCounts.get(word)?.get(role) === count) bound.add(`${role} ${word}`);
  }
  return bound;
}

// A role that uses a term at least this share as often as the term's product side shares it.
const SHARED_RATE = 0.5;

/**
 * Trains a model from labelled phrases: pure and deterministic (same phrases and settings give a
 * byte-identical serialised model).
 */
export function trainModel(phrases: readonly Phrase[], settings: TrainingSettings, languagePhrases: Partial<Record<ModelLanguage, readonly Phrase[]>> = {}): Model {
  const english = trainVocabulary(phrases, settings, "en");
  const languages: Partial<Record<ModelLanguage, LanguageModel>> = {};
  for (const language of MODEL_LANGUAGES) {
    const own = languagePhrases[language];
    if (own !== undefined) languages[language] = trainVocabulary(own, settings, language);
  }
  return {
    format: "pmpo-model",
    formatVersion: MODEL_FORMAT_VERSION,
    name: settings.name,
    version: settings.version,
    trainingHash: english.trainingHash,
    phraseCounts: english.phraseCounts,
    settings,
    stopwords: english.stopwords,
    roleNameStems: english.roleNameStems,
    terms: english.terms,
    ...(Object.keys(languages).length > 0 ? { languages } : {}),
  };
}

// One language's vocabulary: the same counting and weighting for every language, with its stemmer.
function trainVocabulary(phrases: readonly Phrase[], settings: TrainingSettings, language: Language): LanguageModel {
  const { stopwords, roleNameStems } = buildVocabulary(settings, language);
  const vocabulary: FeatureVocabulary = { stopwords: new Set(stopwords), roleNames: buildStemTrie(roleNameStems.map((stems) => [stems, true] as const)) };
  const termCounts = new Map<string, [number, number, number]>();
  const roleCounts = new Map<string, Map<OtherRole, number>>();
  for (const { label, phrase } of phrases) {
    for (const term of phraseTerms(phrase, vocabulary, settings.maxNgram, language)) {
      if (isOtherRole(label)) {
        const byRole = roleCounts.get(term) ?? new Map<OtherRole, number>();
        byRole.set(label, (byRole.get(label) ?? 0) + 1);
        roleCounts.set(term, byRole);
        continue;
      }
      const counts = termCounts.get(term) ?? [0, 0, 0];
      counts[LABEL_INDEX[label]] += 1;
      termCounts.set(term, counts);
    }
  }
  const phraseCounts = countByLabel(phrases);
  const roleWords = new Set(roleNameStems.filter((stems) => stems.length > 1).flat());
  const roleTotals = countRoles(phrases);
  // The other roles' names: their English label words, and in another language its own names of them.
  const otherRoleNames = language === "en" ? [] : (settings.languages?.[language]?.otherRoleNames ?? []);
  const otherRoleWords = new Set([
    ...roleWords,
    ...OTHER_ROLES.flatMap((role) => role.split("-").map((w) => stemWord(w, language))),
    ...otherRoleNames.flatMap((name) => [...tokenise(name, language).stems]),
  ]);
  const bound = wordsBoundInPhrases(roleCounts);
  const terms: Record<string, Term> = {};
  for (const key of [...new Set([...termCounts.keys(), ...roleCounts.keys()])].sort()) {
    const counts = termCounts.get(key) ?? [0, 0, 0];
    const side = sideWeight(key, counts, phraseCounts, settings, roleWords);
    const roles = roleWeights(key, counts, roleCounts.get(key), phraseCounts, roleTotals, settings, otherRoleWords, bound);
    if (!side && !(roles && Object.values(roles).some((w) => w > 0))) continue;
    const leaning = side?.leaning ?? (counts[0] >= counts[1] ? "product-manager" : "product-owner");
    terms[key] = { leaning, weight: side ? round4(side.weight) : 0, ...(roles ? { roles } : {}), counts };
  }
  if (Object.keys(terms).length === 0) {
    throw new TrainingDataError(
      `${language === "en" ? "the" : `the ${language}`} phrases yield no terms (every word is a stopword, a role name or too rare), so the model could classify nothing`,
      "add more labelled phrases with the words that mark each role",
    );
  }
  return {
    trainingHash: hashPhrases(phrases),
    phraseCounts: { productManager: phraseCounts[0], productOwner: phraseCounts[1], neutral: phraseCounts[2] },
    stopwords,
    roleNameStems,
    terms,
  };
}
