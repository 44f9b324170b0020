//! After the link: public tokens, account tokens and linked accounts.

use super::*;

#[tokio::test]
async fn public_tokens_are_single_use_expire_and_must_exist() {
    let sandbox = Sandbox::in_process(&["--public-token-ttl", "1"]);
    let public_token = sandbox.public_token("u", "X").await;
    assert_eq!(sandbox.exchange(&public_token).await.status, 200);
    let used = sandbox.exchange(&public_token).await;
    used.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(
        used.field_errors()[0],
        ("publicToken".into(), "PUBLIC_TOKEN_USED".into())
    );
    let unknown = sandbox.exchange("public_sandbox_0123").await;
    assert_eq!(unknown.field_errors()[0].1, "INVALID_PUBLIC_TOKEN");
    let stale = sandbox.public_token("u", "X").await;
    sandbox.advance(Duration::from_secs(1));
    let expired = sandbox.exchange(&stale).await;
    assert_eq!(expired.field_errors()[0].1, "PUBLIC_TOKEN_EXPIRED");
}

#[tokio::test]
async fn one_account_token_covers_every_integration_of_an_end_user() {
    let sandbox = Sandbox::in_process(&[]);
    let first = sandbox
        .exchange(&sandbox.public_token("alice", "Instagram").await)
        .await;
    let second = sandbox
        .exchange(&sandbox.public_token("alice", "LinkedIn").await)
        .await;
    let other = sandbox
        .exchange(&sandbox.public_token("bob", "Instagram").await)
        .await;
    assert_eq!(first.body["accountToken"], second.body["accountToken"]);
    assert_ne!(first.body["accountToken"], other.body["accountToken"]);
    let token = first.body["accountToken"].as_str().unwrap();
    let me = sandbox.linked_account(Method::GET, token).await;
    let names: Vec<_> = me.body["linkedAccount"]["integrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["integration"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Instagram", "LinkedIn"]);
}

#[tokio::test]
async fn deleting_the_linked_account_revokes_its_token() {
    let sandbox = Sandbox::in_process(&[]);
    let exchanged = sandbox
        .exchange(&sandbox.public_token("carol", "X").await)
        .await;
    let token = exchanged.body["accountToken"].as_str().unwrap();
    let deleted = sandbox.linked_account(Method::DELETE, token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.body, json!({"status": "ok"}));
    sandbox
        .linked_account(Method::GET, token)
        .await
        .assert_error(401, "INVALID_TOKEN");
    sandbox
        .send(
            Method::GET,
            "/v1/linked-accounts/me",
            Some(API_KEY),
            None,
            &[],
        )
        .await
        .assert_error(401, "MISSING_TOKEN");
}

#[tokio::test]
async fn linked_accounts_stop_at_max_linked_accounts_with_a_clear_error() {
    let sandbox = Sandbox::in_process(&["--max-linked-accounts", "1"]);
    let first = sandbox.public_token("first", "X").await;
    let account = sandbox.exchange(&first).await;
    assert_eq!(account.status, 200, "{}", account.body);
    let second = sandbox.public_token("second", "X").await;
    let refused = sandbox.exchange(&second).await;
    refused.assert_error(403, "FORBIDDEN");
    assert!(refused.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--max-linked-accounts"));
    let token = account.body["accountToken"].as_str().unwrap();
    sandbox.linked_account(Method::DELETE, token).await;
    assert_eq!(sandbox.exchange(&second).await.status, 200, "room again");
}
