// What every end-to-end suite shares: where the modal is, and how to tell
// that it is closed.
import { expect } from "@playwright/test";

/** The open modal's frame: the visible link iframe (the default, frame mode). */
export const modal = (page) => page.frameLocator("iframe[data-keet-link]:visible");

/** Waits until no link frame is shown: the modal is closed. */
export async function expectClosed(page) {
  await expect(page.locator("iframe[data-keet-link]:visible")).toHaveCount(0);
}

/**
 * Has the demo backend (on the page's origin) create a link token for
 * `linkConfig`; returns it with the API's URL, as a host page learns both.
 */
export function mintToken(page, linkConfig) {
  return page.evaluate(async (linkConfig) => {
    const { apiBaseUrl } = await fetch("/demo/config").then((r) => r.json());
    const { linkToken } = await fetch("/demo/link-token", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(linkConfig),
    }).then((r) => r.json());
    return { apiBaseUrl, linkToken };
  }, linkConfig);
}
