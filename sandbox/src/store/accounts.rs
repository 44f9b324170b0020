//! Public tokens and the linked accounts they are exchanged for.

use std::time::SystemTime;

use keet_link_protocol::secret::Secret;
use keet_link_protocol::{
    self as wire, ExchangePublicTokenResponse, FieldErrorCode, LinkedAccount,
    LinkedAccountResponse, LinkedIntegration, WebhookData, WebhookEventType,
};

use serde::{Deserialize, Serialize};

use super::{random_id, rfc3339, Change, Store};
use crate::error::ApiError;
use crate::tokens::TokenDigest;

/// What a public token stands for until it is exchanged.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PublicGrant {
    pub(super) end_user_id: String,
    #[serde(with = "integration_name")]
    pub(super) integration: CatalogueName,
    pub(super) username: String,
    pub(super) expires_at: SystemTime,
    pub(super) used: bool,
}

/// One end user's linked account: every integration they linked.
#[derive(Debug)]
pub(super) struct Account {
    pub(super) id: String,
    pub(super) token: Secret,
    pub(super) end_user_id: String,
    pub(super) created_at: SystemTime,
    pub(super) integrations: Vec<LinkedIntegration>,
}

/// An integration's name as the catalogue spells it. (An alias, so that
/// serde does not read the field as borrowed from its input.)
type CatalogueName = &'static str;

/// A grant's integration by name, read back as the catalogue's own.
mod integration_name {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(name: &&'static str, to: S) -> Result<S::Ok, S::Error> {
        to.serialize_str(name)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        from: D,
    ) -> Result<&'static str, D::Error> {
        let name = String::deserialize(from)?;
        crate::catalogue::find(&name)
            .map(|integration| integration.name)
            .ok_or_else(|| D::Error::custom(format!("no integration is called {name}")))
    }
}

impl Store {
    /// `POST /v1/linked-accounts/token`: trades a public token, once, for the
    /// end user's account token.
    pub fn exchange(
        &mut self,
        public_token: &str,
        now: SystemTime,
    ) -> Result<ExchangePublicTokenResponse, ApiError> {
        let refuse = |code, message: &str| ApiError::field("publicToken", code, message);
        let grant = self
            .public_tokens
            .get_mut(&TokenDigest::of(public_token))
            .ok_or_else(|| {
                refuse(
                    FieldErrorCode::InvalidPublicToken,
                    "The public token is not valid.",
                )
            })?;
        if grant.used {
            return Err(refuse(
                FieldErrorCode::PublicTokenUsed,
                "The public token was already exchanged.",
            ));
        }
        if now >= grant.expires_at {
            return Err(refuse(
                FieldErrorCode::PublicTokenExpired,
                "The public token has expired.",
            ));
        }
        let account_id = match self.account_by_end_user.get(&grant.end_user_id) {
            Some(id) => id.clone(),
            None if self.accounts.len() >= self.max_accounts => {
                return Err(ApiError::Forbidden(
                    "This sandbox holds its maximum number of linked accounts (--max-linked-accounts); delete one with DELETE /v1/linked-accounts/me, or restart it.",
                ));
            }
            None => {
                let token = random_id(wire::ACCOUNT_TOKEN_PREFIX)?;
                let id = random_id("la_")?;
                self.account_tokens
                    .insert(TokenDigest::of(&token), id.clone());
                self.account_by_end_user
                    .insert(grant.end_user_id.clone(), id.clone());
                self.accounts.insert(
                    id.clone(),
                    Account {
                        id: id.clone(),
                        token: token.into(),
                        end_user_id: grant.end_user_id.clone(),
                        created_at: now,
                        integrations: Vec::new(),
                    },
                );
                id
            }
        };
        grant.used = true;
        let account = self
            .accounts
            .get_mut(&account_id)
            .ok_or(ApiError::Internal(
                "an account index names a missing account",
            ))?;
        let linked = LinkedIntegration {
            integration: grant.integration.to_owned(),
            username: grant.username.clone(),
            is_alive: true,
        };
        // One login per integration: a re-link's exchange finds it there.
        match account
            .integrations
            .iter_mut()
            .find(|known| known.integration == linked.integration)
        {
            Some(known) => *known = linked,
            None => account.integrations.push(linked),
        }
        let account_token = account.token.expose().to_owned();
        self.pending
            .push(Change::PublicToken(TokenDigest::of(public_token)));
        self.pending.push(Change::Account(account_id));
        self.commit()?;
        Ok(ExchangePublicTokenResponse {
            status: wire::Ok::Ok,
            account_token,
        })
    }

    fn account_id(&self, account_token: &str) -> Result<String, ApiError> {
        self.account_tokens
            .get(&TokenDigest::of(account_token))
            .cloned()
            .ok_or(ApiError::InvalidToken("The account token is not valid."))
    }

    /// `GET /v1/linked-accounts/me`.
    pub fn linked_account(&self, account_token: &str) -> Result<LinkedAccountResponse, ApiError> {
        let id = self.account_id(account_token)?;
        let account = self.accounts.get(&id).ok_or(ApiError::Internal(
            "an account index names a missing account",
        ))?;
        Ok(LinkedAccountResponse {
            status: wire::Ok::Ok,
            linked_account: LinkedAccount {
                id: account.id.clone(),
                end_user_id: account.end_user_id.clone(),
                created_at: rfc3339(account.created_at),
                integrations: account.integrations.clone(),
            },
        })
    }

    /// The username `end_user_id` linked `integration` with, if they did:
    /// a new link token for them is a re-link.
    pub(super) fn linked_username(&self, end_user_id: &str, integration: &str) -> Option<String> {
        let account = self
            .accounts
            .get(self.account_by_end_user.get(end_user_id)?)?;
        account
            .integrations
            .iter()
            .find(|linked| linked.integration == integration)
            .map(|linked| linked.username.clone())
    }

    /// A re-link succeeded: the integration's login works again.
    pub(super) fn reconnect(
        &mut self,
        end_user_id: &str,
        integration: &str,
        session_id: &str,
        now: SystemTime,
    ) {
        let Some(id) = self.account_by_end_user.get(end_user_id).cloned() else {
            return;
        };
        let Some(account) = self.accounts.get_mut(&id) else {
            return;
        };
        for linked in &mut account.integrations {
            if linked.integration == integration {
                linked.is_alive = true;
            }
        }
        self.pending.push(Change::Account(id));
        let data = WebhookData {
            end_user_id: end_user_id.to_owned(),
            integration: Some(integration.to_owned()),
            link_session_id: Some(session_id.to_owned()),
            status: None,
        };
        self.emit(WebhookEventType::IntegrationReconnected, data, now);
    }

    /// `POST /v1/sandbox/linked-accounts/me/reset-login`: the login of one
    /// linked integration breaks, as a changed password would break it.
    pub fn reset_login(
        &mut self,
        account_token: &str,
        integration: &str,
        now: SystemTime,
    ) -> Result<LinkedAccountResponse, ApiError> {
        let id = self.account_id(account_token)?;
        let account = self.accounts.get_mut(&id).ok_or(ApiError::Internal(
            "an account index names a missing account",
        ))?;
        let Some(linked) = account
            .integrations
            .iter_mut()
            .find(|linked| linked.integration == integration)
        else {
            return Err(ApiError::field(
                "integration",
                FieldErrorCode::InvalidValue,
                "This linked account has no login for that integration.",
            ));
        };
        linked.is_alive = false;
        let data = WebhookData {
            end_user_id: account.end_user_id.clone(),
            integration: Some(integration.to_owned()),
            link_session_id: None,
            status: None,
        };
        self.pending.push(Change::Account(id));
        self.emit(WebhookEventType::IntegrationLoginRequired, data, now);
        self.commit()?;
        self.linked_account(account_token)
    }

    /// `DELETE /v1/linked-accounts/me`: deletes the account and revokes its token.
    pub fn delete_linked_account(
        &mut self,
        account_token: &str,
        now: SystemTime,
    ) -> Result<(), ApiError> {
        let id = self.account_id(account_token)?;
        self.account_tokens.remove(&TokenDigest::of(account_token));
        if let Some(account) = self.accounts.remove(&id) {
            self.account_by_end_user.remove(&account.end_user_id);
            let data = WebhookData {
                end_user_id: account.end_user_id,
                integration: None,
                link_session_id: None,
                status: None,
            };
            self.emit(WebhookEventType::LinkedAccountDeleted, data, now);
        }
        self.pending.push(Change::DeleteAccount(id));
        self.commit()
    }
}
