// Loads @aether/webhooks from this checkout's npm/ folder, so the demo uses the package exactly
// as built by npm/scripts/build.sh, without installing it into node_modules.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = new URL("../../npm/", import.meta.url);

/** Export conditions a Node ES module import matches, in Node's order of preference. */
const NODE_CONDITIONS = new Set(["node", "import", "default"]);

/**
 * Imports the package's Node entry point, chosen from the `exports` map of npm/package.json.
 *
 * Throws an Error saying to run npm/scripts/build.sh when the manifest or the entry file is
 * missing.
 */
export async function importAetherPackage() {
  const manifestUrl = new URL("package.json", PACKAGE_DIR);
  if (!existsSync(manifestUrl)) {
    throw new Error(`${fileURLToPath(manifestUrl)} is missing: the npm package is not in this checkout`);
  }

  const manifest = JSON.parse(readFileSync(manifestUrl, "utf8"));
  const root = typeof manifest.exports === "object" && manifest.exports !== null && "." in manifest.exports
    ? manifest.exports["."]
    : manifest.exports ?? manifest.main;
  const entry = pickEntry(root);
  if (entry === null) {
    throw new Error("npm/package.json has no entry point for Node in its exports map");
  }

  const entryUrl = new URL(entry, PACKAGE_DIR);
  if (!existsSync(entryUrl)) {
    throw new Error(`${fileURLToPath(entryUrl)} is missing: build the package with npm/scripts/build.sh`);
  }
  return import(entryUrl.href);
}

/** Walks a conditional exports target in key order, as Node does, and returns the first file path. */
function pickEntry(target) {
  if (typeof target === "string") {
    return target;
  }
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const found = pickEntry(candidate);
      if (found !== null) {
        return found;
      }
    }
    return null;
  }
  if (typeof target !== "object" || target === null) {
    return null;
  }
  for (const [condition, value] of Object.entries(target)) {
    if (NODE_CONDITIONS.has(condition)) {
      const found = pickEntry(value);
      if (found !== null) {
        return found;
      }
    }
  }
  return null;
}
