// @ts-check
// The session request a loader of this package sends while the wasm still
// downloads (DECISIONS S11): the link frame's frame.js once `init` brings
// the link token, and the in-page build's module as soon as it has loaded,
// beside the wasm. On a slow network that takes the call's round trips off
// the way to ready. It is the widget's own first request (its URL and
// headers, no credentials), sent only to an API the widget would call
// (https:, or http: on loopback); the widget takes the answer if it is a
// success in the widget's language, else asks again.
// <session-request> Written by `KEET_WRITE=1 cargo test --test contracts` from keet_link::protocol; do not edit.
const SESSION_PATH = "/v1/link/session";
const EMBEDDER_ORIGIN_HEADER = "Keet-Embedder-Origin";
const REQUEST_TIMEOUT_MS = 15000;
// </session-request>
export { REQUEST_TIMEOUT_MS };

/**
 * The session request for a widget of `apiBaseUrl` and `linkToken`, or
 * undefined where the widget would not send one as it starts (a token that
 * comes later from a function, an API it refuses).
 * @param {unknown} apiBaseUrl
 * @param {unknown} linkToken
 * @param {unknown} locale  the widget's `locale` option, if it has one
 * @param {string} [embedderOrigin]  in the link frame: the embedding page's origin
 * @returns {{ url: string, response: Promise<Response> } | undefined}
 */
export function askForSession(apiBaseUrl, linkToken, locale, embedderOrigin) {
  if (typeof linkToken !== "string" || typeof apiBaseUrl !== "string") return undefined;
  let api;
  try {
    api = new URL(apiBaseUrl);
  } catch {
    return undefined;
  }
  const loopback = api.protocol === "http:" && (api.hostname === "127.0.0.1" || api.hostname === "localhost");
  if ((api.protocol !== "https:" && !loopback) || /[?#]/.test(apiBaseUrl)) return undefined;
  const url = apiBaseUrl.replace(/\/+$/, "") + SESSION_PATH;
  // The languages the widget negotiates over, best first, as weights: the
  // API picks by the same rule (i18n's Locale::from_accept_language).
  const languages = typeof locale === "string" ? [locale] : navigator.languages.slice(0, 9);
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${linkToken}`, Accept: "application/json" };
  if (embedderOrigin) headers[EMBEDDER_ORIGIN_HEADER] = embedderOrigin;
  if (languages.length) headers["Accept-Language"] = languages.map((tag, i) => (i ? `${tag};q=${(10 - i) / 10}` : tag)).join(", ");
  // Bounded as the widget's own requests are: it waits for this one instead.
  const response = fetch(url, { headers, credentials: "omit", signal: AbortSignal.timeout?.(REQUEST_TIMEOUT_MS) });
  // A failure is the widget's to report, from its own request.
  response.catch(() => {});
  return { url, response };
}
