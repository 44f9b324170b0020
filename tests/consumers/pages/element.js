// <keet-link> as a page with no framework uses it: attributes in, DOM events
// out. Every event is listed in the page, with its detail.
const { apiBaseUrl } = await fetch("/demo/config").then((response) => response.json());

async function newLinkToken() {
  const response = await fetch("/demo/link-token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ endUserId: `element-${crypto.randomUUID()}`, integration: "Facebook" }),
  });
  return (await response.json()).linkToken;
}

const element = document.createElement("keet-link");
element.setAttribute("api-base-url", apiBaseUrl);
element.setAttribute("link-token", await newLinkToken());
const log = document.querySelector('[data-testid="events"]');
for (const type of ["keet-load", "keet-event", "keet-success", "keet-exit", "keet-validation-error"]) {
  // Listened for on the document: the events bubble.
  document.addEventListener(type, (event) => {
    const item = document.createElement("li");
    item.textContent = `${type} ${JSON.stringify(event.detail)}`;
    log.append(item);
  });
}
document.getElementById("slot").append(element);

const on = (id, action) => document.querySelector(`[data-testid="${id}"]`).addEventListener("click", action);
on("open", () => element.open());
on("new-token", async () => element.setAttribute("link-token", await newLinkToken()));
on("bad-token", () => (element.linkToken = "public_not_a_link_token"));
on("remove", () => element.remove());
