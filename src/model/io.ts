import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { IoError, ModelError, TrainingDataError } from "../errors.js";
import { MODEL_LANGUAGES, type ModelLanguage } from "../text/language.js";
import { modelSchemas, type Model, type Phrase, type TrainingSettings } from "./schema.js";
import { VALIDATED_DEFAULT_MODEL_SHA256 } from "./shipped-model.js";
import { parsePhrases, type PhraseSet } from "./train.js";
import { validateModel, serialiseModel } from "./validate.js";

/** Folder of the shipped model and its training data. */
export const MODELS_DIR = fileURLToPath(new URL("../../models/", import.meta.url));
/** Path of the shipped default model. */
export const DEFAULT_MODEL_PATH = `${MODELS_DIR}default.json`;
/** Path of the shipped training phrases. */
export const DEFAULT_PHRASES_PATH = `${MODELS_DIR}phrases.csv`;
/** Path of the shipped training settings. */
export const DEFAULT_SETTINGS_PATH = `${MODELS_DIR}settings.json`;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (error as Error).message;
    throw new IoError(`${path}: cannot read ${what}: ${why}`);
  }
}

function parseJson(text: string, path: string, onError: (message: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw onError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
}

/** Largest model file `loadModel` reads, in bytes (16 MiB; the shipped model is about 30 KB). */
export const MAX_MODEL_BYTES = 16 * 1024 * 1024;

/** Reads and validates a model file; one over `MAX_MODEL_BYTES` is refused before it is read. */
export function loadModel(path: string): Model {
  return parseModelText(readModelText(path), path, null);
}

function readModelText(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    // readText says why the file cannot be read.
    size = 0;
  }
  if (size > MAX_MODEL_BYTES) {
    throw new ModelError("MODEL_INVALID", `${path}: the model file is ${size} bytes, more than the limit of ${MAX_MODEL_BYTES} (16 MiB)`, "pass a file written by `pmpo train`: those are far smaller");
  }
  return readText(path, "model");
}

let defaultModel: Model | undefined;

/** The model shipped with pmpo (`models/default.json`), read once and cached. */
export function loadDefaultModel(): Model {
  defaultModel ??= parseModelText(readModelText(DEFAULT_MODEL_PATH), DEFAULT_MODEL_PATH, VALIDATED_DEFAULT_MODEL_SHA256);
  return defaultModel;
}

/**
 * A model from its file's text: trusted as it is when its sha256 is `validatedSha256` (the
 * shipped model, which the build validated: the schema's check is most of a CLI call's start-up),
 * validated otherwise (any other model, or a shipped file changed since the build).
 */
export function parseModelText(text: string, path: string, validatedSha256: string | null): Model {
  const json = parseJson(text, path, (m) => new ModelError("MODEL_INVALID", m, "pass a file written by `pmpo train`"));
  if (validatedSha256 !== null && sha256(text) === validatedSha256) return json as Model;
  return validateModel(json, path);
}

/** sha256 of a text's UTF-8 bytes, in hex. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Reads training phrases from a CSV file. */
export function readPhrasesFile(path: string): PhraseSet {
  return parsePhrases(readText(path, "training phrases"), path);
}

/**
 * Where the phrases of a language other than English are, beside an English phrases file:
 * `phrases.csv` gives `phrases.de.csv`, `phrases.nl.csv`, `phrases.fr.csv`.
 */
export function languagePhrasesPath(phrasesPath: string, language: ModelLanguage): string {
  return phrasesPath.replace(/(\.csv)?$/i, `.${language}.csv`);
}

/** Reads the German, Dutch and French phrases found beside an English phrases file (each file is optional). */
export function readLanguagePhrases(phrasesPath: string): { phrases: Partial<Record<ModelLanguage, Phrase[]>>; warnings: string[] } {
  const phrases: Partial<Record<ModelLanguage, Phrase[]>> = {};
  const warnings: string[] = [];
  for (const language of MODEL_LANGUAGES) {
    const path = languagePhrasesPath(phrasesPath, language);
    if (!existsSync(path)) continue;
    const set = readPhrasesFile(path);
    phrases[language] = set.phrases;
    warnings.push(...set.warnings);
  }
  return { phrases, warnings };
}

/** Reads training settings from a JSON file. */
export function readSettingsFile(path: string): TrainingSettings {
  const json = parseJson(readText(path, "training settings"), path, (m) => new TrainingDataError(m));
  const parsed = modelSchemas().trainingSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrainingDataError(`${path}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** Writes a model atomically: a temporary file renamed over the target (through symlinks; devices directly). */
export function writeModel(path: string, model: Model): void {
  // Through a symlink, its target is written (the link stays); a device or pipe is written as it is.
  let target = path;
  try {
    target = realpathSync(path);
    if (!statSync(target).isFile()) {
      writeFileSync(path, serialiseModel(model));
      return;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new IoError(`${path}: cannot write model: ${(error as Error).message}`);
  }
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, serialiseModel(model));
    renameSync(temporary, target);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
    throw new IoError(`${path}: cannot write model: ${(error as Error).message}`);
  }
}
