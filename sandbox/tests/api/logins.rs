//! A session's steps, as each test user and integration walks them:
//! replays, codes, locks, slow and broken answers, and the exit.

use super::*;

#[tokio::test]
async fn submitting_to_a_finished_session_is_conflict() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Venmo").await;
    let step = sandbox.step_id(&token).await;
    let values = good_login();
    assert_eq!(
        sandbox
            .submit(&token, &step, values.clone(), &new_key())
            .await
            .status,
        200
    );
    sandbox
        .submit(&token, &step, values, &new_key())
        .await
        .assert_error(409, "CONFLICT");
    sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await
        .assert_error(409, "CONFLICT");
}

#[tokio::test]
async fn same_idempotency_key_replays_and_another_body_conflicts() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Amazon").await;
    let step = sandbox.step_id(&token).await;
    let key = new_key();
    let values = good_login();
    let first = sandbox.submit(&token, &step, values.clone(), &key).await;
    let again = sandbox.submit(&token, &step, values, &key).await;
    assert_eq!(first.status, 200);
    assert_eq!(
        first.body, again.body,
        "a replay returns the first response"
    );
    sandbox
        .submit(
            &token,
            &step,
            json!({"username": "user_good", "password": "other"}),
            &key,
        )
        .await
        .assert_error(409, "CONFLICT");
    // A wrong password is remembered too: the replay is the same 400.
    let token = sandbox.link_token("u", "Amazon").await;
    let step = sandbox.step_id(&token).await;
    let key = new_key();
    let wrong = json!({"username": "user_good", "password": "nope"});
    let first = sandbox.submit(&token, &step, wrong.clone(), &key).await;
    let again = sandbox.submit(&token, &step, wrong, &key).await;
    first.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(first.body, again.body);
}

#[tokio::test]
async fn user_locked_is_account_locked() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Facebook").await;
    sandbox
        .login(&token, "user_locked", "anything")
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
    sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
}

#[tokio::test]
async fn user_mfa_with_the_right_code_succeeds() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Instagram").await;
    let code_step = sandbox.login(&token, "user_mfa", "pass_good").await;
    assert_eq!(code_step.status, 200);
    assert_eq!(code_step.body["step"]["type"], "mfa");
    assert_eq!(code_step.body["step"]["fields"][0]["kind"], "otp");
    assert_eq!(code_step.body["step"]["fields"][0]["length"], 6);
    assert!(code_step.body["step"]["prompt"]
        .as_str()
        .unwrap()
        .contains("0100"));
    let step = code_step.body["step"]["id"].as_str().unwrap();
    let done = sandbox
        .submit(&token, step, json!({"code": "123456"}), &new_key())
        .await;
    assert_eq!(done.status, 200);
    assert_eq!(done.body["metadata"]["username"], "user_mfa");
}

#[tokio::test]
async fn third_wrong_code_locks_the_account() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "LinkedIn").await;
    let code_step = sandbox.login(&token, "user_mfa", "pass_good").await;
    let step = code_step.body["step"]["id"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        let wrong = sandbox
            .submit(&token, &step, json!({"code": "000000"}), &new_key())
            .await;
        wrong.assert_error(400, "VALIDATION_ERROR");
        assert_eq!(
            wrong.field_errors(),
            [("values.code".to_owned(), "INVALID_CODE".to_owned())]
        );
    }
    sandbox
        .submit(&token, &step, json!({"code": "000000"}), &new_key())
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
    sandbox
        .submit(&token, &step, json!({"code": "123456"}), &new_key())
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
}

#[tokio::test]
async fn wrong_password_is_invalid_credentials_on_the_field_and_allows_retry() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "X").await;
    let step_before = sandbox.step_id(&token).await;
    let wrong = sandbox.login(&token, "user_good", "wrong").await;
    wrong.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(
        wrong.field_errors(),
        [(
            "values.password".to_owned(),
            "INVALID_CREDENTIALS".to_owned()
        )]
    );
    assert_eq!(
        sandbox.step_id(&token).await,
        step_before,
        "no change of state"
    );
    assert_eq!(sandbox.login(&token, GOOD.0, GOOD.1).await.status, 200);
}

#[tokio::test]
async fn the_fifth_wrong_password_locks_the_login_and_a_replay_does_not_count() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&token).await;
    // One wrong password sent again and again under one key is one attempt.
    let key = new_key();
    for _ in 0..6 {
        let wrong = json!({"username": "user_good", "password": "guess-0"});
        let answer = sandbox.submit(&token, &step, wrong, &key).await;
        answer.assert_error(400, "VALIDATION_ERROR");
    }
    for guess in 1..4 {
        let wrong = json!({"username": "user_good", "password": format!("guess-{guess}")});
        let answer = sandbox.submit(&token, &step, wrong, &new_key()).await;
        answer.assert_error(400, "VALIDATION_ERROR");
    }
    let fifth = json!({"username": "user_good", "password": "guess-4"});
    let answer = sandbox.submit(&token, &step, fifth, &new_key()).await;
    answer.assert_error(423, "ACCOUNT_LOCKED");
    // Even the right password now finds the login locked.
    let right = json!({"username": GOOD.0, "password": GOOD.1});
    let answer = sandbox.submit(&token, &step, right, &new_key()).await;
    answer.assert_error(423, "ACCOUNT_LOCKED");
    sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
}

#[tokio::test]
async fn a_submit_with_thousands_of_unknown_values_gets_one_small_error() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&token).await;
    let mut values = serde_json::Map::new();
    values.insert("username".into(), json!("user_good"));
    values.insert("password".into(), json!("pass_good"));
    for i in 0..6000 {
        values.insert(format!("{i:x}"), json!(""));
    }
    let answer = sandbox
        .submit(&token, &step, serde_json::Value::Object(values), &new_key())
        .await;
    answer.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(
        answer.field_errors(),
        [("values".to_owned(), "TOO_LONG".to_owned())]
    );
    assert!(answer.body.to_string().len() < 1024, "{}", answer.body);
    // A few extra entries are still named one by one.
    let answer = sandbox
        .submit(
            &token,
            &step,
            json!({"username": "user_good", "password": "pass_good", "a": "", "b": ""}),
            &new_key(),
        )
        .await;
    assert_eq!(answer.field_errors().len(), 2, "{}", answer.body);
}

#[tokio::test]
async fn values_that_do_not_fit_the_step_name_the_field() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&token).await;
    let answer = sandbox
        .submit(
            &token,
            &step,
            json!({"username": "user_good", "pin": "1"}),
            &new_key(),
        )
        .await;
    answer.assert_error(400, "VALIDATION_ERROR");
    let fields = answer.field_errors();
    assert!(fields.contains(&("values.pin".to_owned(), "UNKNOWN_FIELD".to_owned())));
    assert!(fields.contains(&("values.password".to_owned(), "REQUIRED".to_owned())));
    sandbox
        .submit(&token, "st_not_current", json!({}), &new_key())
        .await
        .assert_error(409, "CONFLICT");
}

#[tokio::test]
async fn passwordless_integrations_take_a_phone_then_a_code() {
    let sandbox = Sandbox::in_process(&[]);
    for integration in ["WhatsApp", "Uber"] {
        let token = sandbox.link_token("u", integration).await;
        let session = sandbox
            .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
            .await;
        let fields = &session.body["session"]["step"]["fields"];
        assert_eq!(fields.as_array().unwrap().len(), 1, "no password field");
        assert_eq!(fields[0]["kind"], "phone");
        let step = session.body["session"]["step"]["id"].as_str().unwrap();
        let unknown = sandbox
            .submit(&token, step, json!({"phone": "+15555550199"}), &new_key())
            .await;
        assert_eq!(unknown.field_errors()[0].1, "INVALID_CREDENTIALS");
        let code = sandbox
            .submit(
                &token,
                step,
                json!({"phone": "+1 (555) 555-0100"}),
                &new_key(),
            )
            .await;
        assert_eq!(code.body["step"]["type"], "mfa", "{}", code.body);
        let step = code.body["step"]["id"].as_str().unwrap();
        let done = sandbox
            .submit(&token, step, json!({"code": "123456"}), &new_key())
            .await;
        assert_eq!(
            done.body["step"]["type"], "done",
            "{integration}: {}",
            done.body
        );
    }
}

#[tokio::test]
async fn every_integration_accepts_user_good() {
    let sandbox = Sandbox::in_process(&[]);
    // Every password integration the catalogue has, so a new entry is covered too.
    let password_integrations = keet_sandbox::catalogue::CATALOGUE
        .iter()
        .filter(|i| matches!(i.login, keet_sandbox::catalogue::Login::Password { .. }))
        .map(|i| i.name);
    for integration in password_integrations {
        let token = sandbox.link_token("u", integration).await;
        let session = sandbox
            .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
            .await;
        let brand = &session.body["session"]["integration"];
        assert_eq!(brand["name"], integration);
        assert!(brand["brandColor"].as_str().unwrap().starts_with('#'));
        let done = sandbox.login(&token, GOOD.0, GOOD.1).await;
        assert_eq!(done.body["metadata"]["integration"], integration);
    }
}

#[tokio::test]
async fn user_slow_succeeds_after_three_seconds() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Amazon").await;
    let started = Instant::now();
    let done = sandbox.login(&token, "user_slow", "pass_good").await;
    assert_eq!(done.status, 200);
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn user_flaky_fails_once_then_the_same_key_succeeds() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Venmo").await;
    let step = sandbox.step_id(&token).await;
    let key = new_key();
    let values = json!({"username": "user_flaky", "password": "pass_good"});
    let failed = sandbox.submit(&token, &step, values.clone(), &key).await;
    failed.assert_error(500, "INTERNAL_ERROR");
    let text = failed.body.to_string();
    assert!(
        !text.contains("flaky") && !text.contains("panic"),
        "internal detail leaked: {text}"
    );
    let retried = sandbox.submit(&token, &step, values, &key).await;
    assert_eq!(retried.status, 200, "{}", retried.body);
    assert_eq!(retried.body["step"]["type"], "done");
}

#[tokio::test]
async fn fault_users_break_the_first_answer_and_a_retry_under_the_same_key_gets_the_real_one() {
    let sandbox = Sandbox::in_process(&[]);
    for (user, status, content_type) in [
        ("user_bad_gateway", 502, "text/html; charset=utf-8"),
        ("user_wrong_shape", 200, "application/json"),
        ("user_truncated", 200, "application/json"),
    ] {
        let link = sandbox.link_token(user, "X").await;
        let step = sandbox.step_id(&link).await;
        let values = json!({ "username": user, "password": "pass_good" });
        let key = new_key();
        let first = sandbox.submit(&link, &step, values.clone(), &key).await;
        assert_eq!(first.status.as_u16(), status, "{user}");
        assert_eq!(first.headers["content-type"], content_type, "{user}");
        assert!(
            first.body.get("publicToken").is_none(),
            "{user}: {}",
            first.body
        );
        let retried = sandbox.submit(&link, &step, values, &key).await;
        assert_eq!(retried.status, 200, "{user}: {}", retried.body);
        let public_token = retried.body["publicToken"].as_str().unwrap();
        assert_eq!(sandbox.exchange(public_token).await.status, 200, "{user}");
    }
}

#[tokio::test(start_paused = true)]
async fn user_hangs_answers_the_first_submit_too_late_and_a_retry_at_once() {
    let sandbox = Sandbox::in_process(&[]);
    let link = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&link).await;
    let values = json!({ "username": "user_hangs", "password": "pass_good" });
    let key = new_key();
    let started = tokio::time::Instant::now();
    let first = sandbox.submit(&link, &step, values.clone(), &key).await;
    assert!(
        started.elapsed() >= Duration::from_secs(20),
        "answered after {:?}, within the widget's 15 s",
        started.elapsed()
    );
    assert_eq!(first.status, 200, "{}", first.body);
    let started = tokio::time::Instant::now();
    let retried = sandbox.submit(&link, &step, values, &key).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the retry waited"
    );
    assert_eq!(retried.body["publicToken"], first.body["publicToken"]);
}

#[tokio::test]
async fn exit_closes_the_session() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&token).await;
    let exit = |reason: &'static str| {
        sandbox.send(
            Method::POST,
            "/v1/link/session/exit",
            Some(&token),
            Some(json!({ "reason": reason })),
            &[],
        )
    };
    exit("sideways").await.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(exit("user_closed").await.body, json!({"status": "ok"}));
    assert_eq!(
        exit("user_closed").await.status,
        200,
        "closing twice is fine"
    );
    sandbox
        .submit(&token, &step, good_login(), &new_key())
        .await
        .assert_error(409, "CONFLICT");
}

#[tokio::test]
async fn user_question_is_asked_a_security_question_on_a_code_shaped_step() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("quinn", "Facebook").await;
    let asked = sandbox.login(&token, "user_question", "pass_good").await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let step = &asked.body["step"];
    assert_eq!(step["type"], "mfa");
    assert_eq!(step["prompt"], "What was the name of your first pet?");
    assert_eq!(step["fields"][0]["name"], "answer");
    assert_eq!(step["fields"][0]["kind"], "text");
    assert!(
        step.get("resendAfterSeconds").is_none(),
        "no new code for a question"
    );
    let step_id = step["id"].as_str().unwrap().to_owned();
    let wrong = sandbox
        .submit(&token, &step_id, json!({ "answer": "fido" }), &new_key())
        .await;
    assert_eq!(
        wrong.field_errors(),
        [("values.answer".to_owned(), "INVALID_VALUE".to_owned())]
    );
    let right = sandbox
        .submit(&token, &step_id, json!({ "answer": " Rex " }), &new_key())
        .await;
    assert_eq!(right.status, 200, "{}", right.body);
    assert_eq!(right.body["step"]["type"], "done");
    assert!(right.body["publicToken"].as_str().is_some());
}
