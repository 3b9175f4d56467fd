/**
 * The one way e2e tests start a browser: Debian's chromium driven by playwright-core.
 * Never a downloaded browser. The flags keep Chromium off the network it cannot reach.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.PALISADE_CHROMIUM ?? '/usr/bin/chromium';

/** A headless browser; `args` adds Chromium flags to the standard ones (the fuzzer's host rules). */
export async function launchBrowser(opts: { args?: readonly string[] } = {}): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...(opts.args ?? [])] });
}

function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium). .ci/run does this.`);
  }
}

// The flags keep Chromium off the network it cannot reach.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A browser with an ordinary (not off-the-record) profile that sends third-party cookies,
 * as many users' browsers still do. Attack tests use it so that a protection is shown to
 * hold even when the browser itself would not help, and so that their controls can show a
 * cross-site request carrying the victim's session. Closing the context ends the browser.
 */
export async function launchVictimContext(options: Parameters<typeof chromium.launchPersistentContext>[1] = {}): Promise<BrowserContext> {
  requireChromium();
  const dir = mkdtempSync(join(tmpdir(), 'palisade-e2e-profile-'));
  mkdirSync(join(dir, 'Default'));
  writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
  const ctx = await chromium.launchPersistentContext(dir, {
    ...options,
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, '--disable-features=TrackingProtection3pcd,ThirdPartyStoragePartitioning'],
  });
  // Chromium may still be writing its profile as it exits: retry, and never fail a test on it.
  ctx.once('close', () => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      // left in the OS temp folder
    }
  });
  return ctx;
}
