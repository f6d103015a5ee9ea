import type { Model, OtherRole } from "../model/schema.js";
import type { Label } from "./result.js";

type Thresholds = Model["settings"]["thresholds"];

/** Evidence totals of one ad, per side. */
export interface EvidenceTotals {
  productManager: number;
  productOwner: number;
}

/**
 * Share of evidence that is product manager, 0..1, with `prior` points of evidence added to each
 * side: a handful of words cannot claim 100%, and no evidence at all gives 0.5.
 */
export function pmShareOf({ productManager, productOwner }: EvidenceTotals, prior: number): number {
  return (productManager + prior) / (productManager + productOwner + 2 * prior);
}

/** What one duty statement reads as. */
export type DutyLeaning = "product-manager" | "product-owner" | "both" | "other-role" | "none";

/** A statement's evidence before section weights: per side, per other role, and its first phrase's. */
export interface StatementEvidence {
  productManager: number;
  productOwner: number;
  /**
   * The other role with the most points in the statement, or null, and the product points
   * against it: those of terms the role does not share.
   */
  role: { role: OtherRole; points: number; against: number } | null;
  /**
   * The statement's first phrase, usually its verb and object: the side it speaks for and its
   * points (leaning null when it is only another role's evidence), and its strongest other role.
   */
  head: {
    leaning: "product-manager" | "product-owner" | null;
    points: number;
    /** Its points for the statement's strongest role, and whether that role shares the term. */
    role: { role: OtherRole; points: number; shared: boolean } | null;
  } | null;
  /** The product points in each of its clauses, when it has more than one (see `PlacedStatement.clauseStarts`). */
  clausePoints?: readonly number[] | undefined;
}

/**
 * The leaning of one statement, decided by the evidence inside it: another role when that role's
 * points reach `dutyEvidence` and exceed the product points of terms the role does not share;
 * none when the product points do not reach `dutyEvidence`; else the side with more points, the first phrase (for a side or a
 * role) counting `dutyHeadFactor` times ("build the backlog from the market's needs" is
 * backlog work), and both when the smaller side keeps `dutyBothShare` of the points.
 */
export function statementLeaning(evidence: StatementEvidence, thresholds: Thresholds): DutyLeaning {
  return readStatement(evidence, thresholds).leaning;
}

/** Which product side a statement's product evidence leans to, whatever else it reads as. */
export type ProductLeaning = "product-manager" | "product-owner" | "both" | "none";

/**
 * A statement read twice: what it reads as (`leaning`, another role included), and the side its
 * product evidence leans to (`product`), which votes for the product label in any case, so a
 * product ad's duty that also reads like a project manager's still counts for its side.
 */
export function readStatement(evidence: StatementEvidence, thresholds: Thresholds): { leaning: DutyLeaning; product: ProductLeaning } {
  const product = productLeaning(evidence, thresholds);
  const { head } = evidence;
  if (evidence.role) {
    const factor = thresholds.roleHeadFactor.value - 1;
    const role = evidence.role.points + (head?.role ? head.role.points * factor : 0);
    const against = evidence.role.against + (head && !head.role?.shared ? head.points * factor : 0);
    if (role >= thresholds.dutyEvidence.value && role > against) return { leaning: "other-role", product };
  }
  return { leaning: product, product };
}

function productLeaning(evidence: StatementEvidence, thresholds: Thresholds): ProductLeaning {
  if (evidence.productManager + evidence.productOwner < thresholds.dutyEvidence.value) return "none";
  const { head } = evidence;
  const extra = head ? head.points * (thresholds.dutyHeadFactor.value - 1) : 0;
  const pm = evidence.productManager + (head?.leaning === "product-manager" ? extra : 0);
  const po = evidence.productOwner + (head?.leaning === "product-owner" ? extra : 0);
  if (Math.min(pm, po) / (pm + po) >= thresholds.dutyBothShare.value) return "both";
  return pm >= po ? "product-manager" : "product-owner";
}

/** A leaning statement's vote: its points times its section's weight, all for the side it leans to. */
export function statementVote(points: number, sectionWeight: number): number {
  return sectionWeight * points;
}

/** Votes of an ad's leaning statements: "both" gives half its vote to each side. */
export interface DutyVotes {
  productManager: number;
  productOwner: number;
  /** Duties per other role, each counting its section's weight: a role is what most of the duties are. */
  roles: Partial<Record<OtherRole, number>>;
  /** Duties leaning to a product side (or both), counted the same way. */
  productDuties: number;
  /** Statements in sections that count, and how many of them lean to a product side (or both). */
  statements: number;
  productStatements: number;
}

/** The ad's label and, when the duties read as a role that is not a product role, which one. */
export interface Decision {
  label: Label;
  otherRole: OtherRole | null;
  /** Distance of the votes from the nearest other label, 0..1: what `confidence` calibrates. */
  margin: number;
}

// An ad reads as another role only with at least two of its duties (section-weighted): one stray
// statement is not a role.
const MIN_ROLE_DUTIES = 2;

// Called for every try of the counterfactual search, so it allocates nothing until it answers.
function strongestRole(roles: DutyVotes["roles"]): [OtherRole, number] | null {
  let bestRole: OtherRole | null = null;
  let bestVotes = 0;
  for (const key in roles) {
    const role = key as OtherRole;
    const votes = roles[role]!;
    if (votes > 0 && (bestRole === null || votes > bestVotes || (votes === bestVotes && role < bestRole))) {
      bestRole = role;
      bestVotes = votes;
    }
  }
  return bestRole === null ? null : [bestRole, bestVotes];
}

/**
 * The label the duties give, as the annotators' rubric reads: insufficient evidence when fewer
 * than `minDutyVotes` lean and fewer than `minDuties` duties (section-weighted) do, when fewer than `minLeaningShare` of the statements lean, or when at least two duties (section-weighted) read
 * as another role and they outnumber the product duties `otherRoleRatio` times; hybrid when each side holds `hybridShare` of the product votes and
 * at least `hybridMinVotes` (a real block of duties, not a stray phrase);
 * otherwise the side with more.
 */
export function decideLabel(votes: DutyVotes, thresholds: Thresholds): Decision {
  const product = votes.productManager + votes.productOwner;
  const min = thresholds.minDutyVotes.value;
  const role = strongestRole(votes.roles);
  const ratio = thresholds.otherRoleRatio.value;
  if (role && role[1] >= MIN_ROLE_DUTIES && role[1] >= ratio * votes.productDuties) {
    const lead = votes.productDuties === 0 ? 1 : Math.min(1, role[1] / (ratio * votes.productDuties) - 1);
    return { label: "insufficient-evidence", otherRole: role[0], margin: (Math.min(1, (role[1] - MIN_ROLE_DUTIES) / MIN_ROLE_DUTIES) + lead) / 2 };
  }
  if (product < min && !(votes.productDuties >= (thresholds.minDuties?.value ?? Number.POSITIVE_INFINITY))) {
    return { label: "insufficient-evidence", otherRole: null, margin: 1 - product / min };
  }
  // A few stray phrases in a long ad of other work: too few of its statements lean at all.
  const leaningShare = votes.statements === 0 ? 0 : votes.productStatements / votes.statements;
  const minShare = thresholds.minLeaningShare.value;
  if (leaningShare < minShare) return { label: "insufficient-evidence", otherRole: null, margin: 1 - leaningShare / minShare };
  const quantity = product / (product + min);
  const ownerShare = votes.productOwner / product;
  const smaller = Math.min(ownerShare, 1 - ownerShare);
  const hybrid = thresholds.hybridShare.value;
  if (smaller >= hybrid && Math.min(votes.productManager, votes.productOwner) >= thresholds.hybridMinVotes.value) return { label: "hybrid", otherRole: null, margin: quantity * ((smaller - hybrid) / (0.5 - hybrid || 1)) };
  const label = ownerShare > 0.5 ? "product-owner-leaning" : "product-manager-leaning";
  return { label, otherRole: null, margin: quantity * ((hybrid - smaller) / (hybrid || 1)) };
}

/** Calibrated confidence in a decision: the model's logistic fit of margin to being right, out of fold. */
export function confidenceOf(margin: number, thresholds: Thresholds): number {
  const z = thresholds.confidenceSlope.value * margin + thresholds.confidenceIntercept.value;
  const p = 1 / (1 + Math.exp(-z));
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
}
