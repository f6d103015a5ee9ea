import type { FeatureVocabulary, StemFeatures } from "../model/features.js";
import { buildStemTrie, type StemTrie } from "../model/stem-trie.js";
import type { Leaning, Model, OtherRole } from "../model/schema.js";
import type { SectionKind } from "../text/sections.js";
import { stemWord, tokenise } from "../text/tokenise.js";
import type { Language } from "../text/language.js";

/** A model in the shape scoring needs: maps and sets instead of JSON records. */
export interface CompiledModel extends FeatureVocabulary {
  model: Model;
  /** The language whose vocabulary this is: words are stemmed and split by its rules. */
  language: Language;
  terms: ReadonlyMap<string, { leaning: Leaning; weight: number; roles: Partial<Record<OtherRole, number>> | undefined }>;
  /** The term keys as a trie of stems, for longest-first matching. */
  termTrie: StemTrie<string>;
  maxNgram: number;
  sectionWeights: Readonly<Record<SectionKind, number>>;
  /** Stem sequences (stopwords kept) after which evidence counts for `discountFactor` to the clause end. */
  discountCues: StemTrie<true>;
  discountFactor: number;
  /** Every stem the vocabulary, the cues or the terms know, with what each says about it: one lookup per token. */
  lexicon: ReadonlyMap<string, Lexeme>;
  /** Words as written, each with its stem and lexeme, filled as ads are scored (see `lookUpWord`). */
  wordTable: Map<string, WordEntry>;
}

/** A word as written, as scoring sees it: its stem and what the model says about that stem. */
export interface WordEntry {
  stem: string;
  lexeme: Lexeme | undefined;
}

// Bounded so an adversarial stream of unique words cannot grow memory without limit.
const WORD_TABLE_LIMIT = 200_000;

/**
 * The stem and lexeme of a word as written: one map lookup for a word seen before (each word of
 * an ad is a new string, so a lookup is most of what a word costs), the stemmer and the lexicon
 * for a new one.
 */
export function lookUpWord(compiled: CompiledModel, word: string): WordEntry {
  let entry = compiled.wordTable.get(word);
  if (entry === undefined) {
    const stem = stemWord(word, compiled.language);
    entry = { stem, lexeme: compiled.lexicon.get(stem) };
    if (compiled.wordTable.size >= WORD_TABLE_LIMIT) compiled.wordTable.clear();
    compiled.wordTable.set(word, entry);
  }
  return entry;
}

/** What the model says about one stem: its features, and the trie nodes after it for the cues and terms it starts. */
export interface Lexeme extends StemFeatures {
  discountCue: StemTrie<true> | undefined;
  term: StemTrie<string> | undefined;
}

function buildLexicon(vocabulary: FeatureVocabulary, discountCues: StemTrie<true>, terms: StemTrie<string>): Map<string, Lexeme> {
  const lexicon = new Map<string, Lexeme>();
  const entry = (stem: string): Lexeme => {
    let lexeme = lexicon.get(stem);
    if (!lexeme) {
      lexeme = { stopword: false, roleName: undefined, discountCue: undefined, term: undefined };
      lexicon.set(stem, lexeme);
    }
    return lexeme;
  };
  for (const stem of vocabulary.stopwords) entry(stem).stopword = true;
  for (const [stem, node] of vocabulary.roleNames.next) entry(stem).roleName = node;
  for (const [stem, node] of discountCues.next) entry(stem).discountCue = node;
  for (const [stem, node] of terms.next) entry(stem).term = node;
  return lexicon;
}

const compiled = new WeakMap<Model, Map<Language, CompiledModel>>();

// The cues after which evidence counts for the discount factor: contributions and purposes, a
// language's own before the English ones its ads borrow.
function cuesOf(settings: Model["settings"], language: Language): string[] {
  const english = [...settings.discountCues.value, ...(settings.purposeCues?.value ?? [])];
  if (language === "en") return english;
  const own = settings.languages?.[language];
  return [...(own?.discountCues ?? []), ...(own?.purposeCues ?? []), ...english];
}

/** True when the model holds a vocabulary for the language (every model holds English). */
export function hasLanguage(model: Model, language: Language): boolean {
  return language === "en" || model.languages?.[language] !== undefined;
}

/**
 * Compiles a model's vocabulary of one language (English by default) once; later calls with the
 * same model object and language reuse the result. Throws a RangeError for a language the model
 * has no vocabulary for (check `hasLanguage` first).
 */
export function compileModel(model: Model, language: Language = "en"): CompiledModel {
  let byLanguage = compiled.get(model);
  if (!byLanguage) {
    byLanguage = new Map();
    compiled.set(model, byLanguage);
  }
  let result = byLanguage.get(language);
  if (!result) {
    const own = language === "en" ? model : model.languages?.[language];
    if (own === undefined) throw new RangeError(`model ${model.name} ${model.version} has no ${language} vocabulary`);
    const weights = model.settings.sectionWeights;
    const vocabulary: FeatureVocabulary = {
      stopwords: new Set(own.stopwords),
      roleNames: buildStemTrie(own.roleNameStems.map((stems) => [stems, true] as const)),
    };
    const termTrie = buildStemTrie(Object.keys(own.terms).map((key) => [key.split(" "), key] as const));
    const cues = cuesOf(model.settings, language);
    const discountCues = buildStemTrie(cues.map((cue) => [tokenise(cue, language).stems, true] as const));
    result = {
      model,
      language,
      terms: new Map(Object.entries(own.terms).map(([key, t]) => [key, { leaning: t.leaning, weight: t.weight, roles: t.roles }])),
      maxNgram: model.settings.maxNgram,
      ...vocabulary,
      termTrie,
      sectionWeights: Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, v.value])) as Record<SectionKind, number>,
      discountCues,
      discountFactor: model.settings.discountCues.factor,
      lexicon: buildLexicon(vocabulary, discountCues, termTrie),
      wordTable: new Map(),
    };
    byLanguage.set(language, result);
  }
  return result;
}
