// A real headless Chromium for the console's browser tests: Debian's `chromium` package driven by playwright-core
// (which never downloads a browser; `.ci/run` installs the package when it is missing).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian's chromium package puts the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of each console page the browser tests visit (a folder CI keeps as the run's output; git ignores it). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'console');

/**
 * Starts a headless Chromium. `--no-sandbox`: CI runs as root, where Chromium's own sandbox refuses to start.
 * @throws playwright's error when the browser is missing or cannot start.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'], headless: true });
}

/** Saves a full-page screenshot of `page` as SCREENSHOT_DIR/<name>.png; resolves with the file's path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
