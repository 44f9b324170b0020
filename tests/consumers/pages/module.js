// The --target web build straight from the package's pkg/web/, no bundler.
import init, { configure, useKeetLink } from "/pkg/web/keet_link.js";

await init();
configure({ apiBaseUrl: location.origin });
const response = await fetch("/demo/link-token", {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ endUserId: `module-${Date.now()}`, integration: "LinkedIn" }),
});
const { linkToken } = await response.json();
const button = document.querySelector('[data-testid="open"]');
const { open } = useKeetLink({
  linkToken,
  onLoad: () => (button.disabled = false),
  onSuccess: (publicToken) => (document.querySelector('[data-testid="result"]').textContent = publicToken),
});
button.addEventListener("click", open);
