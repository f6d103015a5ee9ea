import { LABELS, type Label } from "../score/result.js";
import { renderLanguageTable } from "./languages.js";
import { CLASSIFIERS, type AdsReport, type CrossValidationReport, type EvaluationReport, type Miss } from "./report.js";

// Plain-text reports: the three classifiers side by side in fixed-width columns, so a terminal,
// a pull-request comment and a diff all line up. Returns text; printing is the CLI's business.

const SHORT: Record<Label, string> = {
  "product-manager-leaning": "PM",
  "product-owner-leaning": "PO",
  hybrid: "HY",
  "insufficient-evidence": "IE",
};

const fixed = (x: number | null, digits = 3) => (x === null ? "n/a" : x.toFixed(digits));
const pad = (text: string, width: number) => text.padEnd(width);
const right = (text: string, width: number) => text.padStart(width);
const LEFT = 28;
const CELL = 11;

function header(): string {
  return `  ${pad("", LEFT)}${CLASSIFIERS.map((name) => right(name, CELL)).join("")}\n`;
}

function metricLine(name: string, values: readonly (number | null)[]): string {
  return `  ${pad(name, LEFT)}${values.map((v) => right(fixed(v), CELL)).join("")}\n`;
}

// Three small matrices next to each other, one per classifier.
function matrices(rowNames: readonly string[], columnNames: readonly string[], perClassifier: readonly (readonly (readonly number[])[])[]): string {
  const width = Math.max(4, ...perClassifier.flatMap((m) => m.flat().map((n) => String(n).length + 1)));
  const block = columnNames.length * width + 4;
  const lines = [
    `  ${pad("", 8)}${CLASSIFIERS.map((name) => pad(name, block)).join("")}`,
    `  ${pad("", 8)}${CLASSIFIERS.map(() => pad(columnNames.map((c) => right(c, width)).join(""), block)).join("")}`,
    ...rowNames.map((rowName, r) => `  ${pad(rowName, 8)}${perClassifier.map((m) => pad((m[r] ?? []).map((n) => right(String(n), width)).join(""), block)).join("")}`),
  ];
  return lines.map((line) => `${line.trimEnd()}\n`).join("");
}

function renderMiss(miss: Miss): string {
  const expected = miss.against === "gold" ? `gold ${miss.expected}` : `title names ${miss.expected}`;
  const phrases = (list: Miss["topPhrases"]["productManager"]) =>
    list.length === 0 ? "none" : list.map((p) => `"${p.phrase}" ×${p.count} (${fixed(p.weight, 2)})`).join(", ");
  const indent = " ".repeat(String(miss.rank).length + 4);
  return (
    `  ${miss.rank}. ${miss.id}${miss.title === null ? "" : `  "${miss.title}"`}\n` +
    `${indent}${expected}; pmpo ${miss.predicted} (confidence ${fixed(miss.confidence, 2)}), pmShare ${fixed(miss.pmShare, 2)}, ` +
    `evidence PM ${fixed(miss.evidence.productManager, 2)} / PO ${fixed(miss.evidence.productOwner, 2)}\n` +
    `${indent}baselines: keywords ${miss.baselines.keywords}, bayes ${miss.baselines.bayes}\n` +
    `${indent}PM phrases: ${phrases(miss.topPhrases.productManager)}\n` +
    `${indent}PO phrases: ${phrases(miss.topPhrases.productOwner)}\n`
  );
}

const PAIR_GROUPS = [
  ["withoutGold", "an ad without gold label"],
  ["insufficientEvidence", "a gold insufficient ad"],
  ["goldOrdersSo", "gold orders them so"],
  ["sameGoldLabel", "same gold label"],
  ["againstGold", "against the gold labels"],
] as const;

type PairCounts = NonNullable<AdsReport["titles"]>["classifiers"]["pmpo"]["misorderedPairs"];

// Why the title pairs a classifier orders the other way are so, one group per line.
function misorderedPairLines(pairs: number, ceiling: number, counts: readonly PairCounts[]): string {
  const line = (name: string, values: readonly (number | undefined)[]) =>
    `  ${pad(name, LEFT)}${values.map((v) => right(v === undefined ? "n/a" : String(v), CELL)).join("")}\n`;
  let out = `\n  ${pairs} title pairs (PM title, PO title); ordering ads as gold does allows an AUC up to ${fixed(ceiling)}\n`;
  out += line("pairs ordered against titles", counts.map((c) => c?.total));
  for (const [key, name] of PAIR_GROUPS) out += line(`  ${name}`, counts.map((c) => c?.[key]));
  return out;
}

function renderAds(report: AdsReport): string {
  const { model, rows } = report;
  let out = `pmpo evaluate: ${report.source}\n`;
  out += `model ${model.name} ${model.version} (${model.trainingHash.slice(0, 19)}…); role names ${report.masked ? "masked" : "NOT masked (--no-mask)"}; text column "${report.columns.text}"\n`;
  out += `baselines: keyword counter; natural BayesClassifier on ${report.bayesTraining.phrases} phrases${report.bayesTraining.sameAsModel ? " (the model's own)" : " (NOT the model's own phrases)"}\n`;
  out += `rows: ${rows.read} read, ${rows.classified} classified, ${rows.skippedNoText} skipped without text\n`;

  if (report.gold) {
    const g = report.gold;
    const c = g.classifiers;
    out += `\nGold labels (column "${report.columns.gold}"): ${g.rows} rows, ${g.skippedNoLabel} skipped without a label\n`;
    out += header();
    out += metricLine("accuracy", CLASSIFIERS.map((n) => c[n].accuracy));
    out += metricLine(`macro-F1 (${c.pmpo.macroF1Over.length} classes)`, CLASSIFIERS.map((n) => c[n].macroF1));
    out += metricLine("AUC pmShare, gold PM vs PO", CLASSIFIERS.map((n) => c[n].aucLeaning));
    out += `\n  per class: precision recall F1\n`;
    for (const label of LABELS) {
      const support = c.pmpo.perClass[label].support;
      out += `  ${pad(`${label} (${support})`, LEFT)}`;
      out += CLASSIFIERS.map((n) => {
        const m = c[n].perClass[label];
        return `   ${fixed(m.precision, 2)} ${fixed(m.recall, 2)} ${fixed(m.f1, 2)}`;
      }).join("");
      out += "\n";
    }
    out += `\n  confusion (rows gold, columns predicted)\n`;
    out += matrices(
      LABELS.map((l) => SHORT[l]),
      LABELS.map((l) => SHORT[l]),
      CLASSIFIERS.map((n) => c[n].confusion.matrix),
    );
  }

  if (report.languages) {
    out += `\nBy language (column "${report.languages.column}"), pmpo; accuracy and macro-F1 on the labelled ads, detection on all\n`;
    out += renderLanguageTable(report.languages.figures, "  ");
  }

  if (report.calibration) {
    out += `\n  pmpo confidence against correctness (Brier ${fixed(report.calibration.brier)}):\n`;
    for (const b of report.calibration.bins) {
      out += `    ${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${right(String(b.count), 4)} rows, mean confidence ${fixed(b.meanConfidence)}, right ${fixed(b.accuracy)}\n`;
    }
  }
  const cov = report.coverage;
  out += `\nCoverage: ${cov.all.withEvidence} of ${cov.all.statements} statements carry evidence (${fixed(cov.all.share)}); by section: `;
  out += (Object.entries(cov.bySection) as Array<[string, AdsReport["coverage"]["all"]]>)
    .filter(([, t]) => t.statements > 0)
    .map(([kind, t]) => `${kind} ${fixed(t.share, 2)} of ${t.statements}`)
    .join(", ");
  out += "\n";

  if (report.titles) {
    const t = report.titles;
    const c = t.classifiers;
    out += `\nTitles (column "${report.columns.title}"): ${t.rows} rows (${t.productManager} product manager, ${t.productOwner} product owner), ${t.skippedNoLeaning} skipped naming both roles or neither\n`;
    out += header();
    out += metricLine("ROC AUC pmShare, PM vs PO", CLASSIFIERS.map((n) => c[n].auc));
    if (report.gold) out += metricLine("  on ads with duties", CLASSIFIERS.map((n) => c[n].aucWithDuties));
    out += metricLine("leaning accuracy", CLASSIFIERS.map((n) => c[n].leaningAccuracy));
    out += metricLine("balanced leaning accuracy", CLASSIFIERS.map((n) => c[n].balancedAccuracy));
    if (t.goldAucCeiling !== null) out += misorderedPairLines(t.pairs, t.goldAucCeiling, CLASSIFIERS.map((n) => c[n].misorderedPairs));
    out += `\n  labels by title (rows title, columns predicted)\n`;
    out += matrices(
      ["PM", "PO"],
      LABELS.map((l) => SHORT[l]),
      CLASSIFIERS.map((n) => [LABELS.map((l) => c[n].byTitle["product-manager"][l]), LABELS.map((l) => c[n].byTitle["product-owner"][l])]),
    );
  }

  if (report.misses.length > 0) {
    const against = report.misses[0]?.against === "gold" ? "against gold labels" : "against titles";
    out += `\nWorst misses ${against}: ${report.misses.length} of ${report.missed}\n`;
    out += report.misses.map(renderMiss).join("");
  } else if (report.missed > 0) {
    out += `\n${report.missed} rows missed by pmpo; list the worst with --misses N\n`;
  }
  out += `\nPM = product-manager-leaning, PO = product-owner-leaning, HY = hybrid, IE = insufficient-evidence\n`;
  return out;
}

function renderCrossValidation(report: CrossValidationReport): string {
  const c = report.classifiers;
  const p = report.phrases;
  let out = `pmpo evaluate: ${report.folds}-fold cross-validation on ${report.source} (${report.trainingHash.slice(0, 19)}…), seed ${report.seed}\n`;
  out += `phrases: ${p.productManager} product manager, ${p.productOwner} product owner, ${p.neutral} neutral\n`;
  out += `a phrase's label: ${report.phraseRule}\n`;
  out += `\nProduct manager vs product owner phrases (${c.pmpo.leaning.phrases})\n`;
  out += header();
  out += metricLine("accuracy", CLASSIFIERS.map((n) => c[n].leaning.accuracy));
  out += metricLine("macro-F1 (PM, PO)", CLASSIFIERS.map((n) => c[n].leaning.macroF1));
  out += metricLine("AUC pmShare", CLASSIFIERS.map((n) => c[n].leaning.auc));
  out += metricLine("coverage (given a side)", CLASSIFIERS.map((n) => c[n].leaning.coverage));
  for (const side of ["product-manager", "product-owner"] as const) {
    for (const metric of ["precision", "recall", "f1"] as const) {
      out += metricLine(`${side === "product-manager" ? "PM" : "PO"} ${metric}`, CLASSIFIERS.map((n) => c[n].leaning.perClass[side][metric]));
    }
  }
  out += `  accuracy per fold\n`;
  for (const n of CLASSIFIERS) out += `    ${pad(n, LEFT - 2)}${c[n].leaning.foldAccuracy.map((a) => fixed(a)).join("  ")}\n`;
  out += `\nNeutral phrases (${c.pmpo.neutral.phrases})\n`;
  out += header();
  out += metricLine("kept neutral (share)", CLASSIFIERS.map((n) => c[n].neutral.keptNeutral));
  out += `  ${pad("pushed to PM / PO (phrases)", LEFT)}${CLASSIFIERS.map((n) => right(`${c[n].neutral.predicted["product-manager"]} / ${c[n].neutral.predicted["product-owner"]}`, CELL)).join("")}\n`;
  out += `\n  confusion, all phrases (rows gold, columns predicted)\n`;
  out += matrices(["PM", "PO", "N"], ["PM", "PO", "N"], CLASSIFIERS.map((n) => c[n].confusion.matrix));
  out += `\nPM = product-manager, PO = product-owner, N = neutral\n`;
  return out;
}

/** The plain-text form of an evaluation report. */
export function renderEvaluationText(report: EvaluationReport): string {
  return report.mode === "ads" ? renderAds(report) : renderCrossValidation(report);
}
