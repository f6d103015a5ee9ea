import { Command } from "commander";
import { resolve } from "node:path";
import { DEFAULT_MODEL_PATH, DEFAULT_PHRASES_PATH, DEFAULT_SETTINGS_PATH, readPhrasesFile, readSettingsFile, writeModel } from "../model/io.js";
import { trainModel } from "../model/train.js";
import { EXIT, writeOut, type CliIo } from "./io.js";

interface TrainFlags {
  phrases?: string;
  settings?: string;
  out?: string;
}

/** `pmpo train`: labelled phrases and settings in, a model file out. */
export function trainCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("train")
    .description("train a model from labelled phrases (default: rebuild models/default.json)")
    .option("-p, --phrases <path>", "training phrases CSV with columns label,phrase (default: models/phrases.csv)")
    .option("-s, --settings <path>", "training settings JSON (default: models/settings.json)")
    .option("-o, --out <path>", "where to write the model (default: models/default.json)")
    .addHelpText("after", "\nTraining is deterministic: the same phrases and settings give a byte-identical model.\n\nExample:\n  pmpo train --phrases my-phrases.csv --out my-model.json")
    .action(async (flags: TrainFlags) => {
      const at = (path: string | undefined, fallback: string) => (path ? resolve(io.cwd, path) : fallback);
      const phrasesPath = at(flags.phrases, DEFAULT_PHRASES_PATH);
      const { phrases, warnings } = readPhrasesFile(phrasesPath);
      for (const warning of warnings) await writeOut(io.stderr, `pmpo: warning: ${warning}\n`);
      const model = trainModel(phrases, readSettingsFile(at(flags.settings, DEFAULT_SETTINGS_PATH)));
      const out = at(flags.out, DEFAULT_MODEL_PATH);
      writeModel(out, model);
      const { productManager, productOwner, neutral } = model.phraseCounts;
      await writeOut(
        io.stderr,
        `pmpo: trained ${model.name} ${model.version}: ${Object.keys(model.terms).length} terms from ${productManager} product manager, ${productOwner} product owner and ${neutral} neutral phrases → ${out}\n`,
      );
      setExit(EXIT.ok);
    });
}
