// Calls to this host's HTTP API. The API key lives in session storage (this tab only) and travels in the
// X-API-Key header; it never goes into an address. A 401 is announced to the page (the key panel asks for a key).

const KEY = "paraphrase.apiKey";

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An error answer of the API, with the problem details' title and detail. */
export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title || `HTTP ${status}`;
    this.detail = detail || "";
  }
}

function headers(json) {
  const result = { Accept: "application/json" };
  const key = apiKey.get();
  if (key) {
    result["X-API-Key"] = key;
    // The Function App checks the platform's function keys, which it reads from this header.
    result["x-functions-key"] = key;
  }
  if (json) result["Content-Type"] = "application/json";
  return result;
}

async function problemOf(response) {
  try {
    const problem = await response.json();
    return new ApiError(response.status, problem.title, problem.detail);
  } catch {
    return new ApiError(response.status, response.statusText, "");
  }
}

/** The raw response of a call; throws ApiError for any error status. */
export async function call(path, { method = "GET", body } = {}) {
  const sentKey = Boolean(apiKey.get());
  const response = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
    credentials: "omit",
  });
  if (response.ok) return response;
  const error = await problemOf(response);
  if (response.status === 401) {
    error.keySent = sentKey;
    window.dispatchEvent(new CustomEvent("api-unauthorized", { detail: error }));
  }
  throw error;
}

/** A JSON answer (or null when the answer has no body). */
export async function json(path, options) {
  const response = await call(path, options);
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : null;
}

/** A JSON answer, or null when the API says 404 (a file the run does not have yet). */
export async function optionalJson(path) {
  try {
    return await json(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** The URL of a run's file, each path segment escaped. */
export function artifactUrl(runId, path) {
  return `api/pipeline/runs/${encodeURIComponent(runId)}/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`;
}

export const runUrl = (runId) => `api/pipeline/runs/${encodeURIComponent(runId)}`;
