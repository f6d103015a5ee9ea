/**
 * pmpo: does a job ad lean product manager, product owner or hybrid, and which phrases say so.
 * Named exports only; nothing here touches the file system except the `load*`/`read*`/`write*`
 * model helpers and the batch reader, which take paths or streams you pass.
 */
export { classify, matchTerms, type ClassifyOptions } from "./score/classify.js";
export {
  classificationSchema,
  labelSchema,
  highlightSchema,
  LABELS,
  type Classification,
  type Highlight,
  type Label,
  type TopPhrase,
  type TitleLeaning,
} from "./score/result.js";
export { titleLeaning, isTitleMismatch } from "./score/title.js";
export { trainModel, parsePhrases, hashPhrases, type PhraseSet } from "./model/train.js";
export { validateModel, serialiseModel } from "./model/validate.js";
export {
  modelSchema,
  phraseSchema,
  trainingSettingsSchema,
  MODEL_FORMAT_VERSION,
  type Model,
  type Phrase,
  type PhraseLabel,
  type Leaning,
  type TrainingSettings,
} from "./model/schema.js";
export {
  loadModel,
  loadDefaultModel,
  readPhrasesFile,
  readSettingsFile,
  writeModel,
  DEFAULT_MODEL_PATH,
  DEFAULT_PHRASES_PATH,
  DEFAULT_SETTINGS_PATH,
} from "./model/io.js";
export { blankMarkup, stripBom } from "./text/normalise.js";
export { detectSections, SECTION_KINDS, type Section, type SectionKind } from "./text/sections.js";
export { PmpoError, UsageError, IoError, InputError, ModelError, TrainingDataError, type PmpoErrorCode } from "./errors.js";
