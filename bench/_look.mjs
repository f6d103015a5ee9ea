import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { loadDefaultModel, classify } from "../dist/index.js";
import { maskRoleNames } from "../dist/eval/mask.js";
const [gold, pred] = process.argv.slice(2);
const rows = parse(readFileSync("../shared/jobads/jobads.csv"), { columns: true }).filter((r) => r.gold_label === gold);
const model = loadDefaultModel();
for (const r of rows) {
  const t = maskRoleNames(r.description);
  const c = classify(t, { model });
  if (c.label !== pred) continue;
  console.log(`\n=== ${r.id} ${r.title} -> ${c.label} ${c.summary}`);
  for (const d of c.duties) if (d.leaning !== "none") console.log(`  ${d.leaning.padEnd(15)} ${d.section.slice(0,6)} ${d.vote.toFixed(1).padStart(5)} | ${t.slice(d.start, d.end).replace(/\s+/g, " ").slice(0, 90)} | ${d.highlights.map((i) => c.highlights[i].term + (c.highlights[i].leaning === "product-manager" ? "+" : "-") + c.highlights[i].weight).join(", ")}`);
}
