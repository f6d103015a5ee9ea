import type { Model, OtherRole } from "../model/schema.js";
import type { Section } from "../text/sections.js";
import { FIRST_LIST_SYMBOL, listSymbolLength } from "../text/list-symbols.js";
import { decideLabel, readStatement, statementVote, type Decision, type DutyLeaning, type DutyVotes, type ProductLeaning, type StatementEvidence } from "./decide.js";

/** A statement of the ad, `[start, end)`: a bullet, a line, or a sentence of running text. */
export interface Statement {
  start: number;
  end: number;
}

// Characters that open a list item; a statement never runs across one.
const BULLETS = "•●▪◦‣·∙■□➢►✓✔";
// What a statement ends at: 1 a break that is not part of either statement, 2 a sentence end
// (kept in the statement when a space follows). Looked up by character code.
const BREAK = 1;
const SENTENCE_END = 2;
const ENDS = new Uint8Array(0x2800);
for (const c of "\n\r;" + BULLETS) ENDS[c.charCodeAt(0)] = BREAK;
for (const c of ".!?") ENDS[c.charCodeAt(0)] = SENTENCE_END;
// Characters trimmed from a statement's start: spaces and list markers.
const LEADING = new Set([..." \t\f\v\u00a0-*+>" + BULLETS].map((c) => c.charCodeAt(0)));
const SPACE = /\s/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

const isSpaceAt = (text: string, i: number) => {
  const code = text.charCodeAt(i);
  return code === 32 || (code < 128 ? code >= 9 && code <= 13 : SPACE.test(text[i]!));
};

const isLineBreakAt = (text: string, i: number) => text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13;

function hasLetterOrDigit(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if ((code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122)) return true;
    } else if (LETTER_OR_DIGIT.test(text[i]!)) return true;
  }
  return false;
}

// Abbreviations that introduce what follows ("e.g.", "i.e.", "z.B.", "bzw.", "bijv.", "vs."): never
// the end of a sentence. Their letters, lower case, without periods.
const INTRODUCING = new Set(["eg", "ie", "zb", "dh", "ua", "oa", "dwz", "mbt", "ivm", "bijv", "cf", "vs", "bzw", "ggf", "evtl", "inkl", "incl", "approx", "ca", "sog", "esp", "resp"]);
// Abbreviations that may end a sentence ("etc.", "U.S.", "P.C.", an initial): the end only when a capital follows.
const MAY_END = new Set(["etc", "usw", "env"]);
const MAX_ABBREVIATION = 8;
const isLetterCode = (code: number) => ((code | 32) >= 97 && (code | 32) <= 122) || (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7);

/**
 * True when the period at `dot` closes an abbreviation inside a sentence, not the sentence: one
 * that introduces what follows ("e.g.", "i.e.", "z.B.", "bzw."), or one that may also end a
 * sentence — letters with periods between ("U.S."), a lone letter, "etc." — unless a capital
 * follows ("P.C. Our platform", "etc. The team"). So "Own the roadmap, e.g. quarterly planning"
 * is one duty, not two.
 */
function endsAbbreviation(text: string, dot: number): boolean {
  let start = dot;
  // Back over letters and single inner periods: "e.g", "U.S", "etc".
  while (start > 0 && dot - start < MAX_ABBREVIATION) {
    const code = text.charCodeAt(start - 1);
    if (isLetterCode(code)) start--;
    else if (code === 46 && start < dot && isLetterCode(text.charCodeAt(start - 2))) start--;
    else break;
  }
  if (start === dot || (start > 0 && !(isSpaceAt(text, start - 1) || text.charCodeAt(start - 1) === 40))) return false;
  const written = text.slice(start, dot);
  const parts = written.split(".");
  // Letters with periods between are single letters each ("U.S"); otherwise one word ("etc").
  const dotted = parts.every((part) => part.length === 1);
  if (parts.length > 1 && !dotted) return false;
  const letters = parts.join("").toLowerCase();
  if (INTRODUCING.has(letters)) return true;
  if (!dotted && !MAY_END.has(letters)) return false;
  let next = dot + 1;
  while (next < text.length && isSpaceAt(text, next)) next++;
  const following = text[next];
  return following === undefined || following === following.toLowerCase() || following.toLowerCase() === following.toUpperCase();
}

/**
 * Splits text into statements at line breaks, bullets, semicolons, section starts and sentence
 * ends (`.`, `!` or `?` before a space; not the period of an abbreviation), trimming spaces and
 * list markers. One pass over the text; pieces without a letter or digit are dropped.
 */
export function splitStatements(text: string, sectionStarts: readonly number[] = []): Statement[] {
  const statements: Statement[] = [];
  const starts = [...sectionStarts].sort((x, y) => x - y);
  let nextStart = 0;
  let from = 0;
  const close = (to: number) => {
    let start = from;
    let end = to;
    while (start < end && (LEADING.has(text.charCodeAt(start)) || isSpaceAt(text, start))) start++;
    while (end > start && isSpaceAt(text, end - 1)) end--;
    if (end > start && hasLetterOrDigit(text, start, end)) statements.push({ start, end });
  };
  // A section start splits too: close the statement there before the break that follows it.
  const cutAtSectionsBefore = (at: number) => {
    for (; nextStart < starts.length && starts[nextStart]! <= at; nextStart++) {
      const cut = starts[nextStart]!;
      if (cut > from) {
        close(cut);
        from = cut;
      }
    }
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let end = code < ENDS.length ? ENDS[code] : 0;
    // A symbol set before an item ("✅", "➤", "🔹") is a bullet: a break, whatever its length.
    const symbol = end === 0 && code >= FIRST_LIST_SYMBOL ? listSymbolLength(text, i) : 0;
    if (symbol > 0) end = BREAK;
    // Sentence punctuation ends a statement only before a space or the end ("v2.1", "e.g.," do not).
    if (end === 0 || (end === SENTENCE_END && i + 1 < text.length && !isSpaceAt(text, i + 1))) continue;
    if (code === 46 && end === SENTENCE_END && i + 1 < text.length && !isLineBreakAt(text, i + 1) && endsAbbreviation(text, i)) continue;
    cutAtSectionsBefore(i);
    close(end === BREAK ? i : i + 1);
    if (symbol > 1) i += symbol - 1;
    from = i + 1;
  }
  cutAtSectionsBefore(text.length - 1);
  close(text.length);
  return statements;
}

/** A statement with its section and the weight its evidence gets there. */
export interface PlacedStatement extends Statement {
  section: Section["kind"];
  weight: number;
  /** Where each clause after the first starts (after ", and"), in text order; none for most statements. */
  clauseStarts?: readonly number[] | undefined;
}

/** One piece of evidence for a side or a role, as the duty builder reads it. */
export interface Hit {
  start: number;
  end: number;
  /** Points before the section weight (term weight × cue factor ÷ repeat number). */
  points: number;
  leaning: "product-manager" | "product-owner" | null;
  /** Points per other role, before the section weight. */
  roles: Partial<Record<OtherRole, number>> | undefined;
  /** Index of the hit's highlight in the result, or -1 when it is evidence of another role only. */
  highlight: number;
}

/** A statement with its leaning and vote. */
export interface DutyStatement extends Statement {
  /** False when its section counts for nothing (benefits, boilerplate): it is not one of the ad's duties. */
  counted: boolean;
  /** Its section's weight. */
  weight: number;
  /** The side its product evidence leans to, which votes even when it reads as another role. */
  product: ProductLeaning;
  section: Section["kind"];
  leaning: DutyLeaning;
  /** The other role it reads as, when `leaning` is `other-role`. */
  role: OtherRole | null;
  /** Points inside the statement, after section weights, per side and for its strongest other role. */
  evidence: { productManager: number; productOwner: number; otherRole: number };
  /** What the statement adds to the label's vote: 0 when it does not lean. */
  vote: number;
  /** Indices of the highlights inside it. */
  highlights: number[];
  /** Indices of the hits inside it (for other-role evidence). */
  hits: number[];
  /** How many product duties it states towards the floor of duties: one per clause with a duty's evidence, at least 1. */
  duties: number;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

// Most statements hold no evidence at all; they share one reading, never written to. Every
// reading has the same fields in the same order (a frozen or a shorter object reads slower).
const NO_EVIDENCE: StatementEvidence = { productManager: 0, productOwner: 0, role: null, head: null, clausePoints: undefined };

/**
 * The evidence of one statement from its hits (`indices`, in text order); `clauseStarts` are
 * where its further clauses start, if it has any (see `PlacedStatement`).
 */
export function statementEvidence(hits: readonly Hit[], indices: readonly number[], clauseStarts: readonly number[] = []): StatementEvidence {
  if (indices.length === 0) return NO_EVIDENCE;
  let productManager = 0;
  let productOwner = 0;
  let roles: Partial<Record<OtherRole, number>> | null = null;
  for (const i of indices) {
    const hit = hits[i]!;
    if (hit.leaning === "product-manager") productManager += hit.points;
    else if (hit.leaning === "product-owner") productOwner += hit.points;
    if (!hit.roles) continue;
    roles ??= {};
    for (const key in hit.roles) {
      const role = key as OtherRole;
      roles[role] = (roles[role] ?? 0) + hit.roles[role]!;
    }
  }
  const best = roles && strongest(roles);
  // Product terms the role uses as much (an entry of 0) say nothing against it.
  let against = 0;
  if (best) for (const i of indices) if (hits[i]!.roles?.[best.role] === undefined) against += hits[i]!.points;
  const role = best && { role: best.role, points: best.points, against };
  const first = indices.length > 0 ? hits[indices[0]!]! : null;
  const head: StatementEvidence["head"] = first && {
    leaning: first.points > 0 ? first.leaning : null,
    points: first.points,
    role: role && { role: role.role, points: first.roles?.[role.role] ?? 0, shared: first.roles?.[role.role] !== undefined },
  };
  return { productManager, productOwner, role, head, clausePoints: clauseStarts.length === 0 ? undefined : clausePoints(hits, indices, clauseStarts) };
}

// The product points in each clause of a statement, first clause first.
function clausePoints(hits: readonly Hit[], indices: readonly number[], clauseStarts: readonly number[]): number[] {
  const points = new Array<number>(clauseStarts.length + 1).fill(0);
  let clause = 0;
  for (const i of indices) {
    const hit = hits[i]!;
    while (clause < clauseStarts.length && clauseStarts[clause]! <= hit.start) clause++;
    if (hit.leaning !== null) points[clause] = points[clause]! + hit.points;
  }
  return points;
}

// The role with the most (net, positive) points, the first by name on a tie.
function strongest(roles: Partial<Record<OtherRole, number>>): { role: OtherRole; points: number } | null {
  let best: { role: OtherRole; points: number } | null = null;
  for (const key in roles) {
    const role = key as OtherRole;
    const points = roles[role]!;
    if (points > 0 && (!best || points > best.points || (points === best.points && role < best.role))) best = { role, points };
  }
  return best;
}

/** Gives each statement its leaning and vote from the hits inside it (both in text order). */
export function buildDuties(statements: readonly PlacedStatement[], hits: readonly Hit[], thresholds: Model["settings"]["thresholds"]): DutyStatement[] {
  const duties: DutyStatement[] = [];
  const grouped = hitsByStatement(statements, hits);
  statements.forEach((statement, s) => {
    const inside = grouped[s]!;
    const { section, weight } = statement;
    const evidence = statementEvidence(hits, inside, statement.clauseStarts);
    const voting = votingOf(evidence, weight, thresholds);
    // Written out field by field, in the order the result lists them: about 30 statements an ad.
    duties.push({
      start: statement.start,
      end: statement.end,
      leaning: voting.leaning,
      product: voting.product,
      role: voting.role,
      vote: voting.vote,
      counted: voting.counted,
      weight: voting.weight,
      duties: voting.duties,
      section,
      evidence: {
        productManager: round4(evidence.productManager * weight),
        productOwner: round4(evidence.productOwner * weight),
        otherRole: round4((evidence.role?.points ?? 0) * weight),
      },
      highlights: highlightsOf(hits, inside),
      hits: inside,
    });
  });
  return duties;
}

// The highlights among some hits: those that are not only another role's evidence.
function highlightsOf(hits: readonly Hit[], indices: readonly number[]): number[] {
  const highlights: number[] = [];
  for (const i of indices) {
    const highlight = hits[i]!.highlight;
    if (highlight >= 0) highlights.push(highlight);
  }
  return highlights;
}

/** For each statement, the indices of the hits that start inside it (both in text order). */
export function hitsByStatement(statements: readonly Statement[], hits: readonly Hit[]): number[][] {
  const grouped: number[][] = [];
  let h = 0;
  for (const statement of statements) {
    while (h < hits.length && hits[h]!.start < statement.start) h++;
    const inside: number[] = [];
    while (h < hits.length && hits[h]!.start < statement.end) inside.push(h++);
    grouped.push(inside);
  }
  return grouped;
}

/**
 * What the vote needs of a statement: `counted` is false for one in a section that counts for
 * nothing; `weight` is its section's weight (default 1); `duties` how many product duties it
 * states (default 1).
 */
export type Voting = Pick<DutyStatement, "leaning" | "role" | "vote"> & { product?: ProductLeaning; counted?: boolean; weight?: number; duties?: number };

/** How one statement votes, from its evidence and its section's weight (0: it is no duty at all). */
export function votingOf(evidence: StatementEvidence, weight: number, thresholds: Model["settings"]["thresholds"]): Required<Voting> {
  const { leaning, product } = weight > 0 ? readStatement(evidence, thresholds) : { leaning: "none" as const, product: "none" as const };
  const vote = product === "none" ? 0 : round4(statementVote(evidence.productManager + evidence.productOwner, weight));
  const duties = leaning === "none" || leaning === "other-role" ? 1 : dutiesStated(evidence, thresholds.dutyEvidence.value);
  return { leaning, product, role: leaning === "other-role" ? (evidence.role?.role ?? null) : null, vote, counted: weight > 0, weight, duties };
}

// A sentence of two clauses that each hold a duty's evidence ("build the roadmap with partners,
// and set the vision") states two duties, as two bullets would: it counts twice towards the
// floor of duties a short ad needs (`minDuties`). Its vote is the same either way.
function dutiesStated(evidence: StatementEvidence, dutyEvidence: number): number {
  if (evidence.clausePoints === undefined) return 1;
  let duties = 0;
  for (const points of evidence.clausePoints) if (points >= dutyEvidence) duties++;
  return Math.max(1, duties);
}

/** The votes of a set of duties: "both" gives half its vote to each side. */
export function tallyVotes(duties: readonly Voting[]): DutyVotes {
  const votes = emptyVotes();
  for (const duty of duties) addVote(votes, duty);
  return roundedVotes(votes);
}

function emptyVotes(): DutyVotes {
  return { productManager: 0, productOwner: 0, roles: {}, statements: 0, productStatements: 0, productDuties: 0 };
}

// Adds one duty to a running (unrounded) tally.
function addVote(votes: DutyVotes, duty: Voting): void {
  if (duty.counted !== false) votes.statements++;
  const product = duty.product ?? (duty.leaning === "other-role" ? "none" : duty.leaning);
  if (product === "product-manager") votes.productManager += duty.vote;
  else if (product === "product-owner") votes.productOwner += duty.vote;
  else if (product === "both") {
    votes.productManager += duty.vote / 2;
    votes.productOwner += duty.vote / 2;
  }
  if (product !== "none") votes.productStatements++;
  if (duty.leaning === "other-role" && duty.role) votes.roles[duty.role] = (votes.roles[duty.role] ?? 0) + (duty.weight ?? 1);
  else if (duty.leaning !== "none") votes.productDuties += (duty.weight ?? 1) * (duty.duties ?? 1);
}

// A running tally, rounded, so a tally and the same tally less some duties compare alike at the thresholds.
function roundedVotes(raw: DutyVotes): DutyVotes {
  const roles: DutyVotes["roles"] = {};
  for (const role of Object.keys(raw.roles) as OtherRole[]) roles[role] = round4(raw.roles[role]!);
  return {
    productManager: round4(raw.productManager),
    productOwner: round4(raw.productOwner),
    roles,
    statements: raw.statements,
    productStatements: raw.productStatements,
    productDuties: round4(raw.productDuties),
  };
}

/** The smallest set of duties whose removal changes the label, and what the label becomes. */
export interface Flip {
  decision: Decision;
  /** Indices into the duties. */
  duties: number[];
}

// Beyond this many duties removed the counterfactual says nothing a reader can use.
export const MAX_FLIP_SIZE = 5;
// Ads with many kinds of duty have many ways to split a removal; past this many tries (a few
// milliseconds) the search gives up and says it found none.
const MAX_FLIP_TRIES = 200;

type Leaning = Voting;

// Duties of one category change the decision's inputs alike except for their vote.
function sameCategory(a: Leaning, b: Leaning): boolean {
  return a.leaning === b.leaning && a.product === b.product && a.role === b.role && (a.weight ?? 1) === (b.weight ?? 1) && (a.duties ?? 1) === (b.duties ?? 1);
}

// The leaning duties grouped by category, each group's indices in text order. An ad has a few
// categories, so each duty is compared with each group's first rather than keyed by a string.
function categoriesOf(duties: readonly Leaning[]): number[][] {
  const groups: number[][] = [];
  for (let index = 0; index < duties.length; index++) {
    const duty = duties[index]!;
    if (duty.leaning === "none" || duty.vote <= 0) continue;
    const group = groups.find((g) => sameCategory(duties[g[0]!]!, duty));
    if (group) group.push(index);
    else groups.push([index]);
  }
  return groups;
}

/**
 * The smallest set of leaning duties whose removal changes the decision (label or other role),
 * or null when none of at most `MAX_FLIP_SIZE` (5) does (or the search runs out of its budget of tries). The label depends on the duties only through the vote
 * sums of their categories, so for each size every split of that size across categories is
 * tried with each category's heaviest duties removed first.
 */
export function findFlip(duties: readonly Leaning[], current: Decision, thresholds: Model["settings"]["thresholds"], maxTries = MAX_FLIP_TRIES): Flip | null {
  const categories = categoriesOf(duties).map((indices) => indices.sort((a, b) => duties[b]!.vote - duties[a]!.vote || a - b));
  if (categories.length === 0) return null;
  const all = tallyVotes(duties);
  const caps = categories.map((c) => c.length);
  const available = caps.reduce((a, b) => a + b, 0);
  const counts = new Array<number>(categories.length).fill(0);
  const roles = Object.keys(all.roles) as OtherRole[];
  // What removing a category's c heaviest duties takes away from the votes, for every c, packed
  // and rounded as a tally is. Built as running tallies: the same sums in the same order as
  // tallying each prefix afresh.
  const removed = categories.map((indices) => {
    const running = emptyVotes();
    const steps = [packVotes(running, roles)];
    for (const i of indices) {
      addVote(running, duties[i]!);
      steps.push(packVotes(running, roles, true));
    }
    return steps;
  });
  // How many duties the categories from `at` on hold: a split that cannot place its removals is
  // not followed.
  const capsFrom = caps.map((_, at) => caps.slice(at).reduce((a, b) => a + b, 0));
  // scratch[at]: the packed votes after the removals chosen in categories before `at`, so each
  // step subtracts one category's removal. The subtractions run in category order (a category
  // with none removed passes its votes on as they are): the same floats as subtracting every
  // category's removal from the whole in turn.
  const width = FIELDS + roles.length;
  const scratch = categories.map(() => new Float64Array(width));
  // Written field by field: a spread copy here made the search's objects slower to read.
  const votes: DutyVotes = {
    productManager: all.productManager,
    productOwner: all.productOwner,
    roles: Object.assign({}, all.roles),
    statements: all.statements,
    productStatements: all.productStatements,
    productDuties: all.productDuties,
  };
  let budget = maxTries;
  let found: Decision | null = null;
  // Depth-first over the ways to split `remaining` removals across categories `at`…, keeping the
  // removed counts in `counts`; true when a split changes the decision (or the budget runs out).
  const search = (at: number, remaining: number, before: Float64Array): boolean => {
    if (remaining > capsFrom[at]!) return false;
    if (at === categories.length - 1) {
      counts[at] = remaining;
      if (--budget < 0) return true;
      const decision = decideLabel(unpackVotesInto(votes, before, removed[at]![remaining]!, roles), thresholds);
      if (decision.label !== current.label || decision.otherRole !== current.otherRole) found = decision;
      return found !== null;
    }
    const after = scratch[at + 1]!;
    for (let c = Math.min(caps[at]!, remaining); c >= 0; c--) {
      counts[at] = c;
      if (c === 0) {
        if (search(at + 1, remaining, before)) return true;
        continue;
      }
      const part = removed[at]![c]!;
      for (let j = 0; j < width; j++) after[j] = before[j]! - part[j]!;
      if (search(at + 1, remaining - c, after)) return true;
    }
    counts[at] = 0;
    return false;
  };
  const whole = packVotes(all, roles);
  for (let size = 1; size <= Math.min(MAX_FLIP_SIZE, available); size++) {
    if (search(0, size, whole)) break;
  }
  if (found === null) return null;
  const flipped = counts.flatMap((count, i) => categories[i]!.slice(0, count));
  return { decision: found, duties: flipped.sort((a, b) => a - b) };
}

// Votes as numbers in a fixed order, for the search's arithmetic: the sums, then `roles`' duties.
const FIELDS = 5;
function packVotes(votes: DutyVotes, roles: readonly OtherRole[], round = false): Float64Array {
  const r = round ? round4 : (x: number) => x;
  const packed = new Float64Array(FIELDS + roles.length);
  packed[0] = r(votes.productManager);
  packed[1] = r(votes.productOwner);
  packed[2] = votes.statements;
  packed[3] = votes.productStatements;
  packed[4] = r(votes.productDuties);
  roles.forEach((role, i) => (packed[FIELDS + i] = r(votes.roles[role] ?? 0)));
  return packed;
}

// The votes `before` less `part`, rounded as a tally is, written into `into`. Sums of the same
// floats in another order can leave -1e-16 where nothing is left, hence the floor at 0.
function unpackVotesInto(into: DutyVotes, before: Float64Array, part: Float64Array, roles: readonly OtherRole[]): DutyVotes {
  into.productManager = Math.max(0, round4(before[0]! - part[0]!));
  into.productOwner = Math.max(0, round4(before[1]! - part[1]!));
  into.statements = before[2]! - part[2]!;
  into.productStatements = before[3]! - part[3]!;
  into.productDuties = Math.max(0, round4(before[4]! - part[4]!));
  for (let i = 0; i < roles.length; i++) into.roles[roles[i]!] = Math.max(0, round4(before[FIELDS + i]! - part[FIELDS + i]!));
  return into;
}

const LEANING_NAMES: Record<Exclude<DutyLeaning, "none" | "other-role">, string> = {
  "product-manager": "product manager",
  "product-owner": "product owner",
  both: "both roles",
};

/** How a role is written in sentences. */
export const ROLE_NAMES: Record<OtherRole, string> = {
  "scrum-master": "Scrum Master or agile coach",
  "project-manager": "project or programme manager",
  "product-marketing": "product marketing manager",
  "qa-engineer": "QA or test engineer",
  "business-analyst": "business analyst",
  "software-engineer": "software engineer",
  "ux-designer": "UX or product designer",
  "data-analyst": "data or product analyst",
};

/** Counts of statements by what they read as. */
export interface DutyCounts {
  statements: number;
  productManager: number;
  productOwner: number;
  both: number;
  otherRole: number;
  none: number;
}

/** Counts the statements by leaning. */
export function countDuties(duties: readonly Pick<DutyStatement, "leaning">[]): DutyCounts {
  const counts: DutyCounts = { statements: duties.length, productManager: 0, productOwner: 0, both: 0, otherRole: 0, none: 0 };
  for (const { leaning } of duties) {
    if (leaning === "product-manager") counts.productManager++;
    else if (leaning === "product-owner") counts.productOwner++;
    else if (leaning === "both") counts.both++;
    else if (leaning === "other-role") counts.otherRole++;
    else counts.none++;
  }
  return counts;
}

/** The sentence a recruiter reads first: "7 of 31 statements state a duty: 5 read as product manager, 2 as product owner." */
export function dutySummary(counts: DutyCounts, otherRole: OtherRole | null): string {
  const leaning = counts.statements - counts.none;
  if (leaning === 0 && counts.statements === 1) return "The one statement states no product duty pmpo recognises.";
  if (leaning === 0) return `None of the ${counts.statements} statements states a product duty pmpo recognises.`;
  const parts: string[] = [];
  const add = (n: number, name: string) => {
    if (n > 0) parts.push(`${n} ${parts.length === 0 ? "read" + (n === 1 ? "s" : "") + " as " : "as "}${name}`);
  };
  add(counts.productManager, LEANING_NAMES["product-manager"]);
  add(counts.productOwner, LEANING_NAMES["product-owner"]);
  add(counts.both, LEANING_NAMES.both);
  add(counts.otherRole, otherRole ? ROLE_NAMES[otherRole] : "another role");
  const noun = counts.statements === 1 ? "statement" : "statements";
  const verb = leaning === 1 ? "states" : "state";
  return `${leaning} of ${counts.statements} ${noun} ${verb} a duty: ${parts.join(", ")}.`;
}
