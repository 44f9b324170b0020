//! The host callbacks' payloads are written by hand
//! (`keet_link_protocol::write`): each reads as what serde writes.

use super::*;
use crate::host_types::*;
use keet_link_protocol::write::to_json;

/// Every character JSON escapes, and text beyond ASCII.
const AWKWARD: &str = "a\"b\\c\n\t\u{1} é 名前 😀";

fn written_as_serde_writes_it(notification: &Notification) {
    let args = notification.callback_args();
    let by_hand: serde_json::Value = serde_json::from_str(&to_json(&args)).expect("valid JSON");
    assert_eq!(
        by_hand,
        serde_json::to_value(&args).unwrap(),
        "{notification:?}"
    );
}

#[test]
fn every_callback_payload_is_written_as_serde_writes_it() {
    let error = |field: Option<&str>| KeetLinkError {
        code: "INVALID_CONFIG".into(),
        message: AWKWARD.into(),
        field: field.map(str::to_owned),
    };
    let mut all = vec![
        Notification::Load,
        Notification::Warn("keet-link: a warning"),
        Notification::ValidationError(Vec::new()),
        Notification::ValidationError(vec![error(Some("linkToken")), error(None)]),
    ];
    for username in [None, Some(AWKWARD.to_owned())] {
        all.push(Notification::Success {
            public_token: Secret::from("public_sandbox_1"),
            metadata: keet_link_protocol::SuccessMetadata {
                integration: "X".into(),
                username,
                link_session_id: "ls_1".into(),
                mode: LinkMode::Relink,
            },
        });
    }
    for status in ExitStatus::ALL {
        for link_session_id in [None, Some("ls_2".to_owned())] {
            for error in [None, Some(error(Some("apiBaseUrl")))] {
                all.push(Notification::Exit {
                    error,
                    metadata: ExitMetadata {
                        status: *status,
                        link_session_id: link_session_id.clone(),
                    },
                });
            }
        }
    }
    for name in EventName::ALL {
        all.push(Notification::Event {
            name: *name,
            metadata: EventMetadata {
                link_session_id: None,
                mode: None,
                view: None,
                error_code: None,
                integration: None,
            },
        });
    }
    for view in ViewName::ALL {
        all.push(Notification::Event {
            name: EventName::TransitionView,
            metadata: EventMetadata {
                link_session_id: Some("ls_3".into()),
                mode: Some(LinkMode::Link),
                view: Some(*view),
                error_code: Some("INVALID_CODE".into()),
                integration: Some(AWKWARD.into()),
            },
        });
    }
    for notification in &all {
        written_as_serde_writes_it(notification);
    }
}
