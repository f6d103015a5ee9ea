import { UsageError } from "../errors.js";
import { checkOptionKeys, type OptionKeys } from "../option-keys.js";
import { contentWords } from "../model/features.js";
import { longestMatchAfter } from "../model/stem-trie.js";
import type { Model, OtherRole } from "../model/schema.js";
import { blankMarkup } from "../text/normalise.js";
import { detectSections, type Section, type SectionKind } from "../text/sections.js";
import { findWords, inLanguage, withStems, type Tokens, type WordSpans } from "../text/tokenise.js";
import { compileModel, hasLanguage, lookUpWord, type CompiledModel, type Lexeme } from "./compiled.js";
import { detectAdLanguage } from "../text/ad-language.js";
import { isLanguage, LANGUAGE_NAMES, type Language } from "../text/language.js";
import { confidenceOf, decideLabel, pmShareOf } from "./decide.js";
import { buildDuties, countDuties, dutySummary, findFlip, ROLE_NAMES, splitStatements, tallyVotes, type DutyStatement, type Flip, type Hit, type PlacedStatement, type Statement } from "./duties.js";
import type { Classification, Highlight, TopPhrase } from "./result.js";
import { isTitleMismatch, titleLeaning } from "./title.js";

/** Options of `classify`. */
export interface ClassifyOptions {
  /** The model (see `loadDefaultModel` and `loadModel`). */
  model: Model;
  /** The job title, when known: it feeds `title` and `titleMismatch`, never the evidence. */
  title?: string | undefined;
  /** How many top phrases per side to list, 0..100 (default 5). */
  topPhrases?: number | undefined;
  /** Search for the counterfactual (`flips`; default true). False leaves `flips` null: cheaper when it is not shown. */
  flips?: boolean | undefined;
}

const CLASSIFY_OPTION_KEYS = new Set(Object.keys({ model: true, title: true, topPhrases: true, flips: true } satisfies OptionKeys<ClassifyOptions>));
const CLASSIFY_OPTION_ALIASES = {
  jobTitle: "title",
  top: "topPhrases",
  topN: "topPhrases",
  phrases: "topPhrases",
  flip: "flips",
  counterfactual: "flips",
  counterfactuals: "flips",
};

// Library callers may be plain JavaScript: a wrong option is a clear error, not a TypeError deep
// inside, and a misspelt one is not the default silently used. Checked by hand, not with a zod
// schema: this runs for every ad, and zod need not even be loaded to classify.
function checkOptions(options: ClassifyOptions): ClassifyOptions {
  if (typeof options !== "object" || options === null) throw new UsageError("classify: options must be an object with a model (see loadDefaultModel)");
  checkOptionKeys("classify: options", options, CLASSIFY_OPTION_KEYS, CLASSIFY_OPTION_ALIASES);
  const wrong = (option: string, expected: string, received: unknown) =>
    new UsageError(`classify: options.${option}: expected ${expected}, received ${typeof received === "number" ? received : received === null ? "null" : typeof received}`);
  const { model, title, topPhrases, flips } = options as unknown as Record<string, unknown>;
  if (typeof model !== "object" || model === null || (model as { format?: unknown }).format !== "pmpo-model") {
    throw new UsageError("classify: options.model: expected a model from loadModel or loadDefaultModel");
  }
  if (title !== undefined && typeof title !== "string") throw wrong("title", "a string", title);
  if (topPhrases !== undefined && !(typeof topPhrases === "number" && Number.isInteger(topPhrases) && topPhrases >= 0 && topPhrases <= 100)) {
    throw wrong("topPhrases", "a whole number from 0 to 100", topPhrases);
  }
  if (flips !== undefined && typeof flips !== "boolean") throw wrong("flips", "a boolean", flips);
  return options;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

interface TermMatch {
  start: number;
  end: number;
  term: string;
  /** True when a discount cue ("contribute to") stands before the match in its clause. */
  discounted?: boolean;
}

/**
 * Offsets `[start, end)` of the text after each discount cue up to the end of its clause (the
 * next punctuation or line break): the duties there belong to someone else. `cueStarts` are the
 * words, in order, whose stem starts a cue.
 */
function discountScopes(words: Tokens, lexemes: ReadonlyArray<Lexeme | undefined>, cueStarts: readonly number[]): Array<[number, number]> {
  const scopes: Array<[number, number]> = [];
  let scopeEnd = 0;
  for (const i of cueStarts) {
    // A cue inside the scope of the one before adds nothing.
    if (i < scopeEnd) continue;
    const cue = longestMatchAfter(lexemes[i]!.discountCue!, words, i);
    if (!cue) continue;
    let j = i + cue.length;
    while (j < words.length && words.breaks[j] === 0) j++;
    scopes.push([words.starts[i]!, j < words.length ? words.starts[j]! : Number.POSITIVE_INFINITY]);
    scopeEnd = j;
  }
  return scopes;
}

/**
 * Longest-first, left-to-right matches of model terms in one text, never overlapping, in the
 * compiled vocabulary's language; `englishWords` are `findWords(text)` when the caller has them.
 */
export function matchTerms(text: string, compiled: CompiledModel, englishWords: WordSpans = findWords(text)): TermMatch[] {
  const matches: TermMatch[] = [];
  const spans = inLanguage(text, englishWords, compiled.language);
  // One lookup per word gives its stem and serves every pass: cues, stopwords, role names and the first stem of terms.
  const stems: string[] = new Array(spans.length);
  const lexemes: Array<Lexeme | undefined> = new Array(spans.length);
  const cueStarts: number[] = [];
  for (let i = 0; i < spans.length; i++) {
    const entry = lookUpWord(compiled, spans.words[i]!);
    stems[i] = entry.stem;
    lexemes[i] = entry.lexeme;
    if (entry.lexeme?.discountCue) cueStarts.push(i);
  }
  const words: Tokens = withStems(spans, stems);
  const scopes = discountScopes(words, lexemes, cueStarts);
  const content = contentWords(words, lexemes);
  let scope = 0;
  let k = 0;
  while (k < content.length) {
    const first = lexemes[content.source[k]!]?.term;
    const term = first ? longestMatchAfter(first, content, k, compiled.maxNgram) : null;
    if (!term) {
      k++;
      continue;
    }
    const start = words.starts[content.source[k]!]!;
    while (scope < scopes.length && scopes[scope]![1] <= start) scope++;
    const discounted = scope < scopes.length && scopes[scope]![0] <= start;
    matches.push({ start, end: words.ends[content.source[k + term.length - 1]!]!, term: term.value, discounted });
    k += term.length;
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

/** The highlights of an ad and every hit (side or other-role evidence) the duties are built from. */
interface Weighed {
  highlights: Highlight[];
  hits: Hit[];
}

/**
 * Weights each match: the term's weight times its section's weight, divided by how many times
 * the term has occurred so far (sublinear term frequency), and by the discount factor after a
 * cue. Spans in zero-weight sections are not evidence and are left out. A match that is only
 * evidence of another role becomes a hit but not a highlight.
 */
function weighHighlights(text: string, matches: readonly TermMatch[], placeAt: (offset: number) => Placement, compiled: CompiledModel): Weighed {
  const seen = new Map<string, number>();
  const highlights: Highlight[] = [];
  const hits: Hit[] = [];
  for (const match of matches) {
    const { section, weight: sectionWeight } = placeAt(match.start);
    if (sectionWeight <= 0) continue;
    const term = compiled.terms.get(match.term)!;
    const occurrence = (seen.get(match.term) ?? 0) + 1;
    seen.set(match.term, occurrence);
    const damping = (match.discounted ? compiled.discountFactor : 1) / occurrence;
    const points = round4(term.weight * damping);
    const weight = round4(term.weight * sectionWeight * damping);
    const roles = term.roles && (damping === 1 ? term.roles : scaleRoles(term.roles, damping));
    if (weight <= 0 && !roles) continue;
    hits.push({ start: match.start, end: match.end, points: weight > 0 ? points : 0, leaning: weight > 0 ? term.leaning : null, roles, highlight: weight > 0 ? highlights.length : -1 });
    if (weight <= 0) continue;
    highlights.push({
      start: match.start,
      end: match.end,
      text: text.slice(match.start, match.end),
      leaning: term.leaning,
      weight,
      section,
      term: match.term,
    });
  }
  return { highlights, hits };
}

function scaleRoles(roles: Partial<Record<OtherRole, number>>, factor: number): Partial<Record<OtherRole, number>> {
  const scaled: Partial<Record<OtherRole, number>> = {};
  for (const [role, weight] of Object.entries(roles) as Array<[OtherRole, number]>) scaled[role] = round4(weight * factor);
  return scaled;
}

// A term's running count and weight; its phrase is written out only if it makes the list.
interface PhraseTally {
  first: Highlight;
  count: number;
  weight: number;
}

function topPhrasesOf(highlights: readonly Highlight[], leaning: Highlight["leaning"], limit: number): TopPhrase[] {
  const byTerm = new Map<string, PhraseTally>();
  for (const h of highlights) {
    if (h.leaning !== leaning) continue;
    const tally = byTerm.get(h.term);
    if (tally) {
      tally.count += 1;
      tally.weight = round4(tally.weight + h.weight);
    } else {
      byTerm.set(h.term, { first: h, count: 1, weight: h.weight });
    }
  }
  return [...byTerm.values()]
    .sort((a, b) => b.weight - a.weight || a.first.term.localeCompare(b.first.term))
    .slice(0, limit)
    .map(({ first, count, weight }) => ({ phrase: first.text.replace(/\s+/g, " ").toLowerCase(), term: first.term, count, weight }));
}

/** What scoring finds in an ad before any threshold applies: sections, evidence and statements. */
export interface AdAnalysis {
  sections: Section[];
  /** The statements, each with its section and weight (see `placeStatements`). */
  statements: PlacedStatement[];
  highlights: Highlight[];
  hits: Hit[];
}

/** Where a span sits: its section, and the weight its evidence gets there. */
interface Placement {
  section: SectionKind;
  weight: number;
}

// A statement addressed to the reader ("You will build the roadmap…") states a duty wherever it
// stands: in the opening text of an ad, or of a short ad with no headings at all.
// Without the i and u flags the pattern is several times cheaper; "You" and "you" are what ads write.
const ADDRESSED_DUTY = /\b[Yy]ou(?:\s+will|\s+would|['’](?:ll|d))\b/g;
// The same future addressed to the reader in the other languages: "Du wirst", "Sie werden",
// "Je gaat", "Jij zult", "Vous serez", "vous aurez en charge", "Tu vas".
const ADDRESSED_DUTIES: Readonly<Record<Language, RegExp>> = {
  en: ADDRESSED_DUTY,
  de: /\b(?:[Dd]u\s+wirst|Sie\s+werden)\b/g,
  nl: /\b(?:[Jj]e|[Jj]ij)\s+(?:gaat|zult|zal)\b/g,
  fr: /\b(?:[Vv]ous\s+(?:serez|aurez|allez|pourrez)|[Tt]u\s+(?:seras|auras|vas))\b/g,
};

// A comma and "and" join a second clause to a sentence: "build the roadmap with partners, and set
// the vision". A list ends the same way ("strategy, roadmap, and vision"), so a clause counts as a
// duty of its own only when it holds evidence enough for one (see `votingOf`).
const CLAUSE_JOINS: Readonly<Record<Language, RegExp>> = {
  en: /,\s+and\s/g,
  de: /,\s+und\s/g,
  nl: /,\s+en\s/g,
  fr: /,\s+et\s/g,
};

const ONE_CLAUSE: readonly number[] = Object.freeze([]);

/**
 * Places each statement: its section and its weight, the section's weight, except that a
 * statement addressed to the reader in the intro or an unnamed section weighs as a duty; and
 * where its further clauses start (`clauseStarts`).
 */
export function placeStatements(
  text: string,
  statements: readonly Statement[],
  sections: readonly Section[],
  weights: Readonly<Record<SectionKind, number>>,
  language: Language = "en",
): PlacedStatement[] {
  const sectionAt = sectionCursor(sections);
  // One pass over the text finds where the reader is addressed, one where clauses are joined; statements are walked alongside.
  const addressedAt = [...text.matchAll(ADDRESSED_DUTIES[language])].map((m) => m.index);
  const joinsAt = [...text.matchAll(CLAUSE_JOINS[language])].map((m) => m.index + m[0].length);
  let a = 0;
  let j = 0;
  return statements.map((statement) => {
    const section = sectionAt(statement.start).kind;
    while (a < addressedAt.length && addressedAt[a]! < statement.start) a++;
    const addressed = (section === "intro" || section === "other") && a < addressedAt.length && addressedAt[a]! < statement.end;
    while (j < joinsAt.length && joinsAt[j]! <= statement.start) j++;
    // Most statements have one clause: they share one empty list.
    let clauseStarts: readonly number[] = ONE_CLAUSE;
    if (j < joinsAt.length && joinsAt[j]! < statement.end) {
      const starts: number[] = [];
      for (; j < joinsAt.length && joinsAt[j]! < statement.end; j++) starts.push(joinsAt[j]!);
      clauseStarts = starts;
    }
    return { start: statement.start, end: statement.end, section, weight: addressed ? weights.responsibilities : weights[section], clauseStarts };
  });
}

// Statements and matches are both in text order, so one forward walk pairs them; text outside
// any statement (between them) takes its section's weight.
function placementCursor(statements: readonly PlacedStatement[], sections: readonly Section[], weights: Readonly<Record<SectionKind, number>>) {
  const sectionAt = sectionCursor(sections);
  let index = 0;
  return (offset: number): Placement => {
    while (index < statements.length && statements[index]!.end <= offset) index++;
    const statement = statements[index];
    if (statement && statement.start <= offset) return statement;
    const { kind } = sectionAt(offset);
    return { section: kind, weight: weights[kind] };
  };
}

/** Finds the sections, statements and evidence of one ad (offsets into `text` as given). */
export function analyseAd(text: string, compiled: CompiledModel, blanked: string = blankMarkup(text), words: WordSpans = findWords(blanked)): AdAnalysis {
  const sections = detectSections(blanked, compiled.language);
  const statements = placeStatements(blanked, splitStatements(blanked, sections.map((s) => s.start)), sections, compiled.sectionWeights, compiled.language);
  const { highlights, hits } = weighHighlights(text, matchTerms(blanked, compiled, words), placementCursor(statements, sections, compiled.sectionWeights), compiled);
  return { sections, highlights, hits, statements };
}

/**
 * Classifies one job ad. Pure: same text, title and model give the same result. Offsets in the
 * result are into `text` exactly as given.
 *
 * The ad is split into statements (bullets, lines, sentences); each leans by the evidence inside
 * it, and the label follows from the section-weighted votes of the leaning statements.
 */
export function classify(text: string, options: ClassifyOptions): Classification {
  if (typeof text !== "string") throw new UsageError(`classify: text: expected a string, received ${typeof text}`);
  options = checkOptions(options);
  const model = options.model;
  const blanked = blankMarkup(text);
  // The words are found once: they decide the language, then are read in it.
  const words = findWords(blanked);
  const language = detectAdLanguage(blanked, words);
  // An ad in a language the model has no words for is not read as English: it gets no duties and a reason.
  const unread = !isLanguage(language)
    ? `The ad is in ${LANGUAGE_NAMES[language]} (${language}); pmpo has no model for ${LANGUAGE_NAMES[language]}, so it does not judge it.`
    : !hasLanguage(model, language)
      ? `The ad is in ${LANGUAGE_NAMES[language]} (${language}); the model ${model.name} ${model.version} has no ${LANGUAGE_NAMES[language]} vocabulary (train it with German, Dutch and French phrases), so it does not judge it.`
      : null;
  const compiled = compileModel(model, isLanguage(language) && unread === null ? language : "en");
  const thresholds = model.settings.thresholds;
  const { sections, highlights, hits, statements } =
    unread === null ? analyseAd(text, compiled, blanked, words) : { sections: detectSections(blanked, "all"), highlights: [], hits: [], statements: [] };
  const duties = buildDuties(statements, hits, thresholds);
  const decision = decideLabel(tallyVotes(duties), thresholds);
  const flip = options.flips === false ? null : findFlip(duties, decision, thresholds);
  let productManager = 0;
  let productOwner = 0;
  for (const h of highlights) {
    if (h.leaning === "product-manager") productManager += h.weight;
    else productOwner += h.weight;
  }
  const totals = { productManager: round4(productManager), productOwner: round4(productOwner) };
  const { label } = decision;
  const title = options.title === undefined || options.title.trim() === "" ? null : { text: options.title, leaning: titleLeaning(options.title) };
  const limit = options.topPhrases ?? 5;
  const counts = countDuties(duties);
  return {
    label,
    // Nothing was read, so there is nothing to be confident of.
    confidence: unread === null ? round4(confidenceOf(decision.margin, thresholds)) : 0,
    pmShare: round4(pmShareOf(totals, thresholds.sharePrior.value)),
    evidence: { productManager: totals.productManager, productOwner: totals.productOwner, total: round4(totals.productManager + totals.productOwner) },
    summary: unread ?? dutySummary(counts, decision.otherRole),
    dutyCounts: counts,
    duties: duties.map((d) => ({ start: d.start, end: d.end, section: d.section, leaning: d.leaning, role: d.role, evidence: d.evidence, vote: d.vote, highlights: d.highlights })),
    otherRole: decision.otherRole === null ? null : otherRoleOf(text, decision.otherRole, duties, hits),
    flips: flip === null ? null : flipOf(flip, duties, highlights),
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
    language,
  };
}

// The other role's evidence: its hits inside the statements that read as it.
function otherRoleOf(text: string, role: OtherRole, duties: readonly DutyStatement[], hits: readonly Hit[]): NonNullable<Classification["otherRole"]> {
  const evidence: NonNullable<Classification["otherRole"]>["evidence"] = [];
  for (const duty of duties) {
    if (duty.leaning !== "other-role" || duty.role !== role) continue;
    for (const i of duty.hits) {
      const hit = hits[i]!;
      const points = hit.roles?.[role];
      // Product terms in the statement count against the role; only its own evidence is listed.
      if (points === undefined || points <= 0) continue;
      evidence.push({ start: hit.start, end: hit.end, text: text.slice(hit.start, hit.end), weight: points });
    }
  }
  return { role, name: ROLE_NAMES[role], evidence };
}

function flipOf(flip: Flip, duties: readonly DutyStatement[], highlights: readonly Highlight[]): NonNullable<Classification["flips"]> {
  const phrases = new Set<string>();
  for (const i of flip.duties) for (const h of duties[i]!.highlights) phrases.add(highlights[h]!.text.replace(/\s+/g, " ").toLowerCase());
  return { label: flip.decision.label, otherRole: flip.decision.otherRole, duties: flip.duties, phrases: [...phrases] };
}
