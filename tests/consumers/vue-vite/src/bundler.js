// The package's "." entry through a bundler, no framework and no wasm
// plugin. `?isolation=none` in the page's URL runs the modal in the page,
// through the in-page build that Vite split off and emitted with its wasm.
import { configure, createKeetLink } from "keet-link";

const isolation = new URLSearchParams(location.search).get("isolation") ?? "frame";
const { apiBaseUrl } = await fetch("/demo/config").then((response) => response.json());
configure({ apiBaseUrl });
const response = await fetch("/demo/link-token", {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ endUserId: `bundler-${crypto.randomUUID()}`, integration: "Amazon" }),
});
const button = document.querySelector('[data-testid="open"]');
const { open } = createKeetLink({
  linkToken: (await response.json()).linkToken,
  isolation,
  onLoad: () => (button.disabled = false),
  onSuccess: (publicToken) => (document.querySelector('[data-testid="result"]').textContent = publicToken),
});
button.addEventListener("click", open);
