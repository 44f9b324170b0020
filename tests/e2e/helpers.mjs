// What every end-to-end suite shares: where the modal is, and how to tell
// that it is closed.
import { expect } from "@playwright/test";

/** The open modal's frame: the visible link iframe (the default, frame mode). */
export const modal = (page) => page.frameLocator("iframe[data-keet-link]:visible");

/** Waits until no link frame is shown: the modal is closed. */
export async function expectClosed(page) {
  await expect(page.locator("iframe[data-keet-link]:visible")).toHaveCount(0);
}
