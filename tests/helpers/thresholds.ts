import type { Model } from "../../src/model/schema.js";

/** Duty thresholds for decision tests, fixed here so tests do not move when the shipped values are tuned. */
const reason = "a reason long enough";
export const r = (value: number) => ({ value, reason });
export const thresholds: Model["settings"]["thresholds"] = {
  dutyEvidence: r(2),
  dutyBothShare: r(0.25),
  dutyHeadFactor: r(3),
  roleHeadFactor: r(3),
  minDutyVotes: r(8),
  minLeaningShare: r(0.1),
  hybridShare: r(0.3),
  hybridMinVotes: r(8),
  otherRoleRatio: r(1),
  sharePrior: r(2),
  confidenceSlope: r(2),
  confidenceIntercept: r(0.5),
};

