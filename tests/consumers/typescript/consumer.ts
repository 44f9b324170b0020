// Every config field, callback payload and handle member, typed. Must pass.
import {
  configure, createKeetLink, useKeetLink as useKeetLinkCore,
  type EventMetadata, type ExitMetadata, type KeetLinkConfig, type KeetLinkError,
  type KeetLinkEventName, type KeetLinkHandle, type SuccessMetadata,
} from "keet-link";
import { configure as configureReact, useKeetLink, type UseKeetLinkResult } from "keet-link/react";

const config: KeetLinkConfig = {
  linkToken: "link_sandbox_0123",
  onSuccess(publicToken: string, metadata: SuccessMetadata) {
    const integration: string = metadata.integration;
    const session: string = metadata.linkSessionId;
    const username: string | undefined = metadata.username;
    void [publicToken.toUpperCase(), integration, session, username];
  },
  onValidationError(errors: KeetLinkError[]) {
    const field: string | undefined = errors[0]?.field;
    void [errors[0]?.code, errors[0]?.message, field];
  },
  onExit(error: KeetLinkError | null, metadata: ExitMetadata) {
    const status:
      | "requires_credentials" | "requires_code" | "locked" | "error" | "expired"
      | "requires_integration" | "requires_approval" = metadata.status;
    void [error?.code, status, metadata.linkSessionId];
  },
  onEvent(name, metadata) {
    const known: KeetLinkEventName | string = name;
    if (name === "TRANSITION_VIEW") void metadata.view;
    if (name === "ERROR") void metadata.errorCode;
    void known;
  },
  onLoad() {},
  apiBaseUrl: "https://api.trykeet.com",
  isolation: "frame",
};

configure({ apiBaseUrl: "http://127.0.0.1:8080" });
configureReact({ apiBaseUrl: "http://127.0.0.1:8080" });
const handle: KeetLinkHandle = createKeetLink(config);
const ready: boolean = handle.isReady;
handle.open();
handle.exit();
handle.destroy();
const { open, exit, destroy } = useKeetLinkCore(config);
const result: UseKeetLinkResult = useKeetLink(config);
const reactReady: boolean = result.isReady;
const reactError: KeetLinkError | null = result.error;
void [ready, open, exit, destroy, reactReady, reactError, result.open, result.exit];

// <keet-link>: the element by its tag name, its options and its events.
import { KeetLinkElement, type KeetLinkElementEventMap } from "keet-link/element";

const element: KeetLinkElement = document.createElement("keet-link");
element.linkToken = "link_sandbox_0123";
element.apiBaseUrl = "https://api.trykeet.com";
element.appearance = "dark";
element.addEventListener("keet-success", (event) => {
  const publicToken: string = event.detail.publicToken;
  const integration: string = event.detail.metadata.integration;
  // @ts-expect-error a detail holds the callback's arguments and nothing else
  void event.detail.errors;
  void [publicToken, integration];
});
element.addEventListener("keet-event", (event) => {
  const named: string = event.detail.eventName;
  void [named, event.detail.metadata.linkSessionId];
});
// @ts-expect-error not an event of <keet-link>
const notAnEvent: KeetLinkElementEventMap["keet-nothing"] = null!;
element.addEventListener("keet-exit", (event) => void event.detail.metadata.status);
const onValidationError = (event: KeetLinkElementEventMap["keet-validation-error"]) => void event.detail.errors[0]?.field;
element.addEventListener("keet-validation-error", onValidationError);
const elementReady: boolean = element.isReady;
element.open();
element.exit();
void [elementReady, element instanceof KeetLinkElement, notAnEvent];

// The event contract: the stable names, the informational ones, each name's
// metadata, and a callback written with the plain signature of version 0.1.
import type {
  KeetLinkEventMetadataMap, KeetLinkInformationalEventName, KeetLinkStableEventName,
} from "keet-link";
const stable: KeetLinkStableEventName[] = ["OPEN", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS", "SUBMIT_MFA", "ERROR", "EXIT", "HANDOFF"];
const informational: KeetLinkInformationalEventName[] = ["RESEND_CODE", "FORGOT_PASSWORD", "OPEN_HELP"];
const errorCode: string = ({ errorCode: "TIMEOUT" } satisfies KeetLinkEventMetadataMap["ERROR"]).errorCode;
const view: KeetLinkEventMetadataMap["TRANSITION_VIEW"]["view"] = "MFA";
const plain: KeetLinkConfig = {
  linkToken: "link_sandbox_0123",
  onSuccess() {},
  onEvent(name: KeetLinkEventName, metadata: EventMetadata) {
    void [name, metadata];
  },
};
void [stable, informational, errorCode, view, plain];
