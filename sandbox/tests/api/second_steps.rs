//! A session with no integration (the user chooses), and the second steps
//! beyond a code: where to send it, and approval on another device.

use super::*;

/// A link token with this `linkConfig` beside `endUserId`.
async fn link_token_with(sandbox: &Sandbox, end_user: &str, config: serde_json::Value) -> Answer {
    let mut link_config = json!({ "endUserId": end_user });
    link_config
        .as_object_mut()
        .unwrap()
        .extend(config.as_object().unwrap().clone());
    sandbox
        .send(
            Method::POST,
            "/v1/link/token",
            Some(API_KEY),
            Some(json!({ "linkConfig": link_config })),
            &[],
        )
        .await
}

async fn session(sandbox: &Sandbox, token: &str) -> serde_json::Value {
    let answer = sandbox
        .send(Method::GET, "/v1/link/session", Some(token), None, &[])
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["session"].clone()
}

fn step_id_of(answer: &Answer) -> String {
    answer.body["step"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_link_token_without_integration_opens_on_every_integration_to_choose_from() {
    let sandbox = Sandbox::in_process(&[]);
    let made = link_token_with(&sandbox, "picky", json!({})).await;
    assert_eq!(made.status, 200, "{}", made.body);
    let token = made.body["linkToken"].as_str().unwrap();
    let opened = session(&sandbox, token).await;
    assert!(opened.get("integration").is_none(), "{opened}");
    let step = &opened["step"];
    assert_eq!(step["type"], "integration");
    assert!(step.get("fields").is_none());
    let names: Vec<_> = step["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|option| option["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 10);
    assert_eq!(names[1], "LinkedIn");
    assert_eq!(step["options"][1]["brandColor"], "#0A66C2");

    let picker = step["id"].as_str().unwrap().to_owned();
    let unknown = sandbox
        .submit(
            token,
            &picker,
            json!({ "integration": "MySpace" }),
            &new_key(),
        )
        .await;
    assert_eq!(
        unknown.field_errors(),
        [("values.integration".to_owned(), "INVALID_VALUE".to_owned())]
    );
    let chosen = sandbox
        .submit(
            token,
            &picker,
            json!({ "integration": "LinkedIn" }),
            &new_key(),
        )
        .await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
    assert_eq!(chosen.body["integration"]["name"], "LinkedIn");
    assert_eq!(chosen.body["step"]["type"], "credentials");
    assert_eq!(
        session(&sandbox, token).await["integration"]["name"],
        "LinkedIn"
    );

    // Back to the list: the same choice step, answered again from the login.
    let again = sandbox
        .submit(
            token,
            &picker,
            json!({ "integration": "Venmo" }),
            &new_key(),
        )
        .await;
    assert_eq!(again.body["integration"]["name"], "Venmo", "{}", again.body);
    let done = sandbox
        .submit(token, &step_id_of(&again), good_login(), &new_key())
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["metadata"]["integration"], "Venmo");
    // Once logged in, the choice is over.
    let late = sandbox
        .submit(token, &picker, json!({ "integration": "X" }), &new_key())
        .await;
    late.assert_error(409, "CONFLICT");
}

#[tokio::test]
async fn integrations_narrows_the_choice_and_a_name_off_the_list_is_refused() {
    let sandbox = Sandbox::in_process(&[]);
    let made = link_token_with(
        &sandbox,
        "narrow",
        json!({ "integrations": ["Uber", "Amazon Seller"] }),
    )
    .await;
    let token = made.body["linkToken"].as_str().unwrap();
    let step = session(&sandbox, token).await["step"].clone();
    assert_eq!(
        step["options"],
        json!([
            { "name": "Uber", "brandColor": "#000000" },
            { "name": "Amazon Seller", "brandColor": "#146EB4" }
        ])
    );
    let off_list = sandbox
        .submit(
            token,
            step["id"].as_str().unwrap(),
            json!({ "integration": "Instagram" }),
            &new_key(),
        )
        .await;
    assert_eq!(
        off_list.field_errors(),
        [("values.integration".to_owned(), "INVALID_VALUE".to_owned())]
    );

    for (config, field) in [
        (json!({ "integrations": [] }), "linkConfig.integrations"),
        (
            json!({ "integrations": ["Uber", "Uber"] }),
            "linkConfig.integrations[1]",
        ),
        (
            json!({ "integrations": ["Uber", "Orkut"] }),
            "linkConfig.integrations[1]",
        ),
        (
            json!({ "integration": "X", "integrations": ["Uber"] }),
            "linkConfig.integration",
        ),
    ] {
        let refused = link_token_with(&sandbox, "narrow", config.clone()).await;
        assert_eq!(refused.status, 400, "{config}: {}", refused.body);
        assert_eq!(refused.field_errors()[0].0, field, "{config}");
    }
}

#[tokio::test]
async fn user_choice_chooses_where_the_code_goes_then_enters_it() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("chooser", "Instagram").await;
    let asked = sandbox.login(&token, "user_choice", "pass_good").await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let step = &asked.body["step"];
    assert_eq!(step["type"], "mfa");
    let method = &step["fields"][0];
    assert_eq!(
        (&method["name"], &method["kind"]),
        (&json!("method"), &json!("choice"))
    );
    assert_eq!(method["options"][0]["value"], "sms");
    assert_eq!(method["options"][1]["label"], "Email to u•••@example.com");
    let choice = step_id_of(&asked);
    let unknown = sandbox
        .submit(&token, &choice, json!({ "method": "pigeon" }), &new_key())
        .await;
    assert_eq!(
        unknown.field_errors(),
        [("values.method".to_owned(), "INVALID_VALUE".to_owned())]
    );
    let code = sandbox
        .submit(&token, &choice, json!({ "method": "email" }), &new_key())
        .await;
    assert_eq!(
        code.body["step"]["fields"][0]["kind"], "otp",
        "{}",
        code.body
    );
    assert_eq!(
        code.body["step"]["prompt"],
        "Enter the code we emailed to u•••@example.com."
    );
    let done = sandbox
        .submit(
            &token,
            &step_id_of(&code),
            json!({ "code": "123456" }),
            &new_key(),
        )
        .await;
    assert_eq!(done.body["step"]["type"], "done", "{}", done.body);
}

#[tokio::test]
async fn user_push_waits_for_approval_then_succeeds_and_may_take_a_code_instead() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("pusher", "Facebook").await;
    let asked = sandbox.login(&token, "user_push", "pass_good").await;
    let step = &asked.body["step"];
    assert_eq!(step["type"], "approve", "{}", asked.body);
    assert_eq!(step["pollAfterSeconds"], 2);
    assert_eq!(step["codeInstead"], true);
    assert!(step["prompt"].as_str().unwrap().contains("Facebook"));
    let approve = step_id_of(&asked);
    let waiting = sandbox
        .submit(&token, &approve, json!({}), &new_key())
        .await;
    assert_eq!(
        waiting.body["step"]["id"],
        approve.as_str(),
        "{}",
        waiting.body
    );
    let stray = sandbox
        .submit(&token, &approve, json!({ "code": "123456" }), &new_key())
        .await;
    assert_eq!(stray.status, 400, "{}", stray.body);
    sandbox.advance(Duration::from_secs(3));
    let approved = sandbox
        .submit(&token, &approve, json!({}), &new_key())
        .await;
    assert_eq!(approved.body["step"]["type"], "done", "{}", approved.body);
    assert_eq!(approved.body["metadata"]["username"], "user_push");

    let token = sandbox.link_token("pusher-2", "Facebook").await;
    let asked = sandbox.login(&token, "user_push", "pass_good").await;
    let instead = sandbox
        .submit(
            &token,
            &step_id_of(&asked),
            json!({ "method": "code" }),
            &new_key(),
        )
        .await;
    assert_eq!(instead.body["step"]["type"], "mfa", "{}", instead.body);
    assert_eq!(instead.body["step"]["fields"][0]["kind"], "otp");
}

#[tokio::test]
async fn user_push_denied_ends_the_session_with_approval_denied() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("denied", "Amazon").await;
    let asked = sandbox.login(&token, "user_push_denied", "pass_good").await;
    let approve = step_id_of(&asked);
    let waiting = sandbox
        .submit(&token, &approve, json!({}), &new_key())
        .await;
    assert_eq!(waiting.body["step"]["type"], "approve");
    sandbox.advance(Duration::from_secs(3));
    let denied = sandbox
        .submit(&token, &approve, json!({}), &new_key())
        .await;
    denied.assert_error(409, "APPROVAL_DENIED");
    // The session stays denied, for the widget that reloads it.
    let reload = sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await;
    reload.assert_error(409, "APPROVAL_DENIED");
}
