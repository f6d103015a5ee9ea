// `node bench/eval-languages.js [file]`: label accuracy and four-label macro-F1 of the built pmpo
// per language on ../shared/jobads/multilingual.csv (its `language` column), role names masked
// in all four languages, no title. Evaluation data only: nothing of the file enters the repository.
// It also reports how often pmpo's detected language equals the file's `language` column.
import { existsSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { blankMarkup, classify, classificationMetrics, loadDefaultModel, maskRoleNames } from "../dist/index.js";
import { detectAdLanguage } from "../dist/text/ad-language.js";

const file = process.argv[2] ?? new URL("../../shared/jobads/multilingual.csv", import.meta.url).pathname;
if (!existsSync(file)) {
  console.log(`eval-languages: skipped: ${file} is absent`);
  process.exit(0);
}
const rows = parse(readFileSync(file, "utf8"), { columns: true, bom: true });
const model = loadDefaultModel();
const LABELS = ["product-manager-leaning", "product-owner-leaning", "hybrid", "insufficient-evidence"];
const groups = new Map([["all", []]]);
let skipped = 0;
for (const row of rows) {
  // A row without a gold label is left out and counted, as pmpo evaluate does.
  if (!LABELS.includes(row.gold_label)) {
    skipped++;
    continue;
  }
  const result = classify(maskRoleNames(row.description), { model, flips: false });
  const scored = { gold: row.gold_label, predicted: result.label, language: row.language, detected: result.language };
  groups.get("all").push(scored);
  if (!groups.has(row.language)) groups.set(row.language, []);
  groups.get(row.language).push(scored);
}
const fmt = (x) => (x === null ? "n/a" : x.toFixed(2));
console.log("language  ads  accuracy  macro-F1  detected right");
for (const [language, scored] of [...groups].sort(([a], [b]) => (a === "all" ? 1 : b === "all" ? -1 : a < b ? -1 : 1))) {
  const m = classificationMetrics(scored.map((s) => s.gold), scored.map((s) => s.predicted), LABELS);
  const detected = scored.filter((s) => s.detected === s.language).length;
  console.log(`${language.padEnd(8)}  ${String(scored.length).padStart(3)}  ${fmt(m.accuracy).padStart(8)}  ${fmt(m.macroF1).padStart(8)}  ${detected}/${scored.length}`);
}
if (skipped > 0) console.log(`(${skipped} row(s) without a gold label left out)`);

// The detector on short text: the first 150, 300 and 600 characters of every ad (labelled or not).
for (const size of [150, 300, 600]) {
  const right = rows.filter((row) => detectAdLanguage(blankMarkup(row.description.slice(0, size))) === row.language).length;
  console.log(`language detection on the first ${size} characters: ${right}/${rows.length} right`);
}
