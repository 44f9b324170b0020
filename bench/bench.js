// One measurement per page load; bench/run.mjs drives it and takes medians.
// The page is a host page on the demo site; the API and the link frame are
// on another origin (?api=).
// ?mode=frame     script-to-ready: module start → onLoad, the default mode
//                 (loader, iframe, frame wasm, session fetch, parse), with the
//                 frame served beside the API, or with ?frameUrl= on an
//                 origin of its own (nginx, as deploy/ sets it up)
// ?mode=inpage    the same with isolation: "none" (the wasm in this page)
// ?mode=baseline  the same session fetched and parsed with plain fetch(), no wasm
// Then click-to-modal: open() → the modal is on screen and a frame has passed,
// for the widget or for a plain DOM dialog of similar structure.
const params = new URLSearchParams(location.search);
const token = params.get("token");
const api = params.get("api");
const mode = params.get("mode");
const frameUrl = params.get("frameUrl") ?? undefined;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function widget(isolation) {
  const started = performance.now();
  const { createKeetLink } = await import("/pkg/loader/keet-link.js");
  let link;
  await new Promise((resolve) => {
    link = createKeetLink({ linkToken: token, apiBaseUrl: api, frameUrl, isolation, onSuccess() {}, onLoad: resolve });
  });
  const ready = performance.now() - started;
  const clicked = performance.now();
  link.open();
  if (isolation === "frame") {
    // The loader shows the iframe once the frame says the modal is rendered.
    const iframe = document.querySelector("iframe[data-keet-link]");
    await new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (iframe.style.display !== "none") {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(iframe, { attributes: true });
    });
  } else {
    const host = document.querySelector("[data-keet-link]");
    while (!host.shadowRoot.querySelector("[role=dialog]")) await Promise.resolve();
  }
  await frame();
  return { ready, open: performance.now() - clicked };
}

async function baseline() {
  const started = performance.now();
  const response = await fetch(`${api}/v1/link/session`, { headers: { Authorization: `Bearer ${token}` } });
  const session = await response.json();
  const ready = performance.now() - started;
  const clicked = performance.now();
  const dialog = document.createElement("div");
  dialog.setAttribute("role", "dialog");
  const title = document.createElement("h2");
  title.textContent = `Log in to ${session.session.integration.name}`;
  dialog.append(title);
  for (const field of session.session.step.fields) {
    const label = document.createElement("label");
    label.textContent = field.label;
    const input = document.createElement("input");
    input.name = field.name;
    input.type = field.kind;
    label.append(input);
    dialog.append(label);
  }
  dialog.append(document.createElement("button"));
  document.body.append(dialog);
  dialog.querySelector("input").focus();
  await frame();
  return { ready, open: performance.now() - clicked };
}

const runs = { frame: () => widget("frame"), inpage: () => widget("none"), baseline };
const result = await runs[mode]();
document.body.dataset.result = JSON.stringify(result);
