// The OpenAPI document is generated from the schemas the server parses and answers with; real
// answers validate against it (with a JSON Schema validator, not zod), so it cannot drift.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classificationSchema } from "../../src/schemas.js";
import { fixtureText, LISTINGS, ndjson, testApp } from "./helpers.js";

let app: FastifyInstance;
let doc: { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, object> } };
let ajv: Ajv2020;
beforeAll(async () => {
  app = testApp();
  doc = JSON.parse((await app.inject({ method: "GET", url: "/api/openapi.json" })).body);
  ajv = new Ajv2020({ strict: false, allErrors: true });
  for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema, name);
});
afterAll(async () => {
  await app.close();
});

function expectValid(name: string, value: unknown): void {
  const validate = ajv.getSchema(name);
  if (!validate) throw new Error(`no schema ${name}`);
  const ok = validate(value);
  expect(ok, `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

describe("GET /api/openapi.json", () => {
  it("is OpenAPI 3.1 with every route and its methods", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(["/", "/api/batch", "/api/classify", "/api/model", "/api/openapi.json", "/healthz"]);
    expect(Object.keys(doc.paths["/api/classify"]!)).toEqual(["post"]);
    expect(Object.keys(doc.paths["/api/batch"]!)).toEqual(["post"]);
    const params = (doc.paths["/api/batch"]!.post as { parameters: Array<{ name: string }> }).parameters.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(["textColumn", "idColumn", "titleColumn", "delimiter", "highlights"]));
  });

  it("lists the 503 of a busy server for /api/batch, with its Retry-After header", () => {
    const responses = (doc.paths["/api/batch"]!.post as { responses: Record<string, { headers?: Record<string, { schema: unknown }> }> }).responses;
    expect(responses["503"]?.headers?.["Retry-After"]?.schema).toEqual({ type: "integer", minimum: 1 });
    expect(Object.keys((doc.paths["/api/classify"]!.post as { responses: object }).responses)).not.toContain("503");
  });

  it("describes the classification with every field of the zod schema, required as there", () => {
    const schema = doc.components.schemas.Classification as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(Object.keys(classificationSchema.shape));
    expect(schema.required.sort()).toEqual(Object.keys(classificationSchema.shape).sort());
  });

  it("validates real answers: a classification, batch lines of every kind, errors, the model", async () => {
    const res = await app.inject({ method: "POST", url: "/api/classify", headers: { "content-type": "application/json" }, payload: { text: fixtureText("ads", "hybrid-startup-pm-po.txt"), title: "Product Owner" } });
    expectValid("Classification", JSON.parse(res.body));
    const batch = await app.inject({ method: "POST", url: "/api/batch?highlights=true&progress=true", headers: { "content-type": "text/csv" }, payload: readFileSync(LISTINGS) });
    const kinds = new Set<string>();
    for (const line of ndjson(batch.body)) {
      const kind = "summary" in line && typeof line.summary === "object" ? "BatchSummaryLine" : "progress" in line ? "BatchProgressLine" : "code" in line ? "BatchRejectLine" : "BatchResultLine";
      kinds.add(kind);
      expectValid(kind, line);
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["BatchRejectLine", "BatchResultLine", "BatchSummaryLine"]));
    expectValid("Error", JSON.parse((await app.inject({ method: "POST", url: "/api/classify", headers: { "content-type": "application/json" }, payload: "{" })).body));
    expectValid("ModelInfo", JSON.parse((await app.inject({ method: "GET", url: "/api/model" })).body));
    expectValid("Health", JSON.parse((await app.inject({ method: "GET", url: "/healthz" })).body));
  });

  it("rejects what the server would reject: the schemas are not just `any`", () => {
    const validate = ajv.getSchema("ClassifyRequest")!;
    expect(validate({ text: "x" })).toBe(true);
    expect(validate({ text: 1 })).toBe(false);
    expect(validate({ text: "x", titel: "PM" })).toBe(false);
    expect(ajv.getSchema("BatchResultLine")!({ id: "1" })).toBe(false);
  });
});
