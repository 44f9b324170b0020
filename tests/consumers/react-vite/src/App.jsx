import { useCallback, useEffect, useState } from "react";
import { LinkButton } from "./LinkButton.jsx";

async function newLinkToken() {
  const response = await fetch("/demo/link-token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ endUserId: `react-${crypto.randomUUID()}`, integration: "Instagram", companyName: "React Shop" }),
  });
  return (await response.json()).linkToken;
}

// `?tokenFunction`: linkToken is an inline arrow that asks the backend, a new
// function every render; the hook must not re-create the widget for it.
const tokenFunction = new URLSearchParams(location.search).has("tokenFunction");

export function App() {
  const [linkToken, setLinkToken] = useState(null);
  const [mounted, setMounted] = useState(true);
  const [successes, setSuccesses] = useState([]);
  const [errors, setErrors] = useState([]);
  const [renders, setRenders] = useState(0);

  useEffect(() => { newLinkToken().then(setLinkToken); }, []);
  // A new function every render: the hook must still call the latest one,
  // without creating a new widget.
  const onSuccess = (publicToken, metadata) =>
    setSuccesses((list) => [...list, { publicToken, metadata, renders }]);
  const onValidationError = useCallback((list) => setErrors(list), []);

  return (
    <main>
      <h1>Keet's React sample</h1>
      {(linkToken || tokenFunction) && mounted && (
        <LinkButton linkToken={tokenFunction ? () => newLinkToken() : linkToken} onSuccess={onSuccess}
          onValidationError={onValidationError} />
      )}
      <p>
        <button data-testid="rerender" onClick={() => setRenders((n) => n + 1)}>Re-render ({renders})</button>
        <button data-testid="toggle-mount" onClick={() => setMounted((m) => !m)}>{mounted ? "Unmount" : "Mount"}</button>
        <button data-testid="new-token" onClick={() => newLinkToken().then(setLinkToken)}>New link token</button>
      </p>
      <output data-testid="success-count">{successes.length}</output>
      <pre data-testid="successes">{JSON.stringify(successes)}</pre>
      <pre data-testid="errors">{JSON.stringify(errors)}</pre>
    </main>
  );
}
