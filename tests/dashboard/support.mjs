// Helpers shared by the dashboard, demo and trigger tests: free loopback ports, polling with a
// deadline, and child processes that are stopped by their own process group id.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Calls `check` until it returns a value other than undefined/false and returns that value.
 *
 * Throws an Error with `message` and the last thrown error once `timeoutMs` has passed.
 */
export async function waitFor(check, { timeoutMs = 30_000, intervalMs = 200, message = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;

  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) {
        return result;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError ? `; last error: ${lastError.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Returns true when something accepts TCP connections on 127.0.0.1:`port`. */
export async function isListening(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch (error) {
    return error.cause?.code !== "ECONNREFUSED";
  }
}

/** Returns a fresh `whsec_…` secret: base64 of 32 random bytes. */
export function newSecret() {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * Starts a command in its own process group and collects its output.
 *
 * The returned handle has `output()` (stdout and stderr so far), `exited` (a promise of the exit
 * code or signal name) and `stop(signal)`, which signals the whole group, so a command's own
 * children (workerd, a Next.js server) stop with it.
 */
export function startProcess(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (chunk) => {
    text += chunk;
  });
  child.stderr.on("data", (chunk) => {
    text += chunk;
  });

  const exited = new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal));
  });
  let finished = false;
  exited.then(() => {
    finished = true;
  });

  return {
    pid: child.pid,
    output: () => text,
    exited,
    isRunning: () => !finished,
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (finished) {
        return exited;
      }
      signalGroup(child.pid, signal);
      const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== "ESRCH") {
      throw error;
    }
  }
}

/** Runs a command to completion and resolves to `{ code, stdout, stderr }`. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code: code ?? signal, stdout, stderr }));
  });
}
