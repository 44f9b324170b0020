// Must NOT type-check: onSuccess's public token is a string, not a number.
import { createKeetLink } from "keet-link";

createKeetLink({
  linkToken: "link_sandbox_0123",
  onSuccess(publicToken: number) {
    void publicToken;
  },
});
