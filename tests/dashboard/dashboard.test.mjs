// Drives the dashboard page in headless Chromium against the real Worker under Miniflare. The
// tests sign in and create an endpoint. They watch a delivery to a failing receiver become a dead
// letter, replay it and see it delivered. They rotate the secret, disable and enable the endpoint,
// and check that API errors are shown.
//
// Needs worker/build (scripts/build-worker.sh) and Debian's chromium at /usr/bin/chromium.
// Set AETHER_DASHBOARD_SCREENSHOT_DIR to keep the screenshot; by default it goes to a temp dir.

import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { chromium } from "playwright-core";

import { DEV_API_KEY, startWorker } from "./worker-harness.mjs";

const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
/** Three attempts one second apart, so a failing delivery is dead-lettered within seconds. */
const TEST_RETRY_SCHEDULE = "0s,1s,1s";
const UI_TIMEOUT_MS = 45_000;

/**
 * Starts a webhook receiver on 127.0.0.1 that responds 503 until `succeed` is set, and checks the
 * x-aether-signature of every request against `secret` with node:crypto.
 */
function startReceiver() {
  const receiver = { succeed: false, secret: null, requests: [], url: null };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac("sha256", receiver.secret ?? "").update(body).digest("hex")}`);
      const signatures = String(request.headers["x-aether-signature"] ?? "").split(",").map((value) => Buffer.from(value.trim()));
      const verified = signatures.some((value) => value.length === expected.length && timingSafeEqual(value, expected));
      const status = receiver.succeed ? 200 : 503;
      receiver.requests.push({ deliveryId: request.headers["x-aether-delivery"], verified, status });
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: receiver.succeed }));
    });
  });

  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      receiver.url = `http://127.0.0.1:${server.address().port}/hooks/aether`;
      receiver.close = () => new Promise((done) => server.close(done));
      resolve(receiver);
    });
  });
}

describe("dashboard", () => {
  let worker;
  let receiver;
  let browser;
  let page;
  const pageErrors = [];
  const requestedUrls = [];

  before(async () => {
    receiver = await startReceiver();
    worker = await startWorker({
      vars: { RETRY_SCHEDULE: TEST_RETRY_SCHEDULE, ATTEMPT_TIMEOUT_MS: "2000", ALLOW_LOCAL_TARGETS: "true" },
    });
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on("pageerror", (error) => pageErrors.push(error));
    page.on("request", (request) => requestedUrls.push(request.url()));
    await page.goto(`${worker.url}/dashboard`);
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
    await receiver?.close();
  });

  test("wrong API key shows unauthorized", async () => {
    await page.fill("#api-key", "aether_not_a_real_key");
    await page.click("#signin button[type=submit]");

    await page.waitForSelector("#banner:not(.hidden)");
    assert.equal(await page.textContent("#banner-code"), "unauthorized");
    assert.equal(await page.textContent("#banner-status"), "HTTP 401");
    assert.ok(await page.isVisible("#signin"));
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  });

  test("sign in keeps the key in sessionStorage only", async () => {
    await page.fill("#api-key", DEV_API_KEY);
    await page.click("#signin button[type=submit]");

    await page.waitForSelector("#app:not(.hidden)");
    assert.ok(await page.isHidden("#banner"));
    assert.ok(await page.isVisible("#endpoint-empty"));
    assert.equal(await page.evaluate(() => Object.values(sessionStorage).includes("aether_dev_local_key")), true);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
  });

  test("creating without events shows no_events", async () => {
    await page.click("#new-endpoint");
    await page.fill("#form-url", receiver.url);
    await page.click("#endpoint-submit");

    await page.waitForSelector("#endpoint-dialog .dialog-error:not(.hidden)");
    assert.equal(await page.textContent("#endpoint-dialog .dialog-error code"), "no_events");
    assert.equal(await page.textContent("#banner-code"), "no_events");
    await page.click("#endpoint-cancel");
  });

  test("creating with an ftp URL shows invalid_url", async () => {
    await page.click("#new-endpoint");
    await page.fill("#form-url", "ftp://127.0.0.1/hooks");
    await page.click("#form-events-all");
    await page.click("#endpoint-submit");

    await page.waitForSelector("#endpoint-dialog .dialog-error:not(.hidden)");
    assert.equal(await page.textContent("#endpoint-dialog .dialog-error code"), "invalid_url");
    assert.notEqual((await page.textContent("#banner-message")).trim(), "");
    await page.click("#endpoint-cancel");
    await page.click("#banner-close");
    assert.ok(await page.isHidden("#banner"));
  });

  test("creating an endpoint reveals its secret once", async () => {
    await page.click("#new-endpoint");
    await page.fill("#form-url", receiver.url);
    await page.click("#form-events-all");
    await page.check("#form-platforms input[value=instagram]");
    await page.fill("#form-description", "Test receiver");
    await page.click("#endpoint-submit");

    await page.waitForSelector("#secret-box:not(.hidden)");
    receiver.secret = await page.inputValue("#secret-value");
    assert.match(receiver.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.equal(await page.locator("#endpoint-list li").count(), 1);
    assert.equal(await page.textContent("#detail-status"), "enabled");
    assert.match(await page.textContent("#detail-filter"), /instagram/);

    await page.click("#secret-dismiss");
    assert.ok(await page.isHidden("#secret-box"));
    assert.equal(await page.inputValue("#secret-value"), "");
  });

  test("failing delivery ends as a dead letter with attempts", async () => {
    await page.selectOption("#test-event", "post.published");
    await page.click("#send-test");

    const row = await page.waitForSelector("tr.delivery[data-status=dead_letter]", { timeout: UI_TIMEOUT_MS });
    await row.click();
    const attempts = page.locator("tr.attempts tbody tr");
    assert.equal(await attempts.count(), 3);
    for (let index = 0; index < 3; index += 1) {
      const cells = await attempts.nth(index).locator("td").allTextContents();
      assert.equal(cells[0], String(index + 1));
      assert.equal(cells[2], "503");
      assert.equal(cells[3], "http");
      assert.match(cells[4], /^\d+ ms$/);
    }
    assert.equal(receiver.requests.length, 3);
    assert.ok(receiver.requests.every((request) => request.verified), "every attempt verifies with the revealed secret");
  });

  test("dead letter is replayed and delivered", async () => {
    await page.click("#tab-dead-letters");
    const row = page.locator("tr.dead-letter");
    assert.equal(await row.count(), 1);
    const deliveryId = await row.getAttribute("data-delivery-id");
    assert.match(await row.textContent(), /HTTP 503, http/);

    receiver.succeed = true;
    await row.locator("button.replay").click();
    await page.waitForSelector("#notice:not(.hidden)");
    assert.match(await page.textContent("#notice"), new RegExp(`Replaying ${deliveryId}`));

    await page.click("#tab-deliveries");
    await page.waitForSelector(`tr.delivery[data-delivery-id="${deliveryId}"][data-status=delivered]`, { timeout: UI_TIMEOUT_MS });
    // The dead letters tab is hidden now, so its empty-state element is never "visible".
    await page.waitForSelector("#dead-letters-empty:not(.hidden)", { state: "attached" });
    assert.equal(await page.textContent("#dead-count"), "");
    const last = receiver.requests.at(-1);
    assert.equal(last.deliveryId, deliveryId);
    assert.equal(last.status, 200);
    assert.ok(last.verified);
  });

  test("replay all delivers every dead letter", async () => {
    receiver.succeed = false;
    await page.selectOption("#test-event", "message.created");
    await page.click("#send-test");
    await page.waitForSelector("tr.delivery[data-status=dead_letter]", { timeout: UI_TIMEOUT_MS });

    receiver.succeed = true;
    await page.click("#tab-dead-letters");
    await page.waitForSelector("tr.dead-letter");
    await page.fill("#replay-since", "2099-01-01T00:00");
    await page.click("#replay-all");
    await page.waitForSelector("#notice:not(.hidden)");
    assert.match(await page.textContent("#notice"), /Replaying 0 dead letters\./, "a range in the future replays nothing");
    assert.equal(await page.locator("tr.dead-letter").count(), 1);

    await page.fill("#replay-since", "");
    await page.click("#replay-all");
    await page.waitForFunction(() => document.querySelector("#notice").textContent === "Replaying 1 dead letter.");

    await page.waitForSelector("#dead-letters-empty:not(.hidden)", { timeout: UI_TIMEOUT_MS });
    await page.click("#tab-deliveries");
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll("tr.delivery")];
      return rows.length === 2 && rows.every((row) => row.dataset.status === "delivered");
    }, null, { timeout: UI_TIMEOUT_MS });
  });

  test("chart draws the hourly buckets", async () => {
    await page.click("#refresh");

    await page.waitForFunction(() => /\d+ delivery attempts? in this period/.test(document.querySelector("#chart").textContent));
    assert.equal(await page.locator("#chart svg g[data-bucket]").count(), 24);
    assert.ok(await page.locator("#chart svg g[data-bucket] rect[fill]").count() > 24, "at least one bar is drawn");
    // Two deliveries so far, each with three failed attempts (two retried, one dead-lettered)
    // and one delivered attempt after its replay.
    assert.match(await page.textContent("#chart"), /8 delivery attempts in this period/);
  });

  test("rotating the secret reveals a new one", async () => {
    const before = receiver.secret;
    await page.click("#rotate-secret");
    await page.fill("#rotate-overlap", "1");
    await page.click("#rotate-form button[type=submit]");

    await page.waitForSelector("#secret-box:not(.hidden)");
    const rotated = await page.inputValue("#secret-value");
    assert.match(rotated, /^whsec_/);
    assert.notEqual(rotated, before);
    assert.match(await page.textContent("#secret-extra"), /previous secret stays valid until/);
  });

  test("rotation overlap out of range shows the API error", async () => {
    await page.click("#rotate-secret");
    await page.evaluate(() => {
      document.querySelector("#rotate-overlap").value = "500";
      document.querySelector("#rotate-overlap").removeAttribute("max");
    });
    await page.click("#rotate-form button[type=submit]");

    await page.waitForSelector("#rotate-dialog .dialog-error:not(.hidden)");
    assert.match(await page.textContent("#banner-status"), /HTTP 4\d\d/);
    assert.notEqual((await page.textContent("#rotate-dialog .dialog-error code")).trim(), "");
    await page.click("#rotate-cancel");
  });

  test("disable and enable the endpoint", async () => {
    await page.click("#toggle-enabled");
    await page.waitForFunction(() => document.querySelector("#detail-status").textContent === "disabled manually");
    assert.equal(await page.textContent("#toggle-enabled"), "Enable");

    await page.click("#toggle-enabled");
    await page.waitForFunction(() => document.querySelector("#detail-status").textContent === "enabled");
    assert.equal(await page.textContent("#toggle-enabled"), "Disable");
  });

  test("screenshot of the endpoint page", async () => {
    await page.click("#secret-dismiss");
    await page.locator("tr.delivery").first().click();
    const directory = process.env.AETHER_DASHBOARD_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), "aether-dashboard-"));
    const path = join(directory, "dashboard.png");

    await page.screenshot({ path, fullPage: true });
    console.log(`dashboard screenshot: ${path}`);
  });

  test("editing events and filter saves them", async () => {
    await page.click("#edit-endpoint");
    assert.equal(await page.inputValue("#form-url"), receiver.url);
    assert.ok(await page.isChecked("#form-platforms input[value=instagram]"));
    await page.uncheck("#form-platforms input[value=instagram]");
    await page.fill("#form-profiles", "ig_lumen_coffee, tt_lumen_coffee");
    await page.click("#form-events-all");
    await page.uncheck("#form-events input[value='message.updated']");
    await page.click("#endpoint-submit");

    await page.waitForFunction(() => /7 events/.test(document.querySelector("#endpoint-list li").textContent));
    const filter = await page.textContent("#detail-filter");
    assert.match(filter, /profiles ig_lumen_coffeett_lumen_coffee/);
    assert.doesNotMatch(filter, /instagram/);
    assert.doesNotMatch(await page.textContent("#detail-events"), /message\.updated/);
  });

  test("reload keeps the session", async () => {
    await page.reload();

    await page.waitForSelector("#app:not(.hidden)");
    assert.ok(await page.isHidden("#signin"));
    assert.equal(await page.locator("#endpoint-list li").count(), 1);
  });

  test("deleting the endpoint after confirming", async () => {
    page.once("dialog", (dialog) => dialog.accept());
    await page.click("#delete-endpoint");

    await page.waitForSelector("#endpoint-empty:not(.hidden)");
    assert.equal(await page.locator("#endpoint-list li").count(), 0);
    assert.ok(await page.isVisible("#detail-empty"));
  });

  test("sign out forgets the key", async () => {
    await page.click("#signout");

    assert.ok(await page.isVisible("#signin"));
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  });

  test("page made no request outside the Worker and threw nothing", () => {
    const outside = requestedUrls.filter((url) => !url.startsWith(`${worker.url}/`));
    assert.deepEqual(outside, []);
    assert.deepEqual(pageErrors.map((error) => error.message), []);
  });
});
