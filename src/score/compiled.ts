import type { FeatureVocabulary } from "../model/features.js";
import { buildStemTrie, type StemTrie } from "../model/stem-trie.js";
import type { Leaning, Model } from "../model/schema.js";
import type { SectionKind } from "../text/sections.js";
import { tokenise } from "../text/tokenise.js";

/** A model in the shape scoring needs: maps and sets instead of JSON records. */
export interface CompiledModel extends FeatureVocabulary {
  model: Model;
  terms: ReadonlyMap<string, { leaning: Leaning; weight: number }>;
  /** The term keys as a trie of stems, for longest-first matching. */
  termTrie: StemTrie<string>;
  maxNgram: number;
  sectionWeights: Readonly<Record<SectionKind, number>>;
  /** Stem sequences (stopwords kept) after which evidence counts for `discountFactor` to the clause end. */
  discountCues: StemTrie<true>;
  discountFactor: number;
}

const compiled = new WeakMap<Model, CompiledModel>();

/** Compiles a model once; later calls with the same model object reuse the result. */
export function compileModel(model: Model): CompiledModel {
  let result = compiled.get(model);
  if (!result) {
    const weights = model.settings.sectionWeights;
    result = {
      model,
      terms: new Map(Object.entries(model.terms).map(([key, t]) => [key, { leaning: t.leaning, weight: t.weight }])),
      maxNgram: model.settings.maxNgram,
      stopwords: new Set(model.stopwords),
      termTrie: buildStemTrie(Object.keys(model.terms).map((key) => [key.split(" "), key] as const)),
      roleNames: buildStemTrie(model.roleNameStems.map((stems) => [stems, true] as const)),
      sectionWeights: Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, v.value])) as Record<SectionKind, number>,
      discountCues: buildStemTrie(model.settings.discountCues.value.map((cue) => [tokenise(cue).map((t) => t.stem), true] as const)),
      discountFactor: model.settings.discountCues.factor,
    };
    compiled.set(model, result);
  }
  return result;
}
