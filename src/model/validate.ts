import { ModelError } from "../errors.js";
import { MODEL_FORMAT_VERSION, modelSchemas, type Model } from "./schema.js";

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? "(root)" : path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".");
}

/**
 * Checks parsed JSON against the model schema and its cross-field rules; throws a ModelError
 * whose message names `source` and the JSON path of each problem.
 */
export function validateModel(json: unknown, source: string): Model {
  if (typeof json !== "object" || json === null || (json as { format?: unknown }).format !== "pmpo-model") {
    throw new ModelError("MODEL_INVALID", `${source}: not a pmpo model file (no "format": "pmpo-model")`, "pass a file written by `pmpo train`");
  }
  const version = (json as { formatVersion?: unknown }).formatVersion;
  if (typeof version === "number" && version > MODEL_FORMAT_VERSION) {
    throw new ModelError(
      "MODEL_VERSION",
      `${source}: model format version ${version} is newer than this pmpo reads (${MODEL_FORMAT_VERSION})`,
      "upgrade pmpo, or retrain the model with this version's `pmpo train`",
    );
  }
  const dropped = droppedKeys(json);
  if (dropped.length > 0) {
    throw new ModelError(
      "MODEL_INVALID",
      `${source}: invalid model: ${dropped.map((path) => `${path}: a key that cannot be read as a term or field`).join("; ")}`,
      "remove it, or retrain with `pmpo train`",
    );
  }
  const parsed = modelSchemas().modelSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : "";
    throw new ModelError("MODEL_INVALID", `${source}: invalid model: ${problems.join("; ")}${more}`, "retrain with `pmpo train`");
  }
  const model = parsed.data;
  const problems = crossFieldProblems(model);
  if (problems.length > 0) {
    throw new ModelError("MODEL_INVALID", `${source}: invalid model: ${problems.slice(0, 5).join("; ")}`, "retrain with `pmpo train`");
  }
  return model;
}

// JSON.parse makes "__proto__" an own key, but zod's record (and any object spread) drops it
// without a word: a model whose file holds such a term would silently score differently from
// what the file says. Checked on the raw JSON, before the schema runs.
const DROPPED_KEYS = ["__proto__"];

function droppedKeys(json: object): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value !== "object" || value === null) return;
    for (const key of DROPPED_KEYS) if (Object.hasOwn(value, key)) found.push(`${path}${path ? "." : ""}${JSON.stringify(key)}`);
    if (Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) if (typeof child === "object" && child !== null) visit(child, `${path}${path ? "." : ""}${key}`);
  };
  visit(json, "");
  return found.slice(0, 5);
}

function crossFieldProblems(model: Model): string[] {
  const problems: string[] = [];
  const { maxNgram } = model.settings;
  const stopwords = new Set(model.stopwords);
  for (const [key, term] of Object.entries(model.terms)) {
    const words = key.split(" ");
    if (words.length > maxNgram || words.some((w) => w === "" || stopwords.has(w))) {
      problems.push(`terms.${JSON.stringify(key)}: not a term of at most ${maxNgram} non-stopword stems`);
    }
    if (!Number.isFinite(term.weight)) problems.push(`terms.${JSON.stringify(key)}.weight: must be finite`);
    if (problems.length >= 5) break;
  }
  if (Object.keys(model.terms).length === 0) problems.push("terms: the model has no terms");
  for (const [language, vocabulary] of Object.entries(model.languages ?? {})) {
    if (!vocabulary) continue;
    const own = new Set(vocabulary.stopwords);
    for (const [key, term] of Object.entries(vocabulary.terms)) {
      const words = key.split(" ");
      if (words.length > maxNgram || words.some((w) => w === "" || own.has(w))) {
        problems.push(`languages.${language}.terms.${JSON.stringify(key)}: not a term of at most ${maxNgram} non-stopword stems`);
      }
      if (!Number.isFinite(term.weight)) problems.push(`languages.${language}.terms.${JSON.stringify(key)}.weight: must be finite`);
      if (problems.length >= 5) return problems;
    }
    if (Object.keys(vocabulary.terms).length === 0) problems.push(`languages.${language}.terms: the ${language} vocabulary has no terms`);
  }
  return problems;
}

/**
 * Serialises a model deterministically: keys in schema order, terms sorted, one term per line,
 * so a diff of `models/default.json` reads like a diff of code.
 */
export function serialiseModel(model: Model): string {
  const { terms, languages, ...rest } = model;
  const head = JSON.stringify(rest, null, 2);
  let text = `${head.slice(0, -2)},\n  "terms": {\n${termLines(terms, "    ")}\n  }`;
  if (languages !== undefined) {
    // Each language's vocabulary as the English one: its small fields first, then one term per line.
    const blocks = Object.keys(languages)
      .sort()
      .map((language) => {
        const { terms: own, ...fields } = languages[language as keyof typeof languages]!;
        const lines = Object.entries(fields).map(([key, value]) => `      ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
        return `    ${JSON.stringify(language)}: {\n${lines.join(",\n")},\n      "terms": {\n${termLines(own, "        ")}\n      }\n    }`;
      });
    text += `,\n  "languages": {\n${blocks.join(",\n")}\n  }`;
  }
  return `${text}\n}\n`;
}

function termLines(terms: Model["terms"], indent: string): string {
  return Object.keys(terms)
    .sort()
    .map((key) => `${indent}${JSON.stringify(key)}: ${JSON.stringify(terms[key])}`)
    .join(",\n");
}
