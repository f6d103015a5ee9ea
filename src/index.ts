/**
 * pmpo: does a job ad lean product manager, product owner or hybrid, and which phrases say so.
 * Named exports only; nothing here touches the file system except the `load*`/`read*`/`write*`
 * model helpers and the batch reader, which take paths or streams you pass. ESM; from CommonJS,
 * `require("pmpo")` works on Node 20.19+ and 22.12+ (which load ES modules from `require`).
 * The zod schemas are in `pmpo/schemas`: importing this entry does not load zod.
 */
/** Classifies one ad (`classify(text, { model })`), and the type of its options. */
export { classify, type ClassifyOptions } from "./score/classify.js";
/** The types of the result of `classify`, and the four labels (the zod schemas are in `pmpo/schemas`). */
export {
  LABELS,
  type Classification,
  type Highlight,
  type Label,
  type TopPhrase,
  type TitleLeaning,
} from "./score/result.js";
/** The terminal report of one result, as `pmpo classify` prints it: `renderText(text, result, { color })`. */
export { renderText, type TextRenderOptions } from "./highlight/render-text.js";
/** The Markdown report of one result (`--format markdown`): `renderMarkdown(text, result)`. */
export { renderMarkdown } from "./highlight/render-markdown.js";
/** The standalone HTML page of one result (`--format html`; no scripts, no external assets): `renderHtml(text, result, pageTitle?)`. */
export { renderHtml } from "./highlight/render-html.js";
/** The role a job title names, and whether it contradicts the duties' label. */
export { titleLeaning, isTitleMismatch } from "./score/title.js";
/** Trains a model from labelled phrases (pure, deterministic), reads phrase CSV and hashes it. */
export { trainModel, parsePhrases, hashPhrases, type PhraseSet } from "./model/train.js";
/** Checks a parsed model file (schema, then cross-field rules) and writes one byte-identically. */
export { validateModel, serialiseModel } from "./model/validate.js";
/** The types of a model file (its zod schema, the one definition of its shape, is in `pmpo/schemas`). */
export {
  MODEL_FORMAT_VERSION,
  type Model,
  type Phrase,
  type PhraseLabel,
  type Leaning,
  type TrainingSettings,
} from "./model/schema.js";
/** Reads and writes model, phrase and settings files; the default model ships in `models/`. */
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
/** Text preparation: markup blanked with offsets kept, a leading BOM removed. */
export { blankMarkup, stripBom } from "./text/normalise.js";
/** The sections of an ad (intro, responsibilities, requirements, company, benefits, boilerplate, other). */
export { detectSections, SECTION_KINDS, type Section, type SectionKind } from "./text/sections.js";
/** The language of an ad decided by its duties' function words (`en`, `de`, `nl`, `fr`, or `es`, `it`, `pt`, recognised but not read), and the lists behind it. */
export { detectAdLanguage } from "./text/ad-language.js";
/** The languages pmpo recognises and reads, their names, and a guess from a text's words alone. */
export { guessLanguage, LANGUAGES, MODEL_LANGUAGES, LANGUAGE_NAMES, type Language, type ModelLanguage, type DetectedLanguage } from "./text/language.js";
/** Reads the German, Dutch and French phrase files beside an English one (`phrases.de.csv`, …), for `trainModel`. */
export { readLanguagePhrases, languagePhrasesPath } from "./model/io.js";
/** Errors pmpo raises on purpose, each with a stable `code` and a hint. */
export { PmpoError, UsageError, IoError, InputError, ModelError, TrainingDataError, type PmpoErrorCode } from "./errors.js";
/** Scores every record of a CSV byte source in one streaming pass: header, one event per record in input order, then a summary. */
export { scoreRecords, type BatchOptions } from "./batch/score-batch.js";
/** The `shard` option of a batch run: shard `index` of `count` (1-based), the records index, index + count, … */
export type { Shard } from "./batch/shard.js";
/** Events and counts of a batch run; read = scored + rejected. */
export {
  REJECT_CODES,
  type BatchEvent,
  type BatchSummary,
  type HeaderEvent,
  type RecordPlace,
  type RejectCode,
  type RejectedEvent,
  type ScoredEvent,
  type SummaryEvent,
} from "./batch/outcome.js";
/** Running counts of batch events (records read, scored, rejected, per label and per code). */
export { BatchTally } from "./batch/tally.js";
/** Chooses the text, id and title columns from a CSV header, and the names tried by default. */
export { pickColumns, TEXT_COLUMN_NAMES, ID_COLUMN_NAMES, TITLE_COLUMN_NAMES, type ColumnChoice, type ColumnOverrides } from "./batch/columns.js";
/** Lower layers of the batch reader: bytes to UTF-8 (BOM, UTF-16, Latin-1, binary refusal), CSV records with resynchronisation, ad records. */
export { decodeCsvBytes, type DecodeOptions, type DecodeInfo } from "./batch/decode-stream.js";
/** CSV records from UTF-8 bytes with csv-parse, each with its line; a broken record is read to its end and costs only itself. */
export { parseCsvRecords, type CsvRecord, type CsvRecordOptions, type CsvReadStats } from "./batch/csv-records.js";
/** Job-ad records (header, columns, per-record checks) from UTF-8 CSV bytes. */
export { readAdRecords, DEFAULT_MAX_AD_BYTES, type AdRecord, type AdRecordEvent, type AdRecordOptions, type AdReadStats } from "./batch/ad-records.js";
/** Batch output rows: CSV (snake_case columns), JSONL results and JSONL rejects. */
export { CSV_COLUMNS, formatCsvHeader, formatCsvRow, csvField, guardFormula, type CsvFormulas, type CsvRowOptions } from "./batch/csv-output.js";
/** JSONL rows of batch results (classify JSON field names plus id, record, line) and of rejected records. */
export { formatJsonlRow, formatRejectRow } from "./batch/jsonl-output.js";

/** Evaluation on labelled ads: pmpo next to the keyword and Bayes baselines (`pmpo evaluate`). */
export { evaluateAds, type EvaluationRow, type EvaluateOptions } from "./eval/evaluate.js";
/** k-fold cross-validation on training phrases. */
export { crossValidate, type CrossValidationOptions } from "./eval/crossval.js";
/** Replaces role names ("product owner", "PM") in an ad with a placeholder, so scores measure duties. */
export { maskRoleNames } from "./eval/mask.js";
/** Accuracy, per-class precision/recall/F1, macro-F1, confusion matrix and ROC AUC. */
export { classificationMetrics, rocAuc } from "./eval/metrics.js";
/** The type of the evaluation report (`pmpo evaluate --format json`; its schema is in `pmpo/schemas`). */
export { type EvaluationReport } from "./eval/report.js";
