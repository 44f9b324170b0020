//! The widget reads the API's answers by hand (`keet_link_protocol::read`),
//! not with serde. Fed any JSON, the hand reader never panics, and whatever
//! serde reads as one of the widget's answers, it reads the same. (It may
//! read a little more: a `null` list, a whole number written `2.0`.)
#![no_main]

use keet_link_protocol::read::{read, Read};
use keet_link_protocol::{ErrorBody, OkBody, ResendResponse, SessionResponse, SubmitResponse};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// serde also reads a struct from an array of its members' values (its
/// sequence form: `["ok"]` is an `OkBody`). No answer is written so, and
/// the hand reader refuses it, as it should. Such inputs are left out of the
/// comparison: an array at the top, or an array that holds anything but
/// objects (every list in an answer is a list of objects).
fn may_hold_a_struct_as_an_array(json: &Value, top: bool) -> bool {
    match json {
        Value::Array(items) => {
            top || items
                .iter()
                .any(|item| !item.is_object() || may_hold_a_struct_as_an_array(item, false))
        }
        Value::Object(members) => members
            .values()
            .any(|member| may_hold_a_struct_as_an_array(member, false)),
        _ => false,
    }
}

fn serde_reading_is_read_by_hand<T>(json: &Value)
where
    T: Read + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let by_hand = read::<T, _>(json);
    if may_hold_a_struct_as_an_array(json, true) {
        return;
    }
    if let Ok(by_serde) = serde_json::from_value::<T>(json.clone()) {
        assert_eq!(by_hand, Ok(by_serde), "{json}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    serde_reading_is_read_by_hand::<SessionResponse>(&json);
    serde_reading_is_read_by_hand::<SubmitResponse>(&json);
    serde_reading_is_read_by_hand::<ResendResponse>(&json);
    serde_reading_is_read_by_hand::<OkBody>(&json);
    serde_reading_is_read_by_hand::<ErrorBody>(&json);
});
