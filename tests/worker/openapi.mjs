// Validates real responses and delivery bodies against worker/openapi.json with Ajv
// (JSON Schema 2020-12, the dialect of OpenAPI 3.1) and ajv-formats.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const documentPath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "worker", "openapi.json");
export const openapi = JSON.parse(readFileSync(documentPath, "utf8"));

// strict is off because an OpenAPI document has keywords (paths, info, discriminator…) that
// are not JSON Schema; only the schemas inside it are compiled.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, "openapi.json");

function pointer(...segments) {
  return segments.map((segment) => String(segment).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

function validatorAt(path) {
  const validate = ajv.getSchema(`openapi.json#/${path}`);
  if (!validate) {
    throw new Error(`openapi.json has no schema at ${path}`);
  }
  return validate;
}

function check(validate, value, what) {
  if (!validate(value)) {
    throw new Error(`${what} does not match openapi.json: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 2000)}`);
  }
}

/**
 * Throws unless `response` ({ status, json }) matches the documented response of `method` on
 * the path template `template` (e.g. "/v1/webhooks/{id}").
 */
export function assertResponseMatches(method, template, response) {
  const operation = openapi.paths[template]?.[method.toLowerCase()];
  if (!operation) {
    throw new Error(`openapi.json documents no ${method} ${template}`);
  }
  const documented = operation.responses[String(response.status)];
  if (!documented) {
    throw new Error(`openapi.json documents no ${response.status} for ${method} ${template} (body ${JSON.stringify(response.json)})`);
  }
  if (!documented.content) {
    if (response.text) {
      throw new Error(`${method} ${template} ${response.status} is documented without a body but returned ${response.text}`);
    }
    return;
  }
  const validate = validatorAt(pointer("paths", template, method.toLowerCase(), "responses", response.status, "content", "application/json", "schema"));
  check(validate, response.json, `${method} ${template} ${response.status}`);
}

/** Throws unless a delivery body matches the DeliveryPayload schema. */
export function assertPayloadMatches(body) {
  check(validatorAt(pointer("components", "schemas", "DeliveryPayload")), JSON.parse(body), "delivery body");
}
