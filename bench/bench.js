// One measurement per page load; bench/run.mjs drives it and takes medians.
// ?mode=widget    script-to-ready: module start → onLoad (wasm init, session fetch, parse)
// ?mode=baseline  the same session fetched and parsed with plain fetch(), no wasm
// Then click-to-modal: click → the dialog is in the DOM and a frame has passed,
// for the widget or for a plain DOM dialog of similar structure.
const params = new URLSearchParams(location.search);
const token = params.get("token");
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function widget() {
  const started = performance.now();
  const { default: init, createKeetLink, configure } = await import("/pkg/web/keet_link.js");
  await init();
  configure({ apiBaseUrl: location.origin });
  let link;
  await new Promise((resolve) => {
    link = createKeetLink({ linkToken: token, onSuccess() {}, onLoad: resolve });
  });
  const ready = performance.now() - started;
  const host = document.querySelector("[data-keet-link]");
  const clicked = performance.now();
  link.open();
  while (!host.shadowRoot.querySelector("[role=dialog]")) await Promise.resolve();
  await frame();
  return { ready, open: performance.now() - clicked };
}

async function baseline() {
  const started = performance.now();
  const response = await fetch("/v1/link/session", { headers: { Authorization: `Bearer ${token}` } });
  const session = await response.json();
  const ready = performance.now() - started;
  const clicked = performance.now();
  const dialog = document.createElement("div");
  dialog.setAttribute("role", "dialog");
  dialog.innerHTML = `<h2>Log in to ${session.session.integration.name}</h2>` +
    session.session.step.fields.map((f) => `<label>${f.label}<input name="${f.name}" type="${f.kind}"></label>`).join("") +
    "<button>Continue</button>";
  document.body.append(dialog);
  dialog.querySelector("input").focus();
  await frame();
  return { ready, open: performance.now() - clicked };
}

const result = await (params.get("mode") === "widget" ? widget() : baseline());
document.body.dataset.result = JSON.stringify(result);
