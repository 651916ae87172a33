import type { TestServer } from './test-server.js';
import type { WebClient, WebPage } from './web-client.js';

/**
 * Sets the console's root password through a fresh one-time setup link, which signs `browser` in:
 * the page it landed on. What every console test does first.
 */
export const setUpConsoleRoot = async (
  server: TestServer,
  browser: WebClient,
  password: string,
): Promise<WebPage> => {
  const link = new URL((await server.server.app.services.consoleAdmin.issueSetupLink()).url);
  const setup = await browser.get(`${link.pathname}${link.search}`);
  return browser.submit(setup, '/console/setup', { newPassword: password, confirmPassword: password });
};
