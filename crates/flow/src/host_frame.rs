//! The host–frame protocol, version 1: what the host page's loader and the
//! link frame say to each other. `spec/host-frame.md` is its prose and
//! `spec/host-frame.d.ts` its types; `tests/contracts.rs` fails when either side's
//! names differ from these.
//!
//! Two messages travel on `window.postMessage`, and carry nothing secret:
//! - [`HELLO`], frame → `window.parent`, target `*`: "I have loaded";
//! - [`CONNECT`], host → the iframe's `contentWindow`, target the exact link
//!   origin, transferring a `MessagePort`.
//!
//! Everything else, the link token included, travels on that port alone.
//! Either side ignores (and counts) anything malformed, unexpected, or from
//! the wrong sender, and never throws.

use keet_link_protocol::secret::Secret;

/// The protocol version both handshake messages carry.
pub const PROTOCOL_VERSION: u32 = 1;
/// `type` of the frame's first message to its parent.
pub const HELLO: &str = "keet-link:hello";
/// `type` of the host's answer, which transfers the port.
pub const CONNECT: &str = "keet-link:connect";
/// Where the link origin serves the frame page (a versioned path).
pub const FRAME_PATH: &str = keet_link_protocol::paths::FRAME;

/// A message the host sends on the port, once its shape was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostMessage {
    /// The first message: the link token to run, or that the host's
    /// `linkToken` function gives it (`tokenRefresh: true`).
    Init {
        /// `link_…`; `None` when the frame must ask for the first one.
        link_token: Option<Secret>,
        /// The host has a `linkToken` function: the frame asks it for a new
        /// token (`refresh`) when one expires.
        can_renew: bool,
        /// The host's options that the loader passes on
        /// ([`ConfigOption::sent_to_frame`](crate::config::ConfigOption)),
        /// by name, as given: the frame checks them. `apiBaseUrl` is the
        /// API the frame calls, which may be another origin than the
        /// frame's; absent from an older host, the frame calls the origin
        /// that serves it.
        options: Vec<(&'static str, String)>,
    },
    /// `open()`: show the modal.
    Open,
    /// `exit()`: close the modal as the user would.
    Exit,
    /// The host has shown the frame and focused it: move focus into the
    /// modal. Honoured once per `shown`
    /// ([`FrameSide::modal_shown`]), so that a host cannot pull the caret
    /// out of a field while the user types.
    Focus,
    /// `destroy()`: tear down, after handing over a success already earned.
    Destroy,
    /// The answer to the frame's `refresh`: what the host's `linkToken`
    /// function gave (the frame checks its form), or why it gave nothing.
    Token(Result<Secret, TokenProblem>),
}

/// Why the host's `linkToken` function gave no token, as `token`'s `problem` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// `"rejected"`: it threw, or its promise rejected.
    Rejected,
    /// `"not-a-token"` (or anything unknown): it gave something else than a string.
    NotAToken,
}

impl TokenProblem {
    /// The sentence that ends the error the widget reports.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Rejected => crate::config::TOKEN_FUNCTION_REJECTED,
            Self::NotAToken => crate::config::TOKEN_FUNCTION_GAVE_NO_TOKEN,
        }
    }
}

/// Every `type` a host message may have, as the wire spells it.
pub const HOST_MESSAGE_TYPES: [&str; 6] = ["init", "open", "exit", "focus", "destroy", "token"];

impl HostMessage {
    /// The wire name of this message's `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Init { .. } => "init",
            Self::Open => "open",
            Self::Exit => "exit",
            Self::Focus => "focus",
            Self::Destroy => "destroy",
            Self::Token(_) => "token",
        }
    }

    /// Reads a message through `field`, which gives a field's value as a
    /// string (`None` when it is absent or neither a string nor a boolean;
    /// a boolean reads `"true"` or `"false"`): its `type`, on `init` its
    /// `linkToken`, `tokenRefresh` and options, on `token` its `linkToken`
    /// or `problem`. An `init` with neither a token nor `tokenRefresh`, a
    /// `linkToken` on any other message, or anything else unknown, is
    /// `None`: the caller ignores and counts it.
    pub fn parse(field: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let can_renew = field("tokenRefresh").as_deref() == Some("true");
        match (field("type")?.as_str(), field("linkToken")) {
            ("init", link_token) if link_token.is_some() || can_renew => Some(Self::Init {
                link_token: link_token.map(Secret::from),
                can_renew,
                options: crate::config::OPTIONS
                    .iter()
                    .filter(|option| option.sent_to_frame)
                    .filter_map(|option| Some((option.name, field(option.name)?)))
                    .collect(),
            }),
            ("token", Some(link_token)) => Some(Self::Token(Ok(link_token.into()))),
            ("token", None) => Some(Self::Token(Err(match field("problem").as_deref() {
                Some("rejected") => TokenProblem::Rejected,
                _ => TokenProblem::NotAToken,
            }))),
            ("open", None) => Some(Self::Open),
            ("exit", None) => Some(Self::Exit),
            ("focus", None) => Some(Self::Focus),
            ("destroy", None) => Some(Self::Destroy),
            _ => None,
        }
    }
}

/// What the frame does with a host message, given where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameState {
    /// Port received, no `init` yet.
    AwaitingInit,
    /// Running a widget.
    Running,
    /// Destroyed, or refused its token: everything is ignored.
    Ended,
}

/// The frame's side of the port, as a pure state machine: it decides which
/// messages to act on. Replays and out-of-order messages are ignored.
#[derive(Debug)]
pub struct FrameSide {
    state: FrameState,
    ignored: u32,
    /// The frame said `shown` and no `focus` has been honoured since.
    focus_owed: bool,
}

impl Default for FrameSide {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameSide {
    /// A frame that has its port and waits for `init`.
    pub fn new() -> Self {
        Self {
            state: FrameState::AwaitingInit,
            ignored: 0,
            focus_owed: false,
        }
    }

    /// How many messages were ignored so far.
    pub fn ignored(&self) -> u32 {
        self.ignored
    }

    /// Where the frame is.
    pub fn state(&self) -> FrameState {
        self.state
    }

    /// Accepts `message` if it fits the current state (and moves on), or
    /// counts it as ignored and returns `None`.
    pub fn accept(&mut self, message: Option<HostMessage>) -> Option<HostMessage> {
        let accepted = match (self.state, message) {
            (FrameState::AwaitingInit, Some(init @ HostMessage::Init { .. })) => {
                self.state = FrameState::Running;
                Some(init)
            }
            (FrameState::Running, Some(HostMessage::Destroy)) => {
                self.state = FrameState::Ended;
                Some(HostMessage::Destroy)
            }
            // One focus per shown: the host's hand-over, not a way to move
            // the caret later.
            (FrameState::Running, Some(HostMessage::Focus)) => {
                std::mem::take(&mut self.focus_owed).then_some(HostMessage::Focus)
            }
            (FrameState::Running, Some(message))
                if !matches!(message, HostMessage::Init { .. }) =>
            {
                Some(message)
            }
            _ => None,
        };
        if accepted.is_none() {
            self.ignored = self.ignored.saturating_add(1);
        }
        accepted
    }

    /// The frame told the host that the modal is `shown` (`true`) or
    /// `hidden`: a shown modal owes the host one `focus`.
    pub fn modal_shown(&mut self, shown: bool) {
        self.focus_owed = shown && self.state == FrameState::Running;
    }

    /// The token was refused before the widget could start: nothing more to do.
    pub fn end(&mut self) {
        self.state = FrameState::Ended;
    }
}

/// Every `type` a frame message on the port may have (`refresh` asks the
/// host's `linkToken` function for a new token; the host answers `token`).
pub const FRAME_MESSAGE_TYPES: [&str; 5] = ["shown", "hidden", "state", "callback", "refresh"];

#[cfg(test)]
mod tests {
    use super::*;

    fn init() -> HostMessage {
        HostMessage::Init {
            link_token: Some("link_sandbox_abc".into()),
            can_renew: false,
            options: Vec::new(),
        }
    }

    #[test]
    fn parses_each_host_message_and_nothing_else() {
        /// A message with these string fields.
        fn message<'a>(fields: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
            move |name| {
                fields
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            }
        }
        for kind in HOST_MESSAGE_TYPES {
            let parsed = if kind == "init" || kind == "token" {
                HostMessage::parse(message(&[("type", kind), ("linkToken", "link_x")]))
            } else {
                HostMessage::parse(message(&[("type", kind)]))
            };
            assert_eq!(parsed.expect(kind).kind(), kind);
        }
        assert_eq!(HostMessage::parse(message(&[("type", "init")])), None);
        assert_eq!(
            HostMessage::parse(message(&[("type", "open"), ("linkToken", "link_x")])),
            None
        );
        assert_eq!(HostMessage::parse(message(&[("type", "OPEN")])), None);
        assert_eq!(HostMessage::parse(message(&[])), None);
        assert_eq!(
            HostMessage::parse(message(&[
                ("type", "init"),
                ("linkToken", "link_x"),
                ("locale", "ar"),
                ("appearance", "dark"),
                ("accentColor", "#0A66C2"),
                ("apiBaseUrl", "https://api.example.com"),
                ("frameUrl", "https://link.example.com/frame"),
            ])),
            Some(HostMessage::Init {
                link_token: Some("link_x".into()),
                can_renew: false,
                // In the config's order; the frame has no use for frameUrl.
                options: vec![
                    ("apiBaseUrl", "https://api.example.com".into()),
                    ("locale", "ar".into()),
                    ("appearance", "dark".into()),
                    ("accentColor", "#0A66C2".into()),
                ],
            })
        );
    }

    #[test]
    fn a_host_with_a_token_function_may_send_init_without_a_token_and_answer_refresh() {
        let message = |fields: &'static [(&'static str, &'static str)]| {
            HostMessage::parse(move |name| {
                fields
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            })
        };
        assert!(matches!(
            message(&[("type", "init"), ("tokenRefresh", "true")]),
            Some(HostMessage::Init {
                link_token: None,
                can_renew: true,
                ..
            })
        ));
        assert_eq!(
            message(&[("type", "init"), ("tokenRefresh", "false")]),
            None
        );
        assert_eq!(
            message(&[("type", "token"), ("problem", "rejected")]),
            Some(HostMessage::Token(Err(TokenProblem::Rejected)))
        );
        assert_eq!(
            message(&[("type", "token"), ("problem", "anything")]),
            Some(HostMessage::Token(Err(TokenProblem::NotAToken)))
        );
        let mut frame = FrameSide::new();
        let token = HostMessage::Token(Ok("link_sandbox_new".into()));
        assert_eq!(frame.accept(Some(token.clone())), None, "before init");
        frame.accept(Some(init()));
        assert_eq!(frame.accept(Some(token.clone())), Some(token));
    }

    #[test]
    fn the_frame_runs_one_init_and_ignores_replays_and_early_messages() {
        let mut frame = FrameSide::new();
        assert_eq!(
            frame.accept(Some(HostMessage::Open)),
            None,
            "open before init"
        );
        assert_eq!(frame.accept(None), None, "malformed");
        assert_eq!(frame.accept(Some(init())), Some(init()));
        assert_eq!(frame.accept(Some(init())), None, "a replayed init");
        assert_eq!(
            frame.accept(Some(HostMessage::Open)),
            Some(HostMessage::Open)
        );
        assert_eq!(
            frame.accept(Some(HostMessage::Open)),
            Some(HostMessage::Open)
        );
        assert_eq!(
            frame.accept(Some(HostMessage::Destroy)),
            Some(HostMessage::Destroy)
        );
        assert_eq!(frame.accept(Some(HostMessage::Exit)), None, "after destroy");
        assert_eq!(frame.ignored(), 4);
    }

    #[test]
    fn the_frame_takes_one_focus_per_shown_and_none_while_hidden() {
        let mut frame = FrameSide::new();
        frame.modal_shown(true);
        frame.accept(Some(init()));
        assert_eq!(
            frame.accept(Some(HostMessage::Focus)),
            None,
            "nothing shown yet"
        );
        frame.modal_shown(true);
        assert_eq!(
            frame.accept(Some(HostMessage::Focus)),
            Some(HostMessage::Focus)
        );
        // While the user types, the host cannot move the caret again.
        assert_eq!(
            frame.accept(Some(HostMessage::Focus)),
            None,
            "a second focus"
        );
        frame.modal_shown(false);
        frame.modal_shown(true);
        frame.modal_shown(false);
        assert_eq!(frame.accept(Some(HostMessage::Focus)), None, "hidden again");
        frame.modal_shown(true);
        assert_eq!(
            frame.accept(Some(HostMessage::Focus)),
            Some(HostMessage::Focus)
        );
        assert_eq!(frame.ignored(), 3);
    }

    #[test]
    fn the_link_token_never_shows_in_debug_output() {
        assert!(!format!("{:?}", init()).contains("sandbox_abc"));
    }
}
