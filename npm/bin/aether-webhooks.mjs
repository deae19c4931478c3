#!/usr/bin/env node
// Command-line entry point of @aether/webhooks: `aether-webhooks trigger <event> --url … --secret …`
// sends a correctly signed sample delivery to a receiver, so it can be tested without the Worker.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { EVENT_TYPES, TriggerError, buildDelivery, formatBody, sendDelivery } from "./trigger.mjs";

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const DEFAULT_TIMEOUT_MS = 10_000;

const USAGE = `Usage: aether-webhooks trigger <event> --url <receiver-url> --secret <whsec_…> [options]

Sends one realistic sample delivery of <event> to a webhook receiver, signed with the
secret exactly as the Aether Worker signs it, and prints the receiver's status and body.

Events:
  ${EVENT_TYPES.join("\n  ")}

Options:
  --url <url>          receiver URL (http or https), for example http://127.0.0.1:3000/api/webhooks/aether
  --secret <whsec_…>   the endpoint's signing secret; falls back to $AETHER_WEBHOOK_SECRET
  --tamper             change the body after signing: a receiver that verifies must reject it
  --timeout-ms <n>     how long to wait for the receiver, in milliseconds (default ${DEFAULT_TIMEOUT_MS})
  -h, --help           show this help
  -v, --version        show the package version

Exit status:
  0  the receiver responded with 2xx (with --tamper: it rejected the delivery with a 4xx)
  1  the receiver responded otherwise, or could not be reached
  2  the command line is invalid`;

/** An invalid command line. Its message names what to change. */
class UsageError extends Error {}

function packageVersion() {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return manifest.version;
}

/**
 * Reads the `trigger` arguments into options.
 *
 * Throws `UsageError` for an unknown option, a missing or unknown event, a missing URL or secret,
 * a URL that is not http(s) and a timeout that is not a positive integer.
 */
function parseTriggerArguments(args, environment) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        secret: { type: "string" },
        tamper: { type: "boolean", default: false },
        "timeout-ms": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }

  const { values, positionals } = parsed;
  if (values.help) {
    return { help: true };
  }

  const event = positionals[0];
  if (event === undefined) {
    throw new UsageError(`missing <event>: name one of ${EVENT_TYPES.join(", ")}`);
  }
  if (!EVENT_TYPES.includes(event)) {
    throw new UsageError(`unknown event "${event}": use one of ${EVENT_TYPES.join(", ")}`);
  }
  if (positionals.length > 1) {
    throw new UsageError(`unexpected argument "${positionals[1]}": trigger sends one event at a time`);
  }

  const secret = values.secret ?? environment.AETHER_WEBHOOK_SECRET;
  if (values.url === undefined) {
    throw new UsageError("missing --url: pass the receiver's URL, for example --url http://127.0.0.1:3000/api/webhooks/aether");
  }
  if (secret === undefined || secret === "") {
    throw new UsageError("missing --secret: pass the endpoint's signing secret (whsec_…) or set AETHER_WEBHOOK_SECRET");
  }

  return {
    help: false,
    event,
    url: parseReceiverUrl(values.url),
    secret,
    tamper: values.tamper,
    timeoutMs: parseTimeout(values["timeout-ms"]),
  };
}

function parseReceiverUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid --url "${text}": pass an absolute URL such as http://127.0.0.1:3000/api/webhooks/aether`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`invalid --url "${text}": only http and https URLs can receive webhooks, not ${url.protocol.slice(0, -1)}`);
  }
  return url;
}

function parseTimeout(text) {
  if (text === undefined) {
    return DEFAULT_TIMEOUT_MS;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new UsageError(`invalid --timeout-ms "${text}": pass a whole number of milliseconds greater than 0`);
  }
  return value;
}

/** Sends the delivery, prints the outcome and returns the exit status. */
async function trigger(options, output) {
  let delivery;
  try {
    delivery = buildDelivery({
      event: options.event,
      secret: options.secret,
      tamper: options.tamper,
      userAgent: `Aether-Webhooks/${packageVersion()} (trigger)`,
    });
  } catch (error) {
    if (typeof error.code === "string") {
      throw new UsageError(`invalid --secret (${error.code}): ${error.message}`);
    }
    throw error;
  }

  const label = options.tamper ? "tampered " : "";
  output.log(`POST ${options.url.href}`);
  output.log(`  ${label}${options.event} delivery ${delivery.deliveryId}`);

  const response = await sendDelivery(options.url, delivery, options.timeoutMs);
  output.log(`← ${response.status} ${response.statusText}`);
  if (response.text !== "") {
    output.log(formatBody(response.text));
  }

  return judge(response.status, options.tamper, output);
}

function judge(status, tamper, output) {
  const accepted = status >= 200 && status < 300;
  if (!tamper) {
    if (!accepted) {
      output.error(`The receiver did not accept the delivery (HTTP ${status}). Check that it uses the same secret.`);
    }
    return accepted ? EXIT_OK : EXIT_FAILED;
  }

  if (accepted) {
    output.error(`The receiver ACCEPTED a delivery whose body does not match its signature (HTTP ${status}): it does not verify signatures.`);
    return EXIT_FAILED;
  }
  if (status >= 400 && status < 500) {
    output.log("The receiver rejected the tampered delivery, as it should.");
    return EXIT_OK;
  }
  output.error(`The receiver responded with HTTP ${status} to a tampered delivery; a verifying receiver rejects it with a 4xx such as 401.`);
  return EXIT_FAILED;
}

/** Runs the command line and returns the exit status. */
async function main(args, environment, output) {
  const [command, ...rest] = args;

  try {
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      output.log(USAGE);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (command === "-v" || command === "--version") {
      output.log(packageVersion());
      return EXIT_OK;
    }
    if (command !== "trigger") {
      throw new UsageError(`unknown command "${command}": the only command is trigger`);
    }

    const options = parseTriggerArguments(rest, environment);
    if (options.help) {
      output.log(USAGE);
      return EXIT_OK;
    }
    return await trigger(options, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.error(`aether-webhooks: ${error.message}\nRun "aether-webhooks --help" for usage.`);
      return EXIT_USAGE;
    }
    if (error instanceof TriggerError) {
      output.error(`aether-webhooks: ${error.message}`);
      return EXIT_FAILED;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env, console);
