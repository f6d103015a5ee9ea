import { describe, expect, it } from "vitest";
import { validateModel, serialiseModel } from "../../src/model/validate.js";
import { readFileSync } from "node:fs";
import { loadModel, loadDefaultModel, parseModelText, sha256, DEFAULT_MODEL_PATH } from "../../src/model/io.js";
import { ModelError, IoError } from "../../src/errors.js";
import { fixture, ROOT } from "../helpers/paths.js";
import type { Model } from "../../src/model/schema.js";

const good = loadDefaultModel();
const mutate = (change: (m: Model) => void): unknown => {
  const copy = JSON.parse(JSON.stringify(good)) as Model;
  change(copy);
  return copy;
};

describe("validateModel", () => {
  it("accepts the shipped model and round-trips it", () => {
    expect(validateModel(JSON.parse(serialiseModel(good)), "m.json")).toEqual(good);
  });

  it.each([
    ["a wrong format", { format: "other" }, 'm.json: not a pmpo model file (no "format": "pmpo-model")'],
    ["a newer format", { format: "pmpo-model", formatVersion: 9 }, "m.json: model format version 9 is newer than this pmpo reads (1)"],
    ["a negative weight", mutate((m) => void (Object.values(m.terms)[0]!.weight = -1)), /m\.json: invalid model: terms\..+\.weight: Too small/],
    ["a missing threshold", mutate((m) => void delete (m.settings.thresholds as Partial<Model["settings"]["thresholds"]>).minDutyVotes), /settings\.thresholds\.minDutyVotes: /],
    ["a threshold without a reason", mutate((m) => void (m.settings.thresholds.hybridShare.reason = "")), /settings\.thresholds\.hybridShare\.reason: /],
    ["a hybrid share above a half", mutate((m) => void (m.settings.thresholds.hybridShare.value = 0.9)), /hybridShare\.value: Too big/],
    ["a role weight for a role pmpo does not know", mutate((m) => void (Object.values(m.terms)[0]!.roles = { "sales-rep": 1 } as never)), /terms\..+\.roles/],
    ["a term of stopwords", mutate((m) => void (m.terms["the"] = { leaning: "product-owner", weight: 1, counts: [0, 1, 0] })), /terms\."the": not a term/],
    ["a bad hash", mutate((m) => void (m.trainingHash = "md5:abc")), /trainingHash: expected sha256/],
  ])("refuses %s, naming the path", (_name, json, message) => {
    expect(() => validateModel(json, "m.json")).toThrow(ModelError);
    expect(() => validateModel(json, "m.json")).toThrow(message);
  });
});

describe("loadModel", () => {
  it.each([
    ["truncated.json", /truncated\.json: not valid JSON/],
    ["not-a-model.json", /not-a-model\.json: not a pmpo model file/],
    ["newer-format.json", /newer-format\.json: model format version 2 is newer than this pmpo reads \(1\)/],
  ])("refuses %s", (file, message) => {
    expect(() => loadModel(fixture("models", file))).toThrow(message);
  });
  it.each([
    ["huge-weight.json", /huge-weight\.json: invalid model: terms\.backlog\.weight: must be at most 100 \(MAX_TERM_WEIGHT\)/],
    ["proto-term.json", /proto-term\.json: invalid model: terms\."__proto__": a key that cannot be read as a term or field/],
    ["extra-term-key.json", /extra-term-key\.json: invalid model: terms\.backlog: Unrecognized key: "note"/],
  ])("refuses %s with a message naming the term", (file, message) => {
    expect(() => loadModel(fixture("models", file))).toThrow(ModelError);
    expect(() => loadModel(fixture("models", file))).toThrow(message);
  });

  it("keeps a term named like an Object.prototype member (constructor is an English stem)", () => {
    const model = loadModel(fixture("models", "constructor-term.json"));
    expect(Object.hasOwn(model.terms, "constructor")).toBe(true);
    expect(model.terms["constructor"]?.weight).toBe(2);
  });

  it("refuses a __proto__ key anywhere in the file, not only among the terms", () => {
    const text = JSON.stringify(good).replace('"settings":{', '"settings":{"__proto__":{"maxNgram":9},');
    expect(() => validateModel(JSON.parse(text), "m.json")).toThrow(/settings\."__proto__"/);
  });

  it("refuses training settings whose maxWeight exceeds the largest term weight", () => {
    expect(() => validateModel(mutate((m) => void (m.settings.maxWeight = 1e308)), "m.json")).toThrow(/settings\.maxWeight: must be at most 100/);
  });

  it("names a missing file", () => {
    expect(() => loadModel("/nonexistent/m.json")).toThrow(IoError);
    expect(() => loadModel("/nonexistent/m.json")).toThrow("/nonexistent/m.json: cannot read model: no such file");
  });
});

describe("the shipped model's validated hash", () => {
  const broken = readFileSync(fixture("models", "huge-weight.json"), "utf8");

  it("trusts a text whose sha256 the build recorded, and validates any other", () => {
    // A file the schema refuses passes untouched only when its hash is the recorded one.
    expect(() => parseModelText(broken, "m.json", sha256(broken))).not.toThrow();
    expect(() => parseModelText(broken, "m.json", null)).toThrow(ModelError);
    expect(() => parseModelText(broken, "m.json", sha256(broken + " "))).toThrow(ModelError);
    const text = readFileSync(DEFAULT_MODEL_PATH, "utf8");
    expect(parseModelText(text, "m.json", sha256(text))).toEqual(parseModelText(text, "m.json", null));
  });

  it("is written into the build by the build step, for the models/default.json it validated", () => {
    const built = readFileSync(`${ROOT}dist/model/shipped-model.js`, "utf8");
    expect(built).toContain(`VALIDATED_DEFAULT_MODEL_SHA256 = "${sha256(readFileSync(DEFAULT_MODEL_PATH, "utf8"))}"`);
  });
});
