// A small client for the local Worker's HTTP API, shared by the demo scripts.

/** An error response of the API (`{ error: { code, message } }`) or a failed request. */
export class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }

  toString() {
    return `${this.code}${this.status ? ` (HTTP ${this.status})` : ""}: ${this.message}`;
  }
}

/**
 * Returns `request(method, path, body?, headers?)`, which sends JSON to `baseUrl` with the API key
 * as a bearer token and resolves to the parsed body, or null for 204.
 *
 * The function throws ApiError for every non-2xx response, keeping the API's `code`, and for a
 * request that fails before a response arrives (code `request_failed`).
 */
export function createApiClient(baseUrl, apiKey) {
  return async function request(method, path, body, headers = {}) {
    const init = { method, headers: { authorization: `Bearer ${apiKey}`, ...headers } };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = typeof body === "string" ? body : JSON.stringify(body);
    }

    let response;
    try {
      response = await fetch(new URL(path, baseUrl), { ...init, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new ApiError("request_failed", `${method} ${path} failed: ${error.cause?.code ?? error.message}`, 0);
    }
    if (response.status === 204) {
      return null;
    }

    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError("invalid_response", `${method} ${path} returned HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, response.status);
    }
    if (!response.ok) {
      const { code = `http_${response.status}`, message = text } = json.error ?? {};
      throw new ApiError(code, message, response.status);
    }
    return json;
  };
}

/**
 * Reads a required environment variable.
 *
 * Throws an Error naming the variable when it is unset; scripts/run.sh sets all of them.
 */
export function requireEnv(name) {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: start the demo with scripts/run.sh, which sets it`);
  }
  return value;
}
