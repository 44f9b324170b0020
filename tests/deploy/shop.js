// A customer's page as the README's "Deploying the link frame" describes it:
// the loader from the npm package, the API on one origin (the sandbox), the
// link frame on another (nginx, from the package's deploy template). Tests
// call shop.link({ linkToken, apiBaseUrl, frameUrl }) once they have a link
// token (they play the shop's backend); every callback is logged as JSON.
import { createKeetLink } from "/keet-link/keet-link.js";

const button = document.querySelector("[data-testid=shop-open]");
const log = document.querySelector("[data-testid=shop-log]");
const record = (...entry) => {
  const item = document.createElement("li");
  item.textContent = JSON.stringify(entry);
  log.append(item);
};

window.shop = {
  /** @param {{ linkToken: string, apiBaseUrl: string, frameUrl: string }} options */
  link(options) {
    const handle = createKeetLink({
      ...options,
      onLoad: () => {
        record("onLoad");
        button.disabled = !handle.isReady;
      },
      onSuccess: (publicToken, metadata) => record("onSuccess", publicToken, metadata),
      onValidationError: (errors) => record("onValidationError", errors),
      onExit: (error, metadata) => record("onExit", error, metadata),
    });
    button.onclick = () => handle.open();
    window.shop.handle = handle;
  },
  /** Every callback so far, parsed. */
  entries: () => Array.from(log.children, (item) => JSON.parse(item.textContent)),
};
document.body.dataset.ready = "true";
