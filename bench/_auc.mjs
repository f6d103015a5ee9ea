import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { loadDefaultModel, classify } from "../dist/index.js";
import { maskRoleNames } from "../dist/eval/mask.js";
import { rocAuc } from "../dist/eval/metrics.js";
import { titleLeaning } from "../dist/score/title.js";
const rows = parse(readFileSync("../shared/jobads/jobads.csv"), { columns: true });
const model = loadDefaultModel();
const out = rows.map((r) => { const c = classify(maskRoleNames(r.description), { model }); let vpm = 0, vpo = 0;
  for (const d of c.duties) { if (d.leaning === "product-manager") vpm += d.vote; else if (d.leaning === "product-owner") vpo += d.vote; else if (d.leaning === "both") { vpm += d.vote / 2; vpo += d.vote / 2; } }
  return { r, c, vpm, vpo, t: titleLeaning(r.title) }; });
const g = out.filter((o) => ["product-manager-leaning", "product-owner-leaning"].includes(o.r.gold_label));
const t = out.filter((o) => o.r.gold_label && o.r.gold_label !== "insufficient-evidence" && ["product-manager", "product-owner"].includes(o.t));
for (const prior of [0.5, 2, 4]) for (const [name, f] of [["evidence", (o) => (o.c.evidence.productManager + prior) / (o.c.evidence.total + 2 * prior)], ["duty votes", (o) => (o.vpm + prior) / (o.vpm + o.vpo + 2 * prior)]]) {
  console.log(name, prior, rocAuc(g.map(f), g.map((o) => o.r.gold_label === "product-manager-leaning")).toFixed(3), rocAuc(t.map(f), t.map((o) => o.t === "product-manager")).toFixed(3));
}
