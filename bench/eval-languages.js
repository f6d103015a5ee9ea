// `node bench/eval-languages.js [file]`: label accuracy and four-label macro-F1 of the built pmpo
// per language on ../shared/jobads/multilingual.csv (its `language` column), role names masked
// in all four languages, no title. Evaluation data only: nothing of the file enters the repository.
// It also reports how often pmpo's detected language equals the file's `language` column. The
// table is the one `pmpo evaluate` prints for a CSV with a language column (src/eval/languages.ts).
import { existsSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { blankMarkup, classify, loadDefaultModel, maskRoleNames } from "../dist/index.js";
import { detectAdLanguage } from "../dist/text/ad-language.js";
import { languageBreakdown, renderLanguageTable } from "../dist/eval/languages.js";
import { LABELS } from "../dist/score/result.js";

const file = process.argv[2] ?? new URL("../../shared/jobads/multilingual.csv", import.meta.url).pathname;
if (!existsSync(file)) {
  console.log(`eval-languages: skipped: ${file} is absent`);
  process.exit(0);
}
const rows = parse(readFileSync(file, "utf8"), { columns: true, bom: true });
const model = loadDefaultModel();
// A row without a gold label counts for detection only, as in pmpo evaluate (same shared logic).
const scored = rows.map((row) => {
  const result = classify(maskRoleNames(row.description), { model, flips: false });
  return { language: row.language, detected: result.language, gold: LABELS.includes(row.gold_label) ? row.gold_label : null, predicted: result.label };
});
process.stdout.write(renderLanguageTable(languageBreakdown(scored)));

// The detector on short text: the first 150, 300 and 600 characters of every ad (labelled or not).
for (const size of [150, 300, 600]) {
  const right = rows.filter((row) => detectAdLanguage(blankMarkup(row.description.slice(0, size))) === row.language).length;
  console.log(`language detection on the first ${size} characters: ${right}/${rows.length} right`);
}
