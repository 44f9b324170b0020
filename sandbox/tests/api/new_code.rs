//! Sending a new one-time code: the cooldown, idempotency, the cap and
//! the credentials it needs.

use super::*;

#[tokio::test]
async fn a_new_code_waits_out_the_cooldown_is_idempotent_and_stops_at_the_cap() {
    let sandbox = Sandbox::in_process(&["--resend-cooldown", "30"]);
    let token = sandbox.link_token("resend", "Instagram").await;
    let resend = |key: String| {
        let (sandbox, token) = (&sandbox, token.clone());
        async move {
            sandbox
                .send(
                    Method::POST,
                    "/v1/link/session/resend",
                    Some(&token),
                    None,
                    &[("Idempotency-Key", &key)],
                )
                .await
        }
    };
    resend("early".into()).await.assert_error(409, "CONFLICT");
    let code_step = sandbox.login(&token, "user_mfa", "pass_good").await;
    assert_eq!(code_step.body["step"]["resendAfterSeconds"], 30);

    let too_soon = resend("r0".into()).await;
    too_soon.assert_error(429, "RATE_LIMITED");
    assert_eq!(too_soon.headers["retry-after"], "30");
    sandbox.advance(Duration::from_secs(12));
    assert_eq!(resend("r0".into()).await.headers["retry-after"], "18");

    for sent in 1..=3 {
        sandbox.advance(Duration::from_secs(30));
        let key = format!("r{sent}");
        let answer = resend(key.clone()).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body["step"]["type"], "mfa");
        let next = &answer.body["step"]["resendAfterSeconds"];
        if sent < 3 {
            assert_eq!(*next, 30);
        } else {
            assert!(next.is_null(), "the last code: no more offered");
        }
        // A retry of the same user action sends no other code.
        assert_eq!(resend(key).await.status, 200);
    }
    sandbox.advance(Duration::from_secs(30));
    resend("r4".into()).await.assert_error(409, "CONFLICT");

    // The code still works after all that.
    let step = sandbox.step_id(&token).await;
    let done = sandbox
        .submit(&token, &step, json!({ "code": "123456" }), &new_key())
        .await;
    assert_eq!(done.body["step"]["type"], "done");
}

#[tokio::test]
async fn a_new_code_needs_a_link_token_and_an_idempotency_key() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("resend-auth", "Instagram").await;
    sandbox
        .send(Method::POST, "/v1/link/session/resend", None, None, &[])
        .await
        .assert_error(401, "MISSING_TOKEN");
    sandbox
        .send(
            Method::POST,
            "/v1/link/session/resend",
            Some(API_KEY),
            None,
            &[("Idempotency-Key", "k")],
        )
        .await
        .assert_error(403, "FORBIDDEN");
    let missing_key = sandbox
        .send(
            Method::POST,
            "/v1/link/session/resend",
            Some(&token),
            None,
            &[],
        )
        .await;
    missing_key.assert_error(400, "VALIDATION_ERROR");
    sandbox
        .send(
            Method::GET,
            "/v1/link/session/resend",
            Some(&token),
            None,
            &[],
        )
        .await
        .assert_error(405, "METHOD_NOT_ALLOWED");
}
