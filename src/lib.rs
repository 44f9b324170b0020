//! Keet Link: the account-linking modal, as a Leptos component compiled to
//! WebAssembly.
//!
//! The crate has three layers, each in its own module:
//! - [`protocol`]: the HTTP API's wire types, shared with the sandbox server;
//! - [`flow`] and [`config`]: the link flow as a pure state machine and the
//!   checks of the host's config, tested on the host;
//! - `widget` (feature `widget`, browser only): the Leptos view and the
//!   JavaScript boundary.

pub mod colour;
pub mod config;
pub mod flow;
pub mod host_frame;
pub mod i18n;
pub mod protocol;
pub mod secret;
#[cfg(feature = "widget")]
pub mod widget;
