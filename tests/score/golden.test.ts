// Golden files: what classify says of each fixture ad, in the words a recruiter reads (label,
// duty summary, confidence, other role, counterfactual) and each duty with its leaning. A person
// reviews every change to tests/golden/ (update with `npx vitest run -u tests/score/golden.test.ts`).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { confidenceLine, flipLine, otherRoleLine } from "../../src/highlight/segments.js";
import { loadDefaultModel } from "../../src/model/io.js";
import { classify } from "../../src/score/classify.js";
import { fixture } from "../helpers/paths.js";

const model = loadDefaultModel();
const ADS = readdirSync(fixture("ads")).filter((f) => f !== "README.md");

function golden(text: string): string {
  const result = classify(text, { model });
  const lines = [`${result.label}`, result.summary, confidenceLine(result), otherRoleLine(result) ?? "(no other role)", flipLine(result), ""];
  for (const duty of result.duties) {
    if (duty.leaning === "none") continue;
    const what = duty.leaning === "other-role" ? `other-role:${duty.role}` : duty.leaning;
    lines.push(`${what.padEnd(28)} ${duty.section.padEnd(16)} ${duty.vote.toFixed(2).padStart(6)}  ${text.slice(duty.start, duty.end).replace(/\s+/g, " ").slice(0, 100)}`);
  }
  return `${lines.join("\n")}\n`;
}

describe("golden: classify of each fixture ad", () => {
  it.each(ADS)("%s", async (name) => {
    await expect(golden(readFileSync(fixture("ads", name), "utf8"))).toMatchFileSnapshot(`../golden/${name.replace(/(\.html)?(\.txt)?$/, "")}.txt`);
  });
});
