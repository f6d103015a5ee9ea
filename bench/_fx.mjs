import { readFileSync } from "node:fs";
import { loadDefaultModel, classify } from "../dist/index.js";
const model = loadDefaultModel();
for (const f of process.argv.slice(2)) {
  const t = readFileSync(`fixtures/ads/${f}.txt`, "utf8");
  const c = classify(t, { model });
  console.log(`\n=== ${f} -> ${c.label} ${c.otherRole?.role ?? ""} ${c.summary}`);
  const m = model.terms;
  for (const d of c.duties) if (d.leaning !== "none") console.log(`  ${(d.leaning + (d.role ? ":" + d.role : "")).padEnd(28)} ${d.section.slice(0,6)} ${d.vote.toFixed(1).padStart(5)} ${d.evidence.otherRole.toFixed(1)} | ${t.slice(d.start, d.end).replace(/\s+/g, " ").slice(0, 80)} | ${d.highlights.map((i) => c.highlights[i].term + (c.highlights[i].leaning === "product-manager" ? "+" : "-") + c.highlights[i].weight + (m[c.highlights[i].term].roles ? JSON.stringify(m[c.highlights[i].term].roles) : "")).join(", ")}`);
}
