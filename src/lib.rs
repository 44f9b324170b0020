//! Keet Link: the account-linking modal, as a Leptos component compiled to
//! WebAssembly.
//!
//! The layers are crates, and their arrows point one way (`cargo metadata`
//! shows them):
//! - `keet-link-i18n` ([`i18n`]): the locales and their sentences;
//! - `keet-link-protocol` ([`protocol`], with [`secret`] and [`colour`]): the
//!   HTTP API's wire types and their checks, shared with the sandbox server;
//! - `keet-link-flow` ([`flow`], [`config`], [`host_frame`]): the link flow
//!   as a sans-IO state machine, the host's config and the host–frame
//!   protocol, tested on the host;
//! - this crate: [`widget`] (feature `widget`, browser only), the Leptos
//!   view and the JavaScript boundary, over the crates above, which it
//!   re-exports under these names.

pub use keet_link_flow as flow;
pub use keet_link_flow::{config, host_frame};
pub use keet_link_i18n as i18n;
pub use keet_link_protocol as protocol;
pub use keet_link_protocol::{colour, secret};
#[cfg(feature = "widget")]
pub mod widget;
