//! Public tokens and the linked accounts they are exchanged for.

use std::time::SystemTime;

use keet_link_protocol::secret::Secret;
use keet_link_protocol::{
    self as wire, ExchangePublicTokenResponse, FieldErrorCode, LinkedAccount,
    LinkedAccountResponse, LinkedIntegration,
};

use super::{random_id, rfc3339, Store};
use crate::error::ApiError;
use crate::tokens::TokenDigest;

/// What a public token stands for until it is exchanged.
#[derive(Debug)]
pub(super) struct PublicGrant {
    pub(super) end_user_id: String,
    pub(super) integration: &'static str,
    pub(super) username: String,
    pub(super) expires_at: SystemTime,
    pub(super) used: bool,
}

/// One end user's linked account: every integration they linked.
#[derive(Debug)]
pub(super) struct Account {
    id: String,
    token: Secret,
    end_user_id: String,
    created_at: SystemTime,
    integrations: Vec<LinkedIntegration>,
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
        if !account.integrations.contains(&linked) {
            account.integrations.push(linked);
        }
        Ok(ExchangePublicTokenResponse {
            status: wire::Ok::Ok,
            account_token: account.token.expose().to_owned(),
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

    /// `DELETE /v1/linked-accounts/me`: deletes the account and revokes its token.
    pub fn delete_linked_account(&mut self, account_token: &str) -> Result<(), ApiError> {
        let id = self.account_id(account_token)?;
        self.account_tokens.remove(&TokenDigest::of(account_token));
        if let Some(account) = self.accounts.remove(&id) {
            self.account_by_end_user.remove(&account.end_user_id);
        }
        Ok(())
    }
}
