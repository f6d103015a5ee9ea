import { PmpoError } from "../errors.js";

/** Error codes of the HTTP API's `{"error": {"code", "message"}}` bodies besides pmpo's own (`INPUT_EMPTY`, `CSV_FORMAT`, ...). */
export type ApiErrorCode =
  | "BAD_JSON"
  | "INVALID_UTF8"
  | "BAD_REQUEST"
  | "HOST_NOT_ALLOWED"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "REQUEST_TIMEOUT"
  | "BODY_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "TOO_MANY_HEADERS"
  | "SERVER_STOPPING"
  | "BUSY"
  | "INTERNAL";

/** An error the API answers with its own status and code, and any headers of its own (`Retry-After`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, code: ApiErrorCode, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}

// pmpo's errors from input it cannot classify are the client's: the request was well formed, the text is not an ad.
const UNPROCESSABLE = new Set(["INPUT_EMPTY", "INPUT_BINARY", "INPUT_ENCODING", "INPUT_TOO_LARGE", "NO_TEXT_COLUMN", "CSV_FORMAT"]);

// Fastify's own errors, by code: the status they carry is kept, the code and message made ours.
const FASTIFY_CODES: Record<string, [number, ApiErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, "UNSUPPORTED_MEDIA_TYPE", "unsupported content type"],
  FST_ERR_CTP_INVALID_TYPE: [415, "UNSUPPORTED_MEDIA_TYPE", "the content type must be a string"],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, "BODY_TOO_LARGE", "the request body is larger than the limit"],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, "BAD_REQUEST", "the body's length differs from its Content-Length"],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "BAD_JSON", "the body is empty; send a JSON object"],
};

/** Status and body for anything thrown while answering; unknown errors are 500 with no detail (the caller logs them). */
export function describeError(error: unknown, limits: { maxBodyBytes: number }): { status: number; body: ErrorBody; internal: boolean; headers?: Readonly<Record<string, string>> } {
  if (error instanceof ApiError) return { status: error.status, body: { error: { code: error.code, message: error.message } }, internal: false, headers: error.headers };
  if (error instanceof PmpoError) {
    const status = UNPROCESSABLE.has(error.code) ? 422 : 400;
    return { status, body: { error: { code: error.code, message: error.toLine() } }, internal: false };
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code in FASTIFY_CODES) {
    const [status, ours, message] = FASTIFY_CODES[code] as [number, ApiErrorCode, string];
    const detail =
      ours === "BODY_TOO_LARGE"
        ? `${message} of ${limits.maxBodyBytes} bytes (the server's --max-body)`
        : ours === "UNSUPPORTED_MEDIA_TYPE"
          ? `${message}: POST /api/classify takes application/json, POST /api/batch text/csv or text/tab-separated-values`
          : message;
    return { status, body: { error: { code: ours, message: detail } }, internal: false };
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { status, body: { error: { code: "BAD_REQUEST", message: (error as Error).message } }, internal: false };
  }
  return { status: 500, body: { error: { code: "INTERNAL", message: "internal error (a bug in pmpo; the server's standard error has the details)" } }, internal: true };
}
