import { Command } from "commander";
import { realpathSync } from "node:fs";
import { basename, extname, resolve, sep } from "node:path";
import { PmpoError, TrainingDataError, UsageError } from "../errors.js";
import { isSameFile } from "../batch/atomic-file.js";
import { DEFAULT_MODEL_PATH, DEFAULT_PHRASES_PATH, DEFAULT_SETTINGS_PATH, MODELS_DIR, readLanguagePhrases, readPhrasesFile, readSettingsFile, writeModel } from "../model/io.js";
import { trainModel } from "../model/train.js";
import { serialiseModel, validateModel } from "../model/validate.js";
import { EXIT, writeOut, type CliIo } from "./io.js";

interface TrainFlags {
  phrases?: string;
  settings?: string;
  out?: string;
  name?: string;
}

/** The name of the shipped model: only a model trained from the shipped phrases and settings may carry it. */
export const DEFAULT_MODEL_NAME = "default";

const NAME = /^[a-z0-9][a-z0-9-]*$/;

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/** A model name from a file name: `My Model.json` gives `my-model`. */
export function nameFromPath(path: string): string {
  return basename(path, extname(path))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Whether pmpo runs from an installed package (its models folder is inside a node_modules folder). */
export function isInstalledPackage(modelsDir: string = MODELS_DIR): boolean {
  return modelsDir.split(sep).includes("node_modules");
}

/** `pmpo train`: labelled phrases and settings in, a model file out. */
export function trainCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("train")
    .description("train a model from labelled phrases (without --out: rebuild models/default.json in a source checkout)")
    .option("-p, --phrases <path>", "training phrases CSV with columns label,phrase (default: models/phrases.csv)")
    .option("-s, --settings <path>", "training settings JSON (default: models/settings.json)")
    .option("-o, --out <path>", "where to write the model; needed unless rebuilding the shipped model from the shipped phrases and settings in a source checkout")
    .option("-n, --name <name>", "the model's name, carried by every result it makes (default: from the settings, or from the --out file name when the settings are the shipped ones)")
    .addHelpText(
      "after",
      `
Training is deterministic: the same phrases and settings give a byte-identical model.

German, Dutch and French phrases sit beside the English ones, named after them: with
--phrases my-phrases.csv, train also reads my-phrases.de.csv, my-phrases.nl.csv and
my-phrases.fr.csv when they exist (same columns), and the model reads those languages; an ad in
a language the model has no phrases for is insufficient-evidence, with a summary that says so.

Without --out, train rebuilds models/default.json, and only from the shipped phrases and
settings in a source checkout of pmpo: an installed package (inside node_modules) is never
written to, and a model trained from other phrases or settings needs --out. The name "default"
belongs to the shipped model: a model from other phrases takes its name from --name, its
settings, or the --out file name (my-model.json gives my-model). Phrases that yield no terms are
refused (exit 2): such a model could classify nothing.

Examples:
  pmpo train --phrases my-phrases.csv --out my-model.json
  pmpo train --phrases my-phrases.csv --settings my-settings.json --out models/v2.json --name team-v2`,
    )
    .action(async (flags: TrainFlags) => {
      const at = (path: string | undefined, fallback: string) => (path ? resolve(io.cwd, path) : fallback);
      const phrasesPath = at(flags.phrases, DEFAULT_PHRASES_PATH);
      const settingsPath = at(flags.settings, DEFAULT_SETTINGS_PATH);
      const shipped = samePath(phrasesPath, DEFAULT_PHRASES_PATH) && samePath(settingsPath, DEFAULT_SETTINGS_PATH);
      if (flags.out === undefined) {
        if (isInstalledPackage()) {
          throw new UsageError(`pass --out: pmpo is installed as a package (${MODELS_DIR}), and train never writes inside it`, "pmpo train --phrases my-phrases.csv --out my-model.json");
        }
        if (!shipped) {
          throw new UsageError("pass --out: a model trained from other phrases or settings must not replace the shipped models/default.json", "pmpo train --phrases my-phrases.csv --out my-model.json");
        }
      }
      const out = at(flags.out, DEFAULT_MODEL_PATH);
      for (const [what, input] of [
        ["--phrases", phrasesPath],
        ["--settings", settingsPath],
      ] as const) {
        if (await isSameFile(out, input)) throw new UsageError(`--out ${flags.out ?? out} is the ${what} file: writing it would destroy it`, "write the model elsewhere");
      }

      const { phrases, warnings } = readPhrasesFile(phrasesPath);
      const languages = readLanguagePhrases(phrasesPath);
      for (const warning of [...warnings, ...languages.warnings]) await writeOut(io.stderr, `pmpo: warning: ${warning}\n`);
      const settings = readSettingsFile(settingsPath);
      let name = flags.name ?? (shipped || settings.name !== DEFAULT_MODEL_NAME ? settings.name : nameFromPath(out));
      if (!NAME.test(name)) {
        throw new UsageError(
          flags.name === undefined ? `cannot make a model name from ${JSON.stringify(basename(out))}` : `--name ${JSON.stringify(flags.name)} is not a model name`,
          "pass --name with lower-case letters, digits and dashes, e.g. --name my-model",
        );
      }
      if (!shipped && name === DEFAULT_MODEL_NAME) {
        throw new UsageError(`the name "${DEFAULT_MODEL_NAME}" belongs to the shipped model, and this one is trained from other phrases or settings`, "pass --name, e.g. --name my-model");
      }
      name = name.trim();
      const model = trainNaming(phrasesPath, () => trainModel(phrases, { ...settings, name }, languages.phrases));
      // The same checks `classify` makes when it loads the file, made before the file exists.
      try {
        validateModel(JSON.parse(serialiseModel(model)), out);
      } catch (error) {
        if (!(error instanceof PmpoError)) throw error;
        throw new TrainingDataError(`the trained model would not load: ${error.message}`, "check the phrases and settings");
      }
      writeModel(out, model);
      const { productManager, productOwner, neutral } = model.phraseCounts;
      const others = Object.entries(model.languages ?? {}).map(([language, v]) => `; ${language}: ${Object.keys(v.terms).length} terms from ${v.phraseCounts.productManager} + ${v.phraseCounts.productOwner} + ${v.phraseCounts.neutral} phrases`);
      await writeOut(
        io.stderr,
        `pmpo: trained ${model.name} ${model.version}: ${Object.keys(model.terms).length} terms from ${productManager} product manager, ${productOwner} product owner and ${neutral} neutral phrases${others.join("")} → ${out}\n`,
      );
      setExit(EXIT.ok);
    });
}

// Training errors name the phrases file they come from.
function trainNaming<T>(phrasesPath: string, train: () => T): T {
  try {
    return train();
  } catch (error) {
    if (error instanceof TrainingDataError) throw new TrainingDataError(`${phrasesPath}: ${error.message}`, error.hint);
    throw error;
  }
}
