// Drives Debian's chromium (headless) against berthd's dashboard, for DashboardIT:
//   node dashboard-test.mjs URL CONTAINER
// Loads the page, checks that CONTAINER is listed as running, opens its live log and prints
// READY; then, for each "GO <text>" line on stdin, prints WAITING and waits at most a second for
// <text> to appear in the log view, printing "SEEN <ms>" (or failing with exit code 1).
import { chromium } from "playwright-core";
import readline from "node:readline";

const [url, container] = process.argv.slice(2);
const fail = message => { console.log("FAIL " + message); process.exit(1); };
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless=new"] });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", error => errors.push(error.message));
  await page.goto(url);
  const row = page.locator(`tr.container[data-name="${container}"]`);
  await row.waitFor({ timeout: 20000 });
  const state = (await row.locator("td.state").textContent()).trim();
  if (state !== "running") {
    fail(`${container} shows as ${state}`);
  }
  await row.click();
  await page.locator('#log[data-state="open"]').waitFor({ state: "attached", timeout: 20000 });
  if (errors.length) {
    fail("page errors: " + errors.join("; "));
  }
  console.log("READY");
  const input = readline.createInterface({ input: process.stdin });
  for await (const line of input) {
    if (!line.startsWith("GO ")) {
      break;
    }
    const text = line.substring(3);
    const started = Date.now();
    console.log("WAITING");
    try {
      await page.locator("#log").filter({ hasText: text }).waitFor({ timeout: 1000 });
    } catch (e) {
      fail(`"${text}" did not appear in the log view within a second`);
    }
    console.log("SEEN " + (Date.now() - started));
  }
} finally {
  await browser.close();
}
