import { contentClauses, termKey } from "../model/features.js";
import type { Model } from "../model/schema.js";
import { blankMarkup } from "../text/normalise.js";
import { detectSections, type Section } from "../text/sections.js";
import { tokenise } from "../text/tokenise.js";
import { compileModel, type CompiledModel } from "./compiled.js";
import { confidenceOf, decideLabel, pmShareOf } from "./decide.js";
import type { Classification, Highlight, TopPhrase } from "./result.js";
import { isTitleMismatch, titleLeaning } from "./title.js";

/** Options of `classify`. */
export interface ClassifyOptions {
  /** The model to score with (see `loadDefaultModel`). */
  model: Model;
  /** The job title, when known: enables the title-mismatch flag. */
  title?: string | undefined;
  /** How many top phrases to list per side (default 5). */
  topPhrases?: number;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

interface TermMatch {
  start: number;
  end: number;
  term: string;
}

/** Longest-first, left-to-right matches of model terms in one text, never overlapping. */
export function matchTerms(text: string, compiled: CompiledModel): TermMatch[] {
  const matches: TermMatch[] = [];
  for (const clause of contentClauses(tokenise(text), compiled)) {
    let i = 0;
    while (i < clause.length) {
      let length = Math.min(compiled.maxNgram, clause.length - i);
      for (; length > 0; length--) {
        const key = termKey(clause, i, length);
        if (compiled.terms.has(key)) {
          matches.push({ start: clause[i]!.start, end: clause[i + length - 1]!.end, term: key });
          break;
        }
      }
      i += Math.max(length, 1);
    }
  }
  return matches;
}

// Sections and matches are both in text order, so one forward walk pairs them.
function sectionCursor(sections: readonly Section[]) {
  let index = 0;
  return (offset: number): Section => {
    while (index < sections.length - 1 && sections[index]!.end <= offset) index++;
    return sections[index]!;
  };
}

/**
 * Weights each match: the term's weight times its section's weight, divided by how many times
 * the term has occurred so far (sublinear term frequency). Spans in zero-weight sections are
 * not evidence and are left out.
 */
function weighHighlights(text: string, matches: readonly TermMatch[], sections: readonly Section[], compiled: CompiledModel): Highlight[] {
  const sectionAt = sectionCursor(sections);
  const seen = new Map<string, number>();
  const highlights: Highlight[] = [];
  for (const match of matches) {
    const section = sectionAt(match.start);
    const sectionWeight = compiled.sectionWeights[section.kind];
    if (sectionWeight <= 0) continue;
    const term = compiled.terms.get(match.term)!;
    const occurrence = (seen.get(match.term) ?? 0) + 1;
    seen.set(match.term, occurrence);
    const weight = round4((term.weight * sectionWeight) / occurrence);
    if (weight <= 0) continue;
    highlights.push({
      start: match.start,
      end: match.end,
      text: text.slice(match.start, match.end),
      leaning: term.leaning,
      weight,
      section: section.kind,
      term: match.term,
    });
  }
  return highlights;
}

function topPhrasesOf(highlights: readonly Highlight[], leaning: Highlight["leaning"], limit: number): TopPhrase[] {
  const byTerm = new Map<string, TopPhrase>();
  for (const h of highlights) {
    if (h.leaning !== leaning) continue;
    const entry = byTerm.get(h.term);
    if (entry) {
      entry.count += 1;
      entry.weight = round4(entry.weight + h.weight);
    } else {
      byTerm.set(h.term, { phrase: h.text.replace(/\s+/g, " ").toLowerCase(), term: h.term, count: 1, weight: h.weight });
    }
  }
  return [...byTerm.values()].sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term)).slice(0, limit);
}

/**
 * Classifies one job ad. Pure: same text, title and model give the same result. Offsets in the
 * result are into `text` exactly as given.
 */
export function classify(text: string, options: ClassifyOptions): Classification {
  const compiled = compileModel(options.model);
  const { model } = compiled;
  const blanked = blankMarkup(text);
  const sections = detectSections(blanked);
  const highlights = weighHighlights(text, matchTerms(blanked, compiled), sections, compiled);
  let productManager = 0;
  let productOwner = 0;
  for (const h of highlights) {
    if (h.leaning === "product-manager") productManager += h.weight;
    else productOwner += h.weight;
  }
  const totals = { productManager: round4(productManager), productOwner: round4(productOwner) };
  const thresholds = model.settings.thresholds;
  const label = decideLabel(totals, thresholds);
  const title = options.title === undefined || options.title.trim() === "" ? null : { text: options.title, leaning: titleLeaning(options.title) };
  const limit = options.topPhrases ?? 5;
  return {
    label,
    confidence: round4(confidenceOf(label, totals, thresholds)),
    pmShare: round4(pmShareOf(totals, thresholds.sharePrior.value)),
    evidence: { ...totals, total: round4(totals.productManager + totals.productOwner) },
    highlights,
    topPhrases: {
      productManager: topPhrasesOf(highlights, "product-manager", limit),
      productOwner: topPhrasesOf(highlights, "product-owner", limit),
    },
    sections,
    title,
    titleMismatch: title !== null && isTitleMismatch(title.leaning, label),
    model: { name: model.name, version: model.version, trainingHash: model.trainingHash },
    inputLength: text.length,
  };
}
