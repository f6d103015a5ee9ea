import { createRequire } from "node:module";
import type { ZodObject, ZodType } from "zod";
import { loadZod } from "../zod.js";
import { resultSchemas } from "../score/result.js";
import {
  batchProgressLineSchema,
  batchQuerySchema,
  batchRejectLineSchema,
  batchResultLineSchema,
  batchSummaryLineSchema,
  classifyQuerySchema,
  classifyRequestSchema,
  errorBodySchema,
  healthSchema,
  modelInfoSchema,
} from "./schemas.js";

const z = loadZod();
const { classificationSchema } = resultSchemas();
const VERSION = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a zod schema, as the request or the response sees it. */
function schemaOf(schema: ZodType, io: "input" | "output" = "output"): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Query parameters from an object schema, one per key, each with its own description and default. */
function queryParameters(schema: ZodObject): JsonSchema[] {
  const json = schemaOf(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: "query", required: (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function errors(...statuses: number[]): Record<string, JsonSchema> {
  const words: Record<number, string> = {
    400: "Malformed JSON, invalid UTF-8 or a wrong field or query parameter",
    403: "A Host header that is not this machine",
    404: "No such path",
    405: "Wrong method for the path (the Allow header lists the right ones)",
    408: "The body stopped arriving",
    413: "Body larger than --max-body",
    415: "Wrong content type",
    422: "Text or CSV that cannot be classified (empty, binary, NUL bytes, no text column)",
    431: "Too many or too large headers",
    500: "A bug in pmpo (never with a stack trace)",
    503: "As many batch requests in flight as --max-batches allows (code BUSY); try again after Retry-After seconds",
  };
  const retryAfter = { "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer", minimum: 1 } } };
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { description: words[status] ?? "Error", ...(status === 503 ? { headers: retryAfter } : {}), content: { "application/json": { schema: ref("Error") } } },
    ]),
  );
}

/** The OpenAPI 3.1 document of the API, generated from the zod schemas the server uses. */
export function buildOpenApi(): JsonSchema {
  return {
    openapi: "3.1.0",
    info: {
      title: "pmpo serve",
      version: VERSION,
      description:
        "Says whether a job ad leans product manager, product owner or hybrid, and shows the phrases that made it say so. Local only: the server listens on 127.0.0.1 unless started with --host.",
    },
    paths: {
      "/api/classify": {
        post: {
          summary: "Classify one ad",
          description: "Returns exactly the document `pmpo classify --format json` prints for the same text and title.",
          parameters: queryParameters(classifyQuerySchema),
          requestBody: { required: true, content: { "application/json": { schema: ref("ClassifyRequest") } } },
          responses: {
            "200": {
              description: "The classification (or a report with format=markdown|html)",
              content: {
                "application/json": { schema: ref("Classification") },
                "text/markdown": { schema: { type: "string" } },
                "text/html": { schema: { type: "string" } },
              },
            },
            ...errors(400, 403, 405, 408, 413, 415, 422, 431, 500),
          },
        },
      },
      "/api/batch": {
        post: {
          summary: "Score every listing of a CSV, streamed",
          description:
            "The body is the CSV itself. The answer is NDJSON, streamed: one line per input record in input order (a BatchResultLine, or a BatchRejectLine with `code`), then one BatchSummaryLine; read = scored + rejected. Input that cannot be read as listings at all answers 422 before any line; a stop later on (a record whose end cannot be known, a body that stopped arriving) ends the stream with an Error line instead of the summary.",
          parameters: queryParameters(batchQuerySchema),
          requestBody: { required: true, content: { "text/csv": { schema: { type: "string" } }, "text/tab-separated-values": { schema: { type: "string" } } } },
          responses: {
            "200": {
              description: "One JSON value per line",
              content: {
                "application/x-ndjson": {
                  schema: { oneOf: [ref("BatchResultLine"), ref("BatchRejectLine"), ref("BatchSummaryLine"), ref("BatchProgressLine"), ref("Error")] },
                },
                "text/csv": { schema: { type: "string" } },
              },
            },
            ...errors(400, 403, 405, 415, 422, 431, 500, 503),
          },
        },
      },
      "/api/model": {
        get: { summary: "The model that scores", responses: { "200": { description: "Model", content: { "application/json": { schema: ref("ModelInfo") } } } } },
      },
      "/api/openapi.json": { get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": {} } } } } },
      "/healthz": { get: { summary: "Liveness", responses: { "200": { description: "Up", content: { "application/json": { schema: ref("Health") } } } } } },
      "/": { get: { summary: "The page", responses: { "200": { description: "HTML", content: { "text/html": {} } } } } },
    },
    components: {
      schemas: {
        ClassifyRequest: schemaOf(classifyRequestSchema, "input"),
        Classification: schemaOf(classificationSchema),
        BatchResultLine: schemaOf(batchResultLineSchema),
        BatchRejectLine: schemaOf(batchRejectLineSchema),
        BatchSummaryLine: schemaOf(batchSummaryLineSchema),
        BatchProgressLine: schemaOf(batchProgressLineSchema),
        Error: schemaOf(errorBodySchema),
        ModelInfo: schemaOf(modelInfoSchema),
        Health: schemaOf(healthSchema),
      },
    },
  };
}
