// Helpers for integration tests: free loopback ports, polling against a deadline, and
// child processes that are stopped by the id of the process group this test started.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Calls `probe` until it returns a truthy value and returns that value; throws with
 * `message` and the last error when `timeoutMs` passes first.
 */
export async function waitFor(probe, { timeoutMs, intervalMs = 250, message }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${lastError ? `: ${lastError.message}` : ''}`);
}

/** Runs a command to completion and returns its exit code and output. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts a long-running command in its own process group and returns handles to read its
 * output, see whether it still runs, and stop it.
 */
export function startProcess(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  let exited = false;
  const exit = new Promise((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });

  return {
    output: () => output,
    isRunning: () => !exited,
    async stop() {
      if (exited) {
        return;
      }
      // The negative id addresses the group this call created, so children such as the
      // Next.js server's workers stop too, and nothing else is touched.
      process.kill(-child.pid, 'SIGTERM');
      const stopped = await Promise.race([exit.then(() => true), new Promise((resolve) => setTimeout(resolve, 5000, false))]);
      if (!stopped) {
        process.kill(-child.pid, 'SIGKILL');
        await exit;
      }
    },
  };
}
