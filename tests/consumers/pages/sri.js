// After the pinned classic script (sri.html): if the browser ran it, link an
// account; ?mode=none runs the modal in the page (so the wasm the script
// loads in turn is checked too; the page is then served with
// ?isolation=none, whose CSP allows wasm).
const result = document.querySelector('[data-testid="result"]');
if (!window.KeetLink) {
  result.textContent = "refused: window.KeetLink is undefined";
} else {
  const { apiBaseUrl } = await fetch("/demo/config").then((response) => response.json());
  window.KeetLink.configure({ apiBaseUrl });
  const response = await fetch("/demo/link-token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ endUserId: `sri-${crypto.randomUUID()}`, integration: "Amazon Seller" }),
  });
  const button = document.querySelector('[data-testid="open"]');
  const link = window.KeetLink.create({
    linkToken: (await response.json()).linkToken,
    isolation: new URLSearchParams(location.search).get("mode") ?? "frame",
    onLoad: () => (button.disabled = false),
    onSuccess: (publicToken) => (result.textContent = publicToken),
  });
  button.addEventListener("click", () => link.open());
}
