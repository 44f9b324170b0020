//! The frame's side of the port fed any sequence of messages, well formed
//! or not: it never panics, runs at most one `init`, and acts on nothing
//! once it has ended.
#![no_main]

use keet_link::host_frame::{FrameSide, FrameState, HostMessage, HOST_MESSAGE_TYPES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut frame = FrameSide::new();
    let mut inits = 0;
    let mut seen = 0u32;
    for chunk in data.chunks(2) {
        let kind = match chunk[0] % 9 {
            index @ 0..=5 => Some(HOST_MESSAGE_TYPES[usize::from(index)]),
            6 => Some("keet-link:hello"),
            7 => Some(""),
            _ => None,
        };
        let token = chunk
            .get(1)
            .filter(|byte| **byte % 2 == 0)
            .map(|byte| format!("link_sandbox_{byte}"));
        let ended = frame.state() == FrameState::Ended;
        let accepted = frame.accept(HostMessage::parse(|name| match name {
            "type" => kind.map(str::to_owned),
            "linkToken" => token.clone(),
            "tokenRefresh" => Some((chunk[0] % 3 == 0).to_string()),
            "problem" => Some("rejected".to_owned()),
            _ => None,
        }));
        seen += 1;
        if ended {
            assert!(accepted.is_none(), "acted on {accepted:?} after the end");
        }
        if let Some(HostMessage::Init { .. }) = accepted {
            inits += 1;
        }
        if chunk[0] == 255 {
            frame.end();
        }
    }
    assert!(inits <= 1, "ran {inits} inits");
    assert!(frame.ignored() <= seen);
});
