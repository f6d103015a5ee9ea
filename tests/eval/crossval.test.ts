import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { countKeywords, keywordPhraseLabel } from "../../src/eval/baselines.js";
import { assignFolds, crossValidate, pmpoPhraseLabel, seededRandom } from "../../src/eval/crossval.js";
import { crossValidationReportSchema } from "../../src/schemas.js";
import { readSettingsFile } from "../../src/model/io.js";
import { parsePhrases, trainModel } from "../../src/model/train.js";
import type { Phrase } from "../../src/model/schema.js";

const evalFixture = (name: string) => fixture("eval", name);
const { phrases } = parsePhrases(readFileSync(evalFixture("phrases-small.csv"), "utf8"), "phrases-small.csv");
const settings = readSettingsFile(evalFixture("settings.json"));
const options = { folds: 4, seed: 7, settings, source: "phrases-small.csv" };

describe("seededRandom", () => {
  it("repeats for a seed and differs between seeds", () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    for (const x of draw(3)) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe("assignFolds", () => {
  it("deals each class evenly over the folds", () => {
    const folds = assignFolds(phrases, 3, 1);
    for (const label of ["product-manager", "product-owner", "neutral"] as const) {
      const sizes = [0, 1, 2].map((k) => phrases.filter((p, i) => p.label === label && folds[i] === k).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it("is deterministic, and does not depend on the order of the lines", () => {
    const byPhrase = (list: readonly Phrase[], folds: number[]) => new Map(list.map((p, i) => [p.phrase, folds[i]]));
    const reversed = [...phrases].reverse();
    expect(assignFolds(phrases, 4, 9)).toEqual(assignFolds(phrases, 4, 9));
    expect(byPhrase(reversed, assignFolds(reversed, 4, 9))).toEqual(byPhrase(phrases, assignFolds(phrases, 4, 9)));
  });

  it("changes with the seed", () => {
    expect(assignFolds(phrases, 4, 1)).not.toEqual(assignFolds(phrases, 4, 2));
  });

  it("refuses fewer than two folds", () => {
    expect(() => assignFolds(phrases, 1, 1)).toThrow(/at least 2/);
  });
});

describe("pmpoPhraseLabel", () => {
  const model = trainModel(phrases, settings);
  it.each([
    ["Write user stories for the sprint", "product-owner"],
    ["Own the product vision and the roadmap", "product-manager"],
    ["Zebras and quokkas", "neutral"],
  ] as const)("%j → %s", (phrase, label) => {
    expect(pmpoPhraseLabel(phrase, model).label).toBe(label);
  });

  it("gives a phrase without evidence a pmShare of one half", () => {
    expect(pmpoPhraseLabel("Zebras and quokkas", model).pmShare).toBe(0.5);
  });
});

describe("crossValidate", () => {
  const report = crossValidate(phrases, options);

  it("is deterministic: the same phrases and seed give the same report", () => {
    expect(crossValidate(phrases, options)).toEqual(report);
    expect(crossValidate([...phrases].reverse(), options)).toEqual(report);
  });

  it("measures the product sides only: other roles' phrases stay in training and are not predicted", () => {
    const withRoles: Phrase[] = [
      ...phrases,
      { label: "scrum-master", phrase: "Facilitate the retrospectives" },
      { label: "scrum-master", phrase: "Remove impediments for the team" },
    ];
    const roles = crossValidate(withRoles, options);
    expect(roles.phrases).toEqual(report.phrases);
    expect(roles.classifiers.pmpo.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(40);
  });

  it("gives a report the schema accepts, with every phrase predicted once", () => {
    expect(crossValidationReportSchema.parse(report)).toEqual(report);
    expect(report.phrases).toEqual({ productManager: 16, productOwner: 16, neutral: 8 });
    for (const name of ["pmpo", "keywords", "bayes"] as const) {
      const m = report.classifiers[name];
      expect(m.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(phrases.length);
      expect(m.leaning.phrases).toBe(32);
      expect(m.neutral.phrases).toBe(8);
      expect(m.leaning.foldAccuracy).toHaveLength(4);
    }
  });

  it("scores the keyword counter as it reads each phrase (it has nothing to train)", () => {
    const leaning = phrases.filter((p) => p.label !== "neutral");
    const right = leaning.filter((p) => keywordPhraseLabel(p.phrase) === p.label).length;
    expect(report.classifiers.keywords.leaning.accuracy).toBeCloseTo(right / leaning.length, 4);
    const given = leaning.filter((p) => {
      const hits = countKeywords(p.phrase);
      return hits.productManager !== hits.productOwner;
    }).length;
    expect(report.classifiers.keywords.leaning.coverage).toBeCloseTo(given / leaning.length, 4);
  });

  it("refuses more folds than the smaller side has phrases", () => {
    expect(() => crossValidate(phrases, { ...options, folds: 17 })).toThrow(/17 folds/);
  });
});
