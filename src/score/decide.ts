import type { Model } from "../model/schema.js";
import type { Label } from "./result.js";

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

/**
 * The label the model's thresholds give: too little evidence is insufficient; otherwise the
 * share decides, and a middle share is hybrid only when both sides are substantial.
 */
export function decideLabel(totals: EvidenceTotals, thresholds: Model["settings"]["thresholds"]): Label {
  const total = totals.productManager + totals.productOwner;
  if (total < thresholds.minEvidence.value) return "insufficient-evidence";
  const share = pmShareOf(totals, thresholds.sharePrior.value);
  if (share >= thresholds.managerShare.value) return "product-manager-leaning";
  if (share <= thresholds.ownerShare.value) return "product-owner-leaning";
  const minority = Math.min(totals.productManager, totals.productOwner);
  if (minority >= thresholds.hybridMinSide.value) return "hybrid";
  return share >= 0.5 ? "product-manager-leaning" : "product-owner-leaning";
}

/**
 * Confidence 0..1: for a leaning or hybrid label, how much evidence there is (saturating at the
 * model's scale) times how far the share sits inside the label's band; for insufficient
 * evidence, how far the total falls below the minimum.
 */
export function confidenceOf(label: Label, totals: EvidenceTotals, thresholds: Model["settings"]["thresholds"]): number {
  const total = totals.productManager + totals.productOwner;
  const min = thresholds.minEvidence.value;
  if (label === "insufficient-evidence") return clamp01(1 - total / min);
  const quantity = total / (total + thresholds.confidenceScale.value);
  const share = pmShareOf(totals, thresholds.sharePrior.value);
  const hi = thresholds.managerShare.value;
  const lo = thresholds.ownerShare.value;
  let inBand: number;
  if (label === "product-manager-leaning") inBand = share >= hi ? (share - hi) / (1 - hi || 1) : 0;
  else if (label === "product-owner-leaning") inBand = share <= lo ? (lo - share) / (lo || 1) : 0;
  else inBand = 1 - Math.abs(share - 0.5) / ((hi - lo) / 2 || 1);
  return clamp01(quantity * (0.5 + 0.5 * clamp01(inBand)));
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
