// Must NOT type-check: a switch over the event names cannot be exhaustive,
// because a newer widget may send a name these declarations do not know.
import { createKeetLink } from "keet-link";

createKeetLink({
  linkToken: "link_sandbox_0123",
  onSuccess() {},
  onEvent(name) {
    switch (name) {
      case "OPEN": case "TRANSITION_VIEW": case "SUBMIT_CREDENTIALS": case "SUBMIT_MFA": case "ERROR":
      case "EXIT": case "HANDOFF": case "RESEND_CODE": case "FORGOT_PASSWORD": case "OPEN_HELP":
        break;
      default: {
        const unreachable: never = name;
        void unreachable;
      }
    }
  },
});
