//! argon2id password hashing, off the async runtime.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::{AppError, AppResult};
use crate::t;

/// Password hashing is bounded for the whole node: each argon2 hash takes 19 MiB and a core,
/// so at most one per core runs at a time. Others wait a moment, then are told to come back
/// (429 with Retry-After) instead of queueing without end.
static PERMITS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)));
/// How long a request waits for a hashing slot, in milliseconds (`WENJI_PASSWORD_HASH_WAIT`).
static MAX_WAIT_MS: AtomicU64 = AtomicU64::new(2000);

/// Sets how long a request waits for a hashing slot before it is told to come back.
pub fn set_max_wait(wait: Duration) {
    MAX_WAIT_MS.store(wait.as_millis().min(u64::MAX as u128) as u64, Ordering::Relaxed);
}

async fn permit() -> AppResult<SemaphorePermit<'static>> {
    let wait = Duration::from_millis(MAX_WAIT_MS.load(Ordering::Relaxed));
    match tokio::time::timeout(wait, PERMITS.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(AppError::TooManyRequests {
            retry_after_secs: 2,
            message: t!("服务器正忙，请稍后再试。", "The server is busy; try again in a moment."),
        }),
    }
}

/// OWASP's recommended argon2id settings: 19 MiB, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("argon2 hash: {e}"))?.to_string())
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the account does not exist so that
/// an unknown e-mail costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking(&uuid::Uuid::new_v4().to_string()).expect("hashing a random password"));

pub async fn hash(password: &str) -> AppResult<String> {
    let password = password.to_string();
    let permit = permit().await?;
    let hashed = tokio::task::spawn_blocking(move || hash_blocking(&password)).await;
    drop(permit);
    Ok(hashed??)
}

/// Verifies `password` against `phc`, or against a dummy hash when there is no account.
pub async fn verify(password: &str, phc: Option<String>) -> AppResult<bool> {
    let password = password.to_string();
    let permit = permit().await?;
    let verified = tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify_blocking(&password, &phc),
        None => {
            verify_blocking(&password, &DUMMY_HASH);
            false
        }
    })
    .await;
    drop(permit);
    Ok(verified?)
}

/// glibc's allocator raises its mmap threshold each time a large block is freed, after
/// which argon2's 19 MiB blocks come from per-thread heaps and are kept there: hundreds of
/// MiB that never go back to the system after a burst of sign-ins. A fixed threshold keeps
/// such blocks mapped and unmapped. Called once at start-up.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: mallopt only changes the allocator's tuning; 1 MiB is a valid threshold.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
        }
    }
}

/// Computes the dummy hash now, so the first sign-in with an unknown e-mail is not slower.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("长城内外惟余莽莽").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("长城内外惟余莽莽", Some(h.clone())).await.unwrap());
        assert!(!verify("长城内外惟余莽", Some(h)).await.unwrap());
        assert!(!verify("anything", None).await.unwrap());
        assert!(!verify("anything", Some("not a phc string".into())).await.unwrap());
    }
}
