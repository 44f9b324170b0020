// A page with no modules at all: window.KeetLink from the classic script.
fetch("/demo/config")
  .then(function (response) { return response.json(); })
  .then(function (config) {
    KeetLink.configure({ apiBaseUrl: config.apiBaseUrl });
    ["first", "second"].forEach(start);
  });

function start(name) {
  fetch("/demo/link-token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ endUserId: "script-" + name + "-" + Date.now(), integration: name === "first" ? "X" : "Venmo" }),
  })
    .then(function (response) { return response.json(); })
    .then(function (body) {
      var button = document.querySelector('[data-testid="open-' + name + '"]');
      var output = document.querySelector('[data-testid="' + name + '-result"]');
      var link = KeetLink.create({
        linkToken: body.linkToken,
        onLoad: function () { button.disabled = !link.isReady; },
        onSuccess: function (publicToken, metadata) {
          output.textContent = (output.textContent ? output.textContent + " " : "") + metadata.integration + ":" + publicToken;
        },
      });
      var open = link.open; // destructured on purpose
      button.addEventListener("click", function () { open(); });
    });
}
