// `npm run tune` (and the headline of `npm run eval`): chooses every tunable value of the
// decision (duty thresholds, the generic-word rule, what a lone word counts for as another role's evidence, whether the
// purpose cues apply) by cross-validation with
// folds grouped by source_repo on ../shared/jobads/jobads.csv, role names masked, no titles.
// Section weights are not tuned (they are the shipped ones). Prints the out-of-fold figures first: they say what users get on sources nobody tuned to.
// Then the in-sample figure of the values chosen on all ads (what models/settings.json should
// hold), and the confidence calibration fitted on the out-of-fold margins.
//   node bench/tune.js [--json] [--folds 5]
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { readPhrasesFile, readSettingsFile, DEFAULT_PHRASES_PATH, DEFAULT_SETTINGS_PATH, trainModel } from "../dist/index.js";
import { maskRoleNames } from "../dist/eval/mask.js";
import { candidateGrid, fitLogistic, reliability, statementFeatures, tuneGrouped } from "../dist/eval/tune.js";
import { classificationMetrics } from "../dist/eval/metrics.js";
import { LABELS } from "../dist/score/result.js";

const data = fileURLToPath(new URL("../../shared/jobads/jobads.csv", import.meta.url));
if (!existsSync(data)) {
  console.log("tune: skipped: ../shared/jobads/jobads.csv is absent (it lives beside the repository)");
  process.exit(0);
}
const args = process.argv.slice(2);
const json = args.includes("--json");
const folds = Number(args[args.indexOf("--folds") + 1]) || 5;

// Each value's plainest choice first: on a tie the earlier candidate wins.
const GRID = {
  dutyEvidence: [2, 1, 3],
  dutyBothShare: [0.25, 0.35],
  dutyHeadFactor: [1, 3],
  minDutyVotes: [8, 4, 6],
  minDuties: [2, 3, 1.5],
  minLeaningShare: [0.1, 0, 0.15, 0.2],
  hybridMinVotes: [8, 4],
};
// The generic-word rule changes the terms, so each ratio and factor is its own model. A
// document-frequency cut (maxShare 0.05) was offered too: equal out of fold, better only
// in-sample, and it cut backlog, sprint and story (see models/settings.json); it is off.
// What a lone word counts for as another role's evidence changes the terms too.
// Whether the purpose cues ("to achieve", "in order to") discount what follows them is offered on and off.
const GENERIC_RULES = [0, 0.5].flatMap((factor) =>
  [0.25, 0.5, Number.POSITIVE_INFINITY].flatMap((ratio) =>
    [1, 0.5, 0].flatMap((roleLoneWords) => [true, false].map((purposeCues) => ({ ratio, maxShare: 1, factor, roleLoneWords, purposeCues }))),
  ),
);

const rows = parse(readFileSync(data), { columns: true, bom: true }).filter((r) => LABELS.includes(r.gold_label));
const phrases = readPhrasesFile(DEFAULT_PHRASES_PATH).phrases;
const settings = readSettingsFile(DEFAULT_SETTINGS_PATH);
const models = GENERIC_RULES.map(({ ratio, maxShare, factor, roleLoneWords, purposeCues }) =>
  trainModel(phrases, {
    ...settings,
    genericWords: { ...settings.genericWords, ratio: Number.isFinite(ratio) ? ratio : 1e9, maxShare, factor },
    otherRoleLoneWords: { value: roleLoneWords, reason: "tuned" },
    purposeCues: purposeCues ? settings.purposeCues : undefined,
  }),
);
const texts = rows.map((r) => maskRoleNames(r.description));
const ads = rows.map((r, i) => ({ features: models.map((m) => statementFeatures(texts[i], m)), gold: r.gold_label, group: r.source_repo }));
const base = { thresholds: settings.thresholds };
const candidates = candidateGrid(base, GRID, models.length);
const result = tuneGrouped(ads, candidates, folds);

// Calibration, also out of fold: each fold's confidences come from a curve fitted on the others.
const gold = ads.map((a) => a.gold);
const correct = result.outOfFold.map((d, i) => d.label === gold[i]);
const margins = result.outOfFold.map((d) => d.margin);
const confidence = margins.map((m, i) => {
  const train = margins.map((_, j) => j).filter((j) => result.folds[j] !== result.folds[i]);
  const fit = fitLogistic(train.map((j) => margins[j]), train.map((j) => correct[j]));
  return 1 / (1 + Math.exp(-(fit.slope * m + fit.intercept)));
});
const calibration = fitLogistic(margins, correct);
const reliable = reliability(confidence, correct);

const metrics = classificationMetrics(gold, result.outOfFold.map((d) => d.label), LABELS);
const describe = (c) => ({ ...c.choice, generic: GENERIC_RULES[c.model] });
const report = {
  ads: ads.length,
  sources: new Set(ads.map((a) => a.group)).size,
  folds,
  candidates: candidates.length,
  outOfFold: { macroF1: result.outOfFoldMacroF1, accuracy: metrics.accuracy, perClass: metrics.perClass, confusion: metrics.confusion },
  calibration: { brier: reliable.brier, bins: reliable.bins, slope: round4(calibration.slope), intercept: round4(calibration.intercept) },
  inSample: { macroF1: result.inSampleMacroF1 },
  chosen: describe(result.chosen),
  chosenPerFold: result.chosenPerFold.map(describe),
};

if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const f = (x) => (x === null || x === undefined ? "n/a" : x.toFixed(3));
  console.log(`pmpo out of fold: ${report.ads} gold-labelled ads from ${report.sources} sources, ${folds} folds grouped by source_repo, ${report.candidates} candidates`);
  console.log(`  macro-F1 ${f(report.outOfFold.macroF1)}  accuracy ${f(report.outOfFold.accuracy)}   (in-sample with the values chosen on all ads: macro-F1 ${f(report.inSample.macroF1)})`);
  for (const label of LABELS) {
    const c = metrics.perClass[label];
    console.log(`  ${label.padEnd(24)} precision ${f(c.precision)}  recall ${f(c.recall)}  F1 ${f(c.f1)}  (${c.support} ads)`);
  }
  console.log(`  confusion (rows gold, columns predicted, order ${LABELS.join(", ")}):`);
  for (const label of LABELS) console.log(`    ${label.padEnd(24)} ${LABELS.map((p) => String(metrics.confusion.matrix[LABELS.indexOf(label)][LABELS.indexOf(p)]).padStart(3)).join(" ")}`);
  console.log(`  confidence, calibrated out of fold: Brier ${f(reliable.brier)}`);
  for (const b of reliable.bins) console.log(`    ${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${String(b.count).padStart(3)} ads, mean confidence ${f(b.meanConfidence)}, right ${f(b.accuracy)}`);
  console.log(`  chosen on all ads: ${JSON.stringify(report.chosen)}; calibration slope ${report.calibration.slope}, intercept ${report.calibration.intercept}`);
  console.log(`  chosen per fold:`);
  for (const c of report.chosenPerFold) console.log(`    ${JSON.stringify(c)}`);
}

function round4(x) {
  return Math.round(x * 10_000) / 10_000;
}
