//! The wire types against the contract's examples and hostile input.

use super::*;
use keet_link_i18n::Locale;

fn field(kind: FieldKind) -> FieldSpec {
    FieldSpec {
        name: "f".into(),
        label: "Field".into(),
        kind,
        autocomplete: None,
        required: true,
        max_length: Some(20),
        length: (kind == FieldKind::Otp).then_some(6),
        value: None,
        read_only: false,
        options: Vec::new(),
    }
}

#[test]
fn empty_required_value_is_refused_with_required() {
    for kind in [FieldKind::Text, FieldKind::Password, FieldKind::Otp] {
        assert_eq!(
            field(kind)
                .check_value("  ", Locale::En.texts())
                .unwrap_err()
                .0,
            FieldErrorCode::Required
        );
    }
}

#[test]
fn email_phone_and_code_are_checked_by_kind() {
    assert!(field(FieldKind::Email)
        .check_value("a@b.co", Locale::En.texts())
        .is_ok());
    assert!(field(FieldKind::Email)
        .check_value("ab.co", Locale::En.texts())
        .is_err());
    assert!(field(FieldKind::Phone)
        .check_value("+1 (555) 555-0100", Locale::En.texts())
        .is_ok());
    assert!(field(FieldKind::Phone)
        .check_value("5555550100", Locale::En.texts())
        .is_err());
    assert!(field(FieldKind::Otp)
        .check_value("12a456", Locale::En.texts())
        .is_err());
    assert!(field(FieldKind::Otp)
        .check_value("1234567", Locale::En.texts())
        .is_err());
    assert!(field(FieldKind::Otp)
        .check_value("123456", Locale::En.texts())
        .is_ok());
}

#[test]
fn too_long_value_is_refused() {
    let long = "x".repeat(21);
    assert_eq!(
        field(FieldKind::Text)
            .check_value(&long, Locale::En.texts())
            .unwrap_err()
            .0,
        FieldErrorCode::TooLong
    );
}

#[test]
fn a_value_at_the_limit_in_any_script_is_taken_as_characters_not_bytes() {
    // The field takes 20: one of each width of UTF-8, then filled to 20.
    let at_limit = ["é", "日", "😀"].concat() + &"x".repeat(17);
    let texts = Locale::En.texts();
    assert!(field(FieldKind::Text).check_value(&at_limit, texts).is_ok());
    let over = at_limit + "ß";
    assert_eq!(
        field(FieldKind::Text)
            .check_value(&over, texts)
            .unwrap_err()
            .0,
        FieldErrorCode::TooLong
    );
}

#[test]
fn logo_uri_must_be_https_or_loopback() {
    for good in [
        "https://a.example/x.png",
        "https://a.example:8443",
        "http://localhost:5173/l.svg",
        "http://127.0.0.1/l.png",
    ] {
        assert!(is_https_or_loopback_url(good), "{good}");
    }
    for bad in [
        "javascript:alert(1)",
        "HTTPS://a.example/",
        "data:image/png;base64,AA",
        "http://example.com/l.png",
        "https://",
        "https://user@evil.example/",
        "https://a b.example/",
        "//a.example/x.png",
        "http://localhost.evil.example/",
        "https://a.example:80x/",
    ] {
        assert!(!is_https_or_loopback_url(bad), "{bad}");
    }
}

#[test]
fn display_strings_refuse_what_could_spoof_the_text_and_name_the_field() {
    let config = |end_user_id: &str, company_name: &str| LinkConfig {
        end_user_id: end_user_id.into(),
        integration: Some("Instagram".into()),
        integrations: None,
        company_name: Some(company_name.into()),
        company_logo_uri: None,
    };
    for spoof in [
        "Acme\u{202E}gnp.exe",
        "A\u{2066}cme",
        "Ac\u{200B}me",
        "Acme\u{0}",
        "Acme\n",
        "\u{FEFF}Acme",
    ] {
        let errors = config("u", spoof).validate();
        assert_eq!(errors.len(), 1, "{spoof:?}");
        assert_eq!(errors[0].field, "linkConfig.companyName");
        assert_eq!(errors[0].code, FieldErrorCode::InvalidFormat);
        assert!(!errors[0].message.contains(spoof));
    }
    for fine in [
        "Acme Budget",
        "شرکت\u{200C}ها",
        "👩\u{200D}💻 Labs",
        "\u{200F}עברית",
        "Zürich AG",
    ] {
        assert!(config("u", fine).validate().is_empty(), "{fine:?}");
    }
    for control in ["user\u{0}1", "user\n1", "user\u{7F}"] {
        let errors = config(control, "Acme").validate();
        assert_eq!(errors[0].field, "linkConfig.endUserId", "{control:?}");
        assert_eq!(errors[0].code, FieldErrorCode::InvalidFormat);
    }
    // An end-user id is not shown to anyone: bidi marks are the customer's business.
    assert!(config("user\u{202E}1", "Acme").validate().is_empty());
}

#[test]
fn link_config_names_each_bad_field() {
    let config = LinkConfig {
        end_user_id: "u".repeat(257),
        integration: Some("Instagram".into()),
        integrations: None,
        company_name: Some(String::new()),
        company_logo_uri: Some(format!("https://a.example/{}", "x".repeat(2048))),
    };
    let fields: Vec<_> = config.validate().into_iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "linkConfig.endUserId",
            "linkConfig.companyName",
            "linkConfig.companyLogoUri"
        ]
    );
}

#[test]
fn secret_values_debug_shows_names_only() {
    let values: SecretValues = [("password".to_owned(), Secret::from("pass_good"))]
        .into_iter()
        .collect();
    let shown = format!("{values:?}");
    assert!(shown.contains("password") && !shown.contains("pass_good"));
}

#[test]
fn unknown_codes_from_a_newer_server_still_parse() {
    let body: ErrorBody = serde_json::from_str(
        r#"{"status":"error","error":{"code":"SOMETHING_NEW","message":"m"},
            "errors":[{"field":"x","code":"ALSO_NEW","message":"m"}],"extra":1}"#,
    )
    .unwrap();
    assert_eq!(body.error.code, ErrorCode::Unknown);
    assert_eq!(body.errors[0].code, FieldErrorCode::Unknown);
}

#[test]
fn uuid_has_version_and_variant_bits() {
    let id = uuid_v4([0; 16]);
    assert_eq!(id, "00000000-0000-4000-8000-000000000000");
    assert_eq!(id.len(), 36);
}

#[test]
fn every_wire_name_is_what_serde_writes() {
    fn check<T: Serialize + Copy>(all: &[T], name: fn(T) -> &'static str) {
        for &value in all {
            assert_eq!(serde_json::to_value(value).unwrap(), name(value));
        }
    }
    check(ErrorCode::ALL, ErrorCode::as_str);
    check(FieldErrorCode::ALL, FieldErrorCode::as_str);
    check(FieldKind::ALL, FieldKind::as_str);
    check(ExitReason::ALL, ExitReason::as_str);
}

#[test]
fn done_step_and_form_steps_parse_by_type() {
    let done: SubmitResponse = serde_json::from_str(
        r#"{"status":"ok","step":{"type":"done"},"publicToken":"public_sandbox_x",
            "metadata":{"integration":"X","linkSessionId":"ls_1"}}"#,
    )
    .unwrap();
    assert_eq!(done.step, Step::Done);
    let mfa: Step = serde_json::from_str(
        r#"{"type":"mfa","id":"st_1","prompt":"p","fields":[{"name":"code","label":"Code",
            "kind":"otp","length":6,"required":true}]}"#,
    )
    .unwrap();
    assert_eq!(mfa.form().unwrap().fields[0].kind, FieldKind::Otp);
}

#[test]
fn malformed_responses_are_errors_not_panics() {
    for text in [
        r#"{"status":"ok"}"#,
        r#"{"status":"ok","step":{"type":"warp"}}"#,
        r#"{"status":"ok","step":{"type":"mfa"}}"#,
        r#"{"status":"ok","step":{"type":"mfa","id":1,"fields":[]}}"#,
        r#"[]"#,
        r#"null"#,
    ] {
        assert!(
            serde_json::from_str::<SubmitResponse>(text).is_err(),
            "{text}"
        );
    }
}

#[test]
fn a_choice_field_accepts_only_one_of_its_options() {
    let mut method = field(FieldKind::Choice);
    method.options = vec![
        ChoiceOption {
            value: "sms".into(),
            label: "Text".into(),
        },
        ChoiceOption {
            value: "email".into(),
            label: "Email".into(),
        },
    ];
    let english = Locale::En.texts();
    assert!(method.check_value("email", english).is_ok());
    let (code, message) = method.check_value("pigeon", english).unwrap_err();
    assert_eq!(code, FieldErrorCode::InvalidValue);
    assert_eq!(message, "Choose one of the options.");
    assert_eq!(
        method.check_value("", english).unwrap_err().0,
        FieldErrorCode::Required
    );
}

#[test]
fn the_integration_and_approve_steps_read_from_the_wire() {
    let picker: Step = serde_json::from_str(
        r##"{"type":"integration","id":"st_1","options":[{"name":"LinkedIn","brandColor":"#0A66C2"}]}"##,
    )
    .unwrap();
    let Step::Integration(form) = &picker else {
        panic!("not an integration step: {picker:?}")
    };
    assert_eq!(form.options[0].name, "LinkedIn");
    assert!(form.fields.is_empty());
    // Written back as it came: no empty `fields`.
    assert!(!serde_json::to_string(&picker).unwrap().contains("fields"));
    let approve: Step = serde_json::from_str(
        r#"{"type":"approve","id":"st_2","prompt":"Tap yes","pollAfterSeconds":2,"codeInstead":true}"#,
    )
    .unwrap();
    let Step::Approve(form) = approve else {
        panic!("not an approve step")
    };
    assert_eq!(
        (form.poll_after_seconds, form.code_instead),
        (Some(2), true)
    );
    for incomplete in [
        r#"{"type":"integration","id":"st_1","options":[]}"#,
        r#"{"type":"approve","id":"st_2"}"#,
        r#"{"type":"mfa","id":"st_3"}"#,
    ] {
        assert!(
            serde_json::from_str::<Step>(incomplete).is_err(),
            "{incomplete}"
        );
    }
}

#[test]
fn submitted_values_read_as_a_json_object_whose_repeated_name_keeps_its_last_value() {
    let read: SecretValues =
        serde_json::from_str(r#"{"username":"a","password":"p","username":"b"}"#).unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(read.get("username"), Some("b"));
    assert_eq!(read.get("password"), Some("p"));
    assert_eq!(read.get("code"), None);
    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(
        written,
        serde_json::json!({ "username": "b", "password": "p" })
    );
    // The order never matters to ==, as with a map.
    let other: SecretValues = serde_json::from_str(r#"{"password":"p","username":"b"}"#).unwrap();
    assert_eq!(read, other);
    let fewer: SecretValues = serde_json::from_str(r#"{"password":"p"}"#).unwrap();
    assert_ne!(read, fewer);
    assert!(serde_json::from_str::<SecretValues>(r#"["username","b"]"#).is_err());
    assert!(serde_json::from_str::<SecretValues>(r#"{"username":1}"#).is_err());
}
