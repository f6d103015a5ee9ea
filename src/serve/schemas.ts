// The shapes of the HTTP API's requests and responses, as zod schemas: the routes parse with
// them and the OpenAPI document is generated from them, next to the result schema of
// src/score/result.ts, so the documentation cannot drift from what the server does.
import { loadZod } from "../zod.js";
import { modelSchemas } from "../model/schema.js";
import { resultSchemas } from "../score/result.js";
import { REJECT_CODES } from "../batch/outcome.js";

// The same zod the result schemas are built with (see src/zod.ts), so that they compose.
const z = loadZod();
const { otherRoleSchema } = modelSchemas();
const { classificationSchema, highlightSchema, labelSchema } = resultSchemas();

/** Languages the model reads: its tokeniser stems English words (natural's Porter stemmer). */
export const MODEL_LANGUAGES = ["en"] as const;

/** Body of `POST /api/classify`. */
export const classifyRequestSchema = z
  .object({
    text: z.string().describe("The ad: plain text, Markdown or HTML, as `pmpo classify` reads a file."),
    title: z.string().nullable().optional().describe("The job title, to flag a title that names the other role."),
  })
  .strict();

/** Query of `POST /api/classify`. */
export const classifyQuerySchema = z
  .object({
    format: z.enum(["json", "markdown", "html"]).default("json").describe("json: the `classify --format json` document; markdown and html: the reports of `--format markdown|html`."),
  })
  .strict();

const flag = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((v) => v === "true" || v === "1");

/** Query of `POST /api/batch`: the options of `pmpo batch`. */
export const batchQuerySchema = z
  .object({
    textColumn: z.string().min(1).optional().describe("Column holding the ad text (default: description, job_description, text, body or content)."),
    idColumn: z.string().min(1).optional().describe("Column holding the listing id (default: id, job_id or listing_id, else the record number)."),
    titleColumn: z.string().min(1).optional().describe("Column holding the job title (default: title, job_title or position)."),
    delimiter: z
      .enum(["tab", ",", ";", "|"])
      .default(",")
      .transform((d) => (d === "tab" ? "\t" : d))
      .describe("Field delimiter."),
    encoding: z.enum(["utf8", "latin1"]).default("utf8").describe("How to read bytes that are not UTF-8 (a UTF-16 body with a BOM is always read as UTF-16)."),
    highlights: flag.describe("Add every highlighted span to each result line."),
    format: z.enum(["jsonl", "csv"]).default("jsonl").describe("jsonl: NDJSON lines (results, rejects, then the summary); csv: exactly the CSV `pmpo batch` writes (results only)."),
    csvFormulas: z.enum(["guard", "allow"]).default("guard").describe("CSV output: guard cells that start like a formula with a leading '."),
    progress: flag.describe("NDJSON only: also send `{\"progress\": {\"records\", \"bytes\"}}` lines, at most every 200 ms (the page uses this)."),
  })
  .strict();

/** One scored record of a batch: the fields of a `pmpo batch --format jsonl` line. */
export const batchResultLineSchema = classificationSchema
  .pick({ label: true, confidence: true, pmShare: true, evidence: true, summary: true, dutyCounts: true, titleMismatch: true, title: true, topPhrases: true, model: true, inputLength: true, language: true })
  .extend({
    id: z.string().describe("The id column's value, or the record number as text."),
    record: z.number().int().min(1).describe("Record number among data records (1-based; the header is not counted)."),
    line: z.number().int().min(2).describe("Line where the record starts (the header is line 1)."),
    otherRole: otherRoleSchema.nullable(),
    highlights: z.array(highlightSchema).optional().describe("With highlights=true only."),
  })
  .strict();

/** One rejected record of a batch: the fields of a `pmpo batch --rejects` line. */
export const batchRejectLineSchema = z
  .object({
    line: z.number().int().min(1),
    record: z.number().int().min(1),
    code: z.enum(REJECT_CODES as [string, ...string[]]),
    message: z.string(),
    raw: z.string().describe("The record's text as it stood in the input (at most 64 Ki characters)."),
    rawTruncated: z.boolean(),
  })
  .strict();

/** The last line of a batch that was read to its end; read = scored + rejected. */
export const batchSummaryLineSchema = z
  .object({
    summary: z
      .object({
        read: z.number().int().min(0),
        scored: z.number().int().min(0),
        rejected: z.number().int().min(0),
        labels: z.record(labelSchema, z.number().int().min(0)),
        rejects: z.partialRecord(z.enum(REJECT_CODES as [string, ...string[]]), z.number().int().min(1)),
        blankLines: z.number().int().min(0),
        lines: z.number().int().min(0),
        bytes: z.number().int().min(0),
      })
      .strict(),
  })
  .strict();

/** A progress line (with progress=true). */
export const batchProgressLineSchema = z
  .object({ progress: z.object({ records: z.number().int().min(0), bytes: z.number().int().min(0) }).strict() })
  .strict();

/** The body of every error response, and the last line of a batch that stopped early. */
export const errorBodySchema = z
  .object({
    error: z
      .object({
        code: z.string().describe("Stable: branch on it, not on the message."),
        message: z.string().describe("What went wrong and what to do."),
      })
      .strict(),
  })
  .strict();

/** Body of `GET /api/model`. */
export const modelInfoSchema = z
  .object({ name: z.string(), version: z.string(), trainingHash: z.string(), languages: z.array(z.string()) })
  .strict();

/** Body of `GET /healthz`. */
export const healthSchema = z.object({ status: z.literal("ok") }).strict();
