// The package's "." entry straight from pkg/loader/, no bundler: a module
// script on a page with a strict CSP. The modal runs in the link frame.
import { configure, useKeetLink } from "/pkg/loader/keet-link.js";

const { apiBaseUrl } = await fetch("/demo/config").then((response) => response.json());
configure({ apiBaseUrl });
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
