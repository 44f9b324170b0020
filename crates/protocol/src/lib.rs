//! The wire types of the Keet Link HTTP API, written once and shared by the
//! widget and the sandbox server.
//!
//! The contract is `spec/openapi.yaml` (the project's copy of
//! `shared/spec/link-api.md`). This module has no browser or server code: it
//! is plain serde: the sandbox and the flow depend on it, and it on nothing
//! of theirs.
//!
//! Request bodies refuse unknown fields; response bodies ignore them, so that
//! a newer server never breaks an older widget.
//!
//! The modules: [`errors`] (the error body and its codes), [`server`] (the
//! calls a customer's backend makes), [`widget`] (the calls the widget makes:
//! session, steps, fields, submit, exit) and [`checks`] (the text checks both
//! sides share). Everything is re-exported here. Apart: [`read`] and
//! [`write`], how the widget reads its answers and writes what it sends by
//! hand, held to the serde derives by tests (no serde code in its wasm).

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

pub mod colour;
pub mod read;
pub mod secret;
pub mod write;

mod checks;
mod errors;
mod server;
#[cfg(test)]
mod tests;
mod widget;

pub use checks::*;
pub use errors::*;
pub use server::*;
pub use widget::*;

/// Largest request body the API accepts, in bytes (64 KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest `endUserId`, in characters.
pub const MAX_END_USER_ID_CHARS: usize = 256;
/// Longest `companyName`, in characters.
pub const MAX_COMPANY_NAME_CHARS: usize = 128;
/// Longest `companyLogoUri`, in characters.
pub const MAX_LOGO_URI_CHARS: usize = 2048;
/// Longest `Idempotency-Key` header value, in characters.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;
/// Header that makes a submit safe to retry.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// Header that carries an account token to `/v1/linked-accounts/me`.
pub const ACCOUNT_TOKEN_HEADER: &str = "X-Account-Token";
/// The header in which the link frame names the origin of the page that
/// embeds it (the `connect` message's origin, which that page cannot
/// forge): the API allows a widget request only when every origin it names,
/// this one and the browser's `Origin`, is registered for the API key.
pub const EMBEDDER_ORIGIN_HEADER: &str = "Keet-Embedder-Origin";

/// Prefix of a sandbox API key.
pub const API_KEY_PREFIX: &str = "sk_sandbox_";
/// Prefix of a sandbox link token.
pub const LINK_TOKEN_PREFIX: &str = "link_sandbox_";
/// Prefix of a sandbox public token.
pub const PUBLIC_TOKEN_PREFIX: &str = "public_sandbox_";
/// Prefix of an account token.
pub const ACCOUNT_TOKEN_PREFIX: &str = "acc_";

/// Declares a wire enum once: each variant beside its wire name. It derives
/// the serde names, `as_str` and `ALL` from that one list, so a new variant
/// cannot miss any of them, and the contract tests (`tests/contracts.rs`)
/// walk `ALL` against `spec/`. The flow's host-facing enums use it too
/// (the caller needs `serde` for the derives).
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $wire)] $variant, )+
        }

        impl $name {
            /// Every variant, in the order the contract lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }

            /// The variant whose wire name is `wire`.
            pub fn from_wire(wire: &str) -> Option<Self> {
                match wire {
                    $($wire => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

/// The API's paths, as `spec/openapi.yaml` lists them (checked by
/// `tests/contracts.rs`).
pub mod paths {
    /// `POST`: a backend creates a link token.
    pub const LINK_TOKEN: &str = "/v1/link/token";
    /// `POST`: a backend exchanges a public token for an account token.
    pub const EXCHANGE_PUBLIC_TOKEN: &str = "/v1/linked-accounts/token";
    /// `GET`, `DELETE`: the account an account token stands for.
    pub const LINKED_ACCOUNT: &str = "/v1/linked-accounts/me";
    /// `GET`: the widget loads its session.
    pub const SESSION: &str = "/v1/link/session";
    /// `POST`: the widget sends a step's values.
    pub const SUBMIT: &str = "/v1/link/session/submit";
    /// `POST`: the widget ends the session.
    pub const EXIT: &str = "/v1/link/session/exit";
    /// `POST`: the widget asks for a new one-time code.
    pub const RESEND: &str = "/v1/link/session/resend";
    /// `POST`, sandbox only: marks an integration's login as broken, as a
    /// changed password would (Plaid's `/sandbox/item/reset_login`).
    pub const RESET_LOGIN: &str = "/v1/sandbox/linked-accounts/me/reset-login";
    /// `GET`: the link frame's page, where keet-sandbox (and a deployment
    /// beside the API) serves it; not in the OpenAPI document, which has
    /// only the JSON API.
    pub const FRAME: &str = "/link/v1/frame";
    /// Every path of the JSON API above.
    pub const ALL: &[&str] = &[
        LINK_TOKEN,
        EXCHANGE_PUBLIC_TOKEN,
        LINKED_ACCOUNT,
        SESSION,
        SUBMIT,
        EXIT,
        RESEND,
        RESET_LOGIN,
    ];
}

/// The `"status": "ok"` marker of every success body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Ok {
    /// The only value: `"ok"`.
    #[default]
    Ok,
}

/// The `"status": "error"` marker of every error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ErrorStatus {
    /// The only value: `"error"`.
    #[default]
    Error,
}
