// Keet's documented sample, verbatim but for the import line.
import { useKeetLink } from "keet-link/react"

export function LinkButton({ linkToken, onSuccess, onValidationError }) {
  const { open, isReady } = useKeetLink({ linkToken, onSuccess, onValidationError })
  return <button disabled={!isReady} onClick={open}>Open Link</button>
}
