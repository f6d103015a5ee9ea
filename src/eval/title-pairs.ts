import type { Label } from "../score/result.js";

// ROC AUC against titles is the share of (product manager title, product owner title) pairs that
// pmShare puts the titles' way round (ties count half). Titles are weak labels, so when gold labels
// are there too, this module says why the pairs ordered the other way are so: a low title AUC
// from ads the annotators themselves read against their title is not a scoring fault.

/** One titled ad: the role its title names, its gold label (null when it has none) and a pmShare. */
export interface TitledScore {
  title: "product-manager" | "product-owner";
  gold: Label | null;
  pmShare: number;
}

/**
 * Title pairs ordered against the titles (the product owner titled ad has the higher pmShare; a
 * tie counts half), split by what the gold labels say of the pair. Each pair falls in the first
 * group that fits.
 */
export interface MisorderedPairs {
  /** All of them: (1 - AUC) × pairs. */
  total: number;
  /** Either ad has no gold label: nothing to compare with. */
  withoutGold: number;
  /** Either ad is gold insufficient-evidence: a teaser too short to order either way. */
  insufficientEvidence: number;
  /** The gold labels order the pair the same way (the owner titled ad reads more product manager). */
  goldOrdersSo: number;
  /** Both ads have the same leaning gold label: the order within one label. */
  sameGoldLabel: number;
  /** The gold labels order the pair the titles' way and the classifier does not. */
  againstGold: number;
}

// How far towards product manager a leaning gold label reads; teasers have no place on it.
const GOLD_RANK: Partial<Record<Label, number>> = { "product-owner-leaning": 0, hybrid: 1, "product-manager-leaning": 2 };

function pairsOf<T extends Pick<TitledScore, "title">>(scores: readonly T[]): { manager: T[]; owner: T[] } {
  return { manager: scores.filter((s) => s.title === "product-manager"), owner: scores.filter((s) => s.title === "product-owner") };
}

/** The title pairs pmShare orders against the titles, grouped by what gold says of each. */
export function misorderedTitlePairs(scores: readonly TitledScore[]): MisorderedPairs {
  const { manager, owner } = pairsOf(scores);
  const pairs: MisorderedPairs = { total: 0, withoutGold: 0, insufficientEvidence: 0, goldOrdersSo: 0, sameGoldLabel: 0, againstGold: 0 };
  for (const m of manager) {
    for (const o of owner) {
      const wrong = m.pmShare < o.pmShare ? 1 : m.pmShare === o.pmShare ? 0.5 : 0;
      if (wrong === 0) continue;
      pairs.total += wrong;
      pairs[groupOf(m.gold, o.gold)] += wrong;
    }
  }
  return pairs;
}

function groupOf(managerGold: Label | null, ownerGold: Label | null): Exclude<keyof MisorderedPairs, "total"> {
  if (managerGold === null || ownerGold === null) return "withoutGold";
  const m = GOLD_RANK[managerGold];
  const o = GOLD_RANK[ownerGold];
  if (m === undefined || o === undefined) return "insufficientEvidence";
  return o > m ? "goldOrdersSo" : o === m ? "sameGoldLabel" : "againstGold";
}

/**
 * The highest ROC AUC against the titles that any score ordering ads as their gold labels do
 * (product-manager-leaning above hybrid above product-owner-leaning) can reach: only pairs whose
 * gold labels run against the titles must be lost; teasers and unlabelled ads can go anywhere.
 * Null without pairs.
 */
export function goldAucCeiling(ads: readonly Pick<TitledScore, "title" | "gold">[]): number | null {
  const { manager, owner } = pairsOf(ads);
  const total = manager.length * owner.length;
  if (total === 0) return null;
  let forced = 0;
  for (const m of manager) for (const o of owner) if (m.gold !== null && o.gold !== null && groupOf(m.gold, o.gold) === "goldOrdersSo") forced++;
  return 1 - forced / total;
}
