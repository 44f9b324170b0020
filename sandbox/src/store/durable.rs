//! The store on disk: SQLite in `--data-dir`, written in one transaction
//! before an answer leaves, and read back whole when the sandbox starts.
//!
//! SQLite rather than redb, by measurement (`spec/DECISIONS.md`, S1): a
//! link (four durable commits) took 0.66 ms against 0.9 ms, and a linked
//! account 1.4 KB on disk against 2.3 KB.
//!
//! No secret is written in clear. Tokens are looked up by their SHA-256
//! digest. The two that the contract hands out again (an end user's account
//! token, and a public token replayed under its idempotency key) are sealed
//! with XChaCha20-Poly1305 under a random key kept in the folder's
//! `sealing.key` (mode 0600): the database alone, copied or backed up,
//! opens none of them.

use std::fs::{self, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::{params, Connection, OptionalExtension};

/// The database file in the data folder.
const DATABASE_FILE: &str = "sandbox.sqlite3";
/// The sealing key's file in the data folder.
const KEY_FILE: &str = "sealing.key";
const NONCE_BYTES: usize = 24;

/// The schema, one migration per entry, applied in order; `PRAGMA
/// user_version` counts those applied. Never edit an entry once released:
/// add one.
const MIGRATIONS: &[&str] = &[
    // 1: the tables of the in-memory store.
    "CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        link_token_digest BLOB NOT NULL UNIQUE,
        expires_at INTEGER NOT NULL,
        state TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_expiry ON sessions (expires_at);
    CREATE TABLE public_tokens (
        digest BLOB PRIMARY KEY,
        expires_at INTEGER NOT NULL,
        grant_json TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX public_tokens_by_expiry ON public_tokens (expires_at);
    CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        end_user_id TEXT NOT NULL UNIQUE,
        token_digest BLOB NOT NULL UNIQUE,
        token_sealed BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        integrations TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE demo_backend_accounts (
        end_user_id TEXT PRIMARY KEY,
        token_sealed BLOB NOT NULL
    ) WITHOUT ROWID;",
    // 2: webhook events not yet delivered, in the order they were made.
    "CREATE TABLE webhook_outbox (
        id TEXT NOT NULL UNIQUE,
        event TEXT NOT NULL
    );",
];

/// Why the data folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The folder or one of its files could not be made or read.
    #[error("the data folder {path} cannot be used: {source}")]
    Folder {
        /// The folder or file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// SQLite refused.
    #[error("the sandbox's database failed: {0}")]
    Database(#[from] rusqlite::Error),
    /// A newer sandbox wrote the folder.
    #[error("the data folder's schema is version {found}, newer than this sandbox's {known}: use a newer keet-sandbox, or another --data-dir")]
    NewerSchema {
        /// `user_version` in the file.
        found: i64,
        /// Migrations this build knows.
        known: usize,
    },
    /// A row did not read back.
    #[error("the data folder's {table} table has a row that does not read back ({reason}): restore a backup, or start with another --data-dir")]
    BadRow {
        /// Which table.
        table: &'static str,
        /// What was wrong, never the row's secrets.
        reason: String,
    },
}

/// Seals and opens the secrets the store must hand out again.
pub(super) struct Sealer(XChaCha20Poly1305);

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(…)")
    }
}

impl Sealer {
    /// A random nonce, then the ciphertext and its tag.
    pub(super) fn seal(&self, secret: &str) -> Result<Vec<u8>, StorageError> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|error| StorageError::Folder {
            path: PathBuf::from("(the OS random source)"),
            source: error.into(),
        })?;
        let sealed = self
            .0
            .encrypt(XNonce::from_slice(&nonce), secret.as_bytes())
            .map_err(|_| bad_row("a secret", "it could not be sealed"))?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    /// The secret `seal` sealed, or why not (a wrong key or a changed row).
    pub(super) fn open(&self, sealed: &[u8], table: &'static str) -> Result<String, StorageError> {
        if sealed.len() < NONCE_BYTES {
            return Err(bad_row(table, "a sealed secret is too short"));
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        let plain = self
            .0
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| {
                bad_row(
                    table,
                    "a sealed secret does not open with this folder's sealing.key",
                )
            })?;
        String::from_utf8(plain).map_err(|_| bad_row(table, "a sealed secret is not text"))
    }
}

pub(super) fn bad_row(table: &'static str, reason: impl Into<String>) -> StorageError {
    StorageError::BadRow {
        table,
        reason: reason.into(),
    }
}

/// A time as the database keeps it: nanoseconds since 1970 (until 2262).
pub(super) fn to_column(time: SystemTime) -> i64 {
    let since = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
}

/// The time [`to_column`] wrote.
pub(super) fn from_column(nanos: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_nanos(u64::try_from(nanos).unwrap_or(0))
}

/// One row to write or remove, in the transaction that precedes an answer.
#[derive(Debug)]
pub(super) enum Write {
    Session {
        id: String,
        link_token_digest: [u8; 32],
        expires_at: SystemTime,
        state: String,
    },
    PublicToken {
        digest: [u8; 32],
        expires_at: SystemTime,
        grant: String,
    },
    Account {
        id: String,
        end_user_id: String,
        token_digest: [u8; 32],
        token_sealed: Vec<u8>,
        created_at: SystemTime,
        integrations: String,
    },
    DeleteAccount {
        id: String,
    },
    /// A webhook event to deliver.
    Event {
        id: String,
        body: String,
    },
    /// A webhook event delivered or given up on.
    EventSettled {
        id: String,
    },
    /// Removes the sessions and public tokens that expired before these times.
    Purge {
        sessions_before: SystemTime,
        public_tokens_before: SystemTime,
    },
}

/// Rows as they were read back at start, for the store to rebuild its maps.
#[derive(Debug, Default)]
pub(super) struct Rows {
    /// `(id, link token digest, expires at, state JSON)`.
    pub(super) sessions: Vec<(String, [u8; 32], SystemTime, String)>,
    /// `(digest, grant JSON)`.
    pub(super) public_tokens: Vec<([u8; 32], String)>,
    /// `(id, end user, token digest, token, created at, integrations JSON)`.
    pub(super) accounts: Vec<(String, String, [u8; 32], String, SystemTime, String)>,
    /// Undelivered webhook events (JSON), oldest first.
    pub(super) webhook_outbox: Vec<String>,
}

/// The open data folder.
#[derive(Debug)]
pub struct DataFolder {
    connection: Connection,
    pub(super) sealer: Sealer,
}

impl DataFolder {
    /// Opens (or makes) `dir`, its sealing key and its database, and brings
    /// the schema up to date.
    ///
    /// # Errors
    /// A sentence naming what in the folder cannot be used.
    pub fn open(dir: &Path) -> Result<Self, StorageError> {
        let folder_error = |path: &Path| {
            let path = path.to_owned();
            move |source| StorageError::Folder { path, source }
        };
        fs::create_dir_all(dir).map_err(folder_error(dir))?;
        let key_path = dir.join(KEY_FILE);
        let key = read_or_make_key(&key_path).map_err(folder_error(&key_path))?;
        let mut connection = Connection::open(dir.join(DATABASE_FILE))?;
        // WAL with FULL sync: a commit is on disk (its WAL frame fsynced)
        // before `commit` returns, so an answer is never ahead of the disk.
        connection.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;",
        )?;
        migrate(&mut connection)?;
        Ok(Self {
            connection,
            sealer: Sealer(XChaCha20Poly1305::new(&key.into())),
        })
    }

    /// Every row, to rebuild the store from.
    pub(super) fn read_all(&self) -> Result<Rows, StorageError> {
        let digest = |bytes: Vec<u8>, table| {
            <[u8; 32]>::try_from(bytes).map_err(|_| bad_row(table, "a digest is not 32 bytes"))
        };
        let mut rows = Rows::default();
        let mut query = self
            .connection
            .prepare("SELECT id, link_token_digest, expires_at, state FROM sessions")?;
        let mut found = query.query([])?;
        while let Some(row) = found.next()? {
            rows.sessions.push((
                row.get(0)?,
                digest(row.get(1)?, "sessions")?,
                from_column(row.get(2)?),
                row.get(3)?,
            ));
        }
        let mut query = self
            .connection
            .prepare("SELECT digest, grant_json FROM public_tokens")?;
        let mut found = query.query([])?;
        while let Some(row) = found.next()? {
            rows.public_tokens
                .push((digest(row.get(0)?, "public_tokens")?, row.get(1)?));
        }
        let mut query = self.connection.prepare(
            "SELECT id, end_user_id, token_digest, token_sealed, created_at, integrations FROM accounts",
        )?;
        let mut found = query.query([])?;
        while let Some(row) = found.next()? {
            let sealed: Vec<u8> = row.get(3)?;
            rows.accounts.push((
                row.get(0)?,
                row.get(1)?,
                digest(row.get(2)?, "accounts")?,
                self.sealer.open(&sealed, "accounts")?,
                from_column(row.get(4)?),
                row.get(5)?,
            ));
        }
        let mut query = self
            .connection
            .prepare("SELECT event FROM webhook_outbox ORDER BY rowid")?;
        let mut found = query.query([])?;
        while let Some(row) = found.next()? {
            rows.webhook_outbox.push(row.get(0)?);
        }
        Ok(rows)
    }

    /// Writes `writes` in one transaction, durable when this returns.
    pub(super) fn write(&mut self, writes: &[Write]) -> Result<(), StorageError> {
        if writes.is_empty() {
            return Ok(());
        }
        let transaction = self.connection.transaction()?;
        for write in writes {
            match write {
                Write::Session {
                    id,
                    link_token_digest,
                    expires_at,
                    state,
                } => transaction.execute(
                    "INSERT OR REPLACE INTO sessions VALUES (?1, ?2, ?3, ?4)",
                    params![id, &link_token_digest[..], to_column(*expires_at), state],
                )?,
                Write::PublicToken {
                    digest,
                    expires_at,
                    grant,
                } => transaction.execute(
                    "INSERT OR REPLACE INTO public_tokens VALUES (?1, ?2, ?3)",
                    params![&digest[..], to_column(*expires_at), grant],
                )?,
                Write::Account {
                    id,
                    end_user_id,
                    token_digest,
                    token_sealed,
                    created_at,
                    integrations,
                } => transaction.execute(
                    "INSERT OR REPLACE INTO accounts VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        id,
                        end_user_id,
                        &token_digest[..],
                        token_sealed,
                        to_column(*created_at),
                        integrations
                    ],
                )?,
                Write::Event { id, body } => transaction.execute(
                    "INSERT OR IGNORE INTO webhook_outbox (id, event) VALUES (?1, ?2)",
                    params![id, body],
                )?,
                Write::EventSettled { id } => {
                    transaction.execute("DELETE FROM webhook_outbox WHERE id = ?1", params![id])?
                }
                Write::DeleteAccount { id } => {
                    transaction.execute("DELETE FROM accounts WHERE id = ?1", params![id])?
                }
                Write::Purge {
                    sessions_before,
                    public_tokens_before,
                } => {
                    transaction.execute(
                        "DELETE FROM sessions WHERE expires_at <= ?1",
                        params![to_column(*sessions_before)],
                    )?;
                    transaction.execute(
                        "DELETE FROM public_tokens WHERE expires_at <= ?1",
                        params![to_column(*public_tokens_before)],
                    )?
                }
            };
        }
        transaction.commit()?;
        Ok(())
    }

    /// The demo backend's end users and their account tokens.
    ///
    /// # Errors
    /// A row that does not read back.
    pub fn demo_backend_accounts(&self) -> Result<Vec<(String, String)>, StorageError> {
        let mut query = self
            .connection
            .prepare("SELECT end_user_id, token_sealed FROM demo_backend_accounts")?;
        let mut found = query.query([])?;
        let mut accounts = Vec::new();
        while let Some(row) = found.next()? {
            let sealed: Vec<u8> = row.get(1)?;
            accounts.push((
                row.get(0)?,
                self.sealer.open(&sealed, "demo_backend_accounts")?,
            ));
        }
        Ok(accounts)
    }

    /// Keeps (or, with `None`, forgets) the demo backend's account token for
    /// `end_user_id`, durably.
    ///
    /// # Errors
    /// The write failed.
    pub fn keep_demo_backend_account(
        &mut self,
        end_user_id: &str,
        account_token: Option<&str>,
    ) -> Result<(), StorageError> {
        match account_token {
            Some(token) => {
                let sealed = self.sealer.seal(token)?;
                self.connection.execute(
                    "INSERT OR REPLACE INTO demo_backend_accounts VALUES (?1, ?2)",
                    params![end_user_id, sealed],
                )?
            }
            None => self.connection.execute(
                "DELETE FROM demo_backend_accounts WHERE end_user_id = ?1",
                params![end_user_id],
            )?,
        };
        Ok(())
    }

    /// The schema version the file is at.
    pub fn schema_version(&self) -> Result<i64, StorageError> {
        Ok(self
            .connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Rows in `table`: what the tests count (never a secret).
    pub fn count(&self, table: &str) -> Result<i64, StorageError> {
        let known = [
            "sessions",
            "public_tokens",
            "accounts",
            "demo_backend_accounts",
            "webhook_outbox",
        ];
        let table = known
            .into_iter()
            .find(|known| *known == table)
            .ok_or_else(|| bad_row("(unknown)", format!("no table is called {table}")))?;
        Ok(self
            .connection
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .optional()?
            .unwrap_or(0))
    }
}

/// Applies the migrations the file has not had, each in its own transaction.
fn migrate(connection: &mut Connection) -> Result<(), StorageError> {
    let applied: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let applied_count = usize::try_from(applied).unwrap_or(usize::MAX);
    if applied_count > MIGRATIONS.len() {
        return Err(StorageError::NewerSchema {
            found: applied,
            known: MIGRATIONS.len(),
        });
    }
    for (done, migration) in MIGRATIONS.iter().enumerate().skip(applied_count) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration)?;
        transaction.pragma_update(None, "user_version", done + 1)?;
        transaction.commit()?;
    }
    Ok(())
}

/// The folder's sealing key, made (readable by its owner only) on first use.
fn read_or_make_key(path: &Path) -> std::io::Result<[u8; 32]> {
    let mut key = [0u8; 32];
    match OpenOptions::new().read(true).open(path) {
        Ok(mut file) => {
            file.read_exact(&mut key)?;
            return Ok(key);
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    getrandom::fill(&mut key)?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(&key)?;
    file.sync_all()?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "keet-sandbox-durable-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_new_folder_gets_every_migration_and_reopening_applies_none() {
        let dir = scratch("migrations");
        let folder = DataFolder::open(&dir).unwrap();
        assert_eq!(
            folder.schema_version().unwrap(),
            i64::try_from(MIGRATIONS.len()).unwrap()
        );
        drop(folder);
        let folder = DataFolder::open(&dir).unwrap();
        assert_eq!(folder.count("accounts").unwrap(), 0);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_folder_from_a_newer_sandbox_is_refused_with_a_sentence() {
        let dir = scratch("newer");
        drop(DataFolder::open(&dir).unwrap());
        let connection = Connection::open(dir.join(DATABASE_FILE)).unwrap();
        connection.pragma_update(None, "user_version", 99).unwrap();
        drop(connection);
        let error = DataFolder::open(&dir).unwrap_err().to_string();
        assert!(error.contains("version 99"), "{error}");
        assert!(error.contains("--data-dir"), "{error}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn sealed_secrets_open_only_with_their_folders_key() {
        let (one, other) = (scratch("seal-one"), scratch("seal-other"));
        let sealed = DataFolder::open(&one)
            .unwrap()
            .sealer
            .seal("acc_secret")
            .unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        let reopened = DataFolder::open(&one).unwrap();
        assert_eq!(reopened.sealer.open(&sealed, "t").unwrap(), "acc_secret");
        let error = DataFolder::open(&other)
            .unwrap()
            .sealer
            .open(&sealed, "accounts")
            .unwrap_err()
            .to_string();
        assert!(error.contains("sealing.key"), "{error}");
        let _ = fs::remove_dir_all(&one);
        let _ = fs::remove_dir_all(&other);
    }
}
