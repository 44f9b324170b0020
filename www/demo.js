// The demo's front end: Keet's four steps against the sandbox's /demo/
// backend. This page is "your product", on an origin of its own; the modal
// runs in the link frame on the API's origin, so this page never sees the
// password and loads no wasm. `?isolation=none` runs the modal in the page,
// `?locale=…`, `?appearance=…` and `?accentColor=…` set those options.
// `?tokenRefresh=function` passes linkToken as a function that asks the
// backend for a fresh token each time; `=rejects` and `=garbage` make every
// call after the first fail (for tests).
import { createKeetLink, configure } from "/pkg/loader/keet-link.js";

const params = new URLSearchParams(location.search);
const isolation = params.get("isolation") === "none" ? "none" : "frame";
// `?locale=ar`, `?appearance=dark`, `?accentColor=%230A66C2`: the modal's
// language (default: the browser's), colours and accent.
const locale = params.get("locale") ?? undefined;
const appearance = params.get("appearance") ?? undefined;
const accentColor = params.get("accentColor") ?? undefined;
const tokenRefresh = params.get("tokenRefresh");

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const log = (text) => {
  const item = document.createElement("li");
  item.textContent = `${new Date().toISOString().slice(11, 23)}  ${text}`;
  const list = $("demo-events");
  list.append(item);
  // Scroll the panel, never the page.
  list.scrollTop = list.scrollHeight;
};

let link = null;
// The last account this page linked: what "Break this login" and "Reconnect" act on.
let linked = null;
// Open the modal as soon as it is ready (a reconnect).
let openWhenReady = false;

async function backend(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error?.message ?? `HTTP ${response.status}`);
  return answer;
}

async function createToken(event) {
  event.preventDefault();
  await startLink(new FormData(event.target));
}

async function startLink(form) {
  $("demo-open").disabled = true;
  link?.destroy();
  try {
    const newLinkToken = async () => {
      const { linkToken } = await backend("/demo/link-token", {
        endUserId: form.get("endUserId"),
        // Empty: the user chooses in the widget.
        integration: form.get("integration") || undefined,
        companyName: "Acme Budget",
      });
      log("backend: link token created");
      return linkToken;
    };
    let calls = 0;
    const tokenFunction = async () => {
      calls += 1;
      log(`linkToken() call ${calls}`);
      if (calls > 1 && tokenRefresh === "rejects") throw new Error("the backend is down");
      if (calls > 1 && tokenRefresh === "garbage") return { not: "a token" };
      return newLinkToken();
    };
    const linkToken = tokenRefresh ? tokenFunction : await newLinkToken();
    $("demo-token-status").textContent = "Link token created; the widget is loading its session…";
    link = createKeetLink({
      linkToken,
      isolation,
      locale,
      appearance,
      accentColor,
      onLoad() {
        log("onLoad");
        $("demo-open").disabled = !link.isReady;
        $("demo-token-status").textContent = "Ready.";
        if (openWhenReady && link.isReady) {
          openWhenReady = false;
          link.open();
        }
      },
      onSuccess: exchange,
      onExit(error, metadata) {
        log(`onExit ${JSON.stringify(error)} ${JSON.stringify(metadata)}`);
        // A closed form can be reopened; an error ends the link session.
        $("demo-open").disabled = !link.isReady;
        if (!link.isReady) {
          $("demo-token-status").textContent = "The link session ended. Create a new link token to try again.";
        }
      },
      onEvent(name, metadata) {
        log(`onEvent ${name} ${JSON.stringify(metadata)}`);
      },
      onValidationError(errors) {
        log(`onValidationError ${JSON.stringify(errors)}`);
        $("demo-token-status").textContent = errors.map((e) => e.message).join(" ");
      },
    });
  } catch (error) {
    $("demo-token-status").textContent = error.message;
  }
}

async function exchange(publicToken, metadata) {
  log(`onSuccess ${JSON.stringify(metadata)}`);
  $("demo-public-token").textContent = publicToken;
  $("demo-open").disabled = true;
  // The button that opened the modal is now disabled: give focus somewhere useful.
  $("demo-public-token").focus();
  try {
    const { accountToken, linkedAccount } = await backend("/demo/exchange", { publicToken });
    $("demo-account-token").textContent = accountToken;
    $("demo-linked-account").textContent = JSON.stringify(linkedAccount, null, 2);
    log("backend: public token exchanged");
    linked = { endUserId: linkedAccount.endUserId, integration: metadata.integration };
    $("demo-break").disabled = false;
    $("demo-keep-status").textContent = `${metadata.integration} is linked for ${linked.endUserId}.`;
  } catch (error) {
    $("demo-account-token").textContent = error.message;
  }
}

// Your backend tells the page which Keet environment to use, and the
// sandbox which integrations it serves (its catalogue is their one list).
const [{ apiBaseUrl, frameUrl }, integrations] = await Promise.all(
  ["/demo/config", "/demo/integrations"].map((path) => fetch(path).then((response) => response.json())),
);
// frameUrl only when the sandbox was told the frame is hosted elsewhere (--frame-url).
configure({ apiBaseUrl, frameUrl });
$("demo-integration").replaceChildren(
  ...integrations.map(({ name }) => new Option(name)),
  new Option("None: the user chooses", ""),
);
$("demo-passwordless").textContent = integrations
  .filter(({ passwordless }) => passwordless).map(({ name }) => name).join(" and ");
// A new end user per page load: linking an integration the same end user
// already linked is a re-link (the Reconnect button shows one).
$("demo-end-user").value = `demo-user-${crypto.randomUUID().slice(0, 8)}`;
document.body.dataset.isolation = isolation;
document.getElementById("token-form").addEventListener("submit", createToken);
$("demo-open").addEventListener("click", () => link?.open());
$("demo-break").addEventListener("click", async () => {
  try {
    await backend("/demo/break-login", linked);
    log(`backend: ${linked.integration}'s login broken (sandbox reset-login)`);
    $("demo-keep-status").textContent = `${linked.integration}'s login no longer works. Reconnect it.`;
    $("demo-reconnect").disabled = false;
  } catch (error) {
    $("demo-keep-status").textContent = error.message;
  }
});
$("demo-reconnect").addEventListener("click", async () => {
  // The same end user and integration: the sandbox makes it a re-link.
  $("demo-reconnect").disabled = true;
  openWhenReady = true;
  const form = new FormData();
  form.set("endUserId", linked.endUserId);
  form.set("integration", linked.integration);
  await startLink(form);
});

// What your backend's webhook endpoint received, shown live.
const WEBHOOKS_SHOWN = 20;
const webhooksShown = new Set();
setInterval(async () => {
  const events = await fetch("/demo/webhooks").then((response) => response.json()).catch(() => []);
  for (const event of events.filter(({ id }) => !webhooksShown.has(id))) {
    webhooksShown.add(event.id);
    const item = document.createElement("li");
    const { endUserId, integration, status } = event.data;
    item.textContent = `${event.createdAt.slice(11, 19)}  ${event.type}${status ? ` (${status})` : ""}  ${endUserId}${integration ? ` · ${integration}` : ""}`;
    $("demo-webhooks").append(item);
  }
  // The latest few: the page stays the same size however long it runs.
  while ($("demo-webhooks").children.length > WEBHOOKS_SHOWN) $("demo-webhooks").firstElementChild.remove();
}, 1000);
document.body.dataset.ready = "true";
