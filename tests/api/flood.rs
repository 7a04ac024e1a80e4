//! A flood of registrations and sign-ins from one address, against a server in a process of
//! its own so that its memory can be read: every answer is a clean one (accepted, refused, or
//! told to come back later), and the server's memory stays bounded during and after.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde_json::json;

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wenji(dir: &std::path::Path, port: u16) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenji"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("WENJI_DATA_DIR", dir)
        .env("WENJI_LISTEN", format!("127.0.0.1:{port}"))
        .env("WENJI_REGISTER_MAX_PER_ADDRESS", "150")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[tokio::test]
async fn a_flood_of_registrations_and_sign_ins_is_answered_cleanly_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    assert!(wenji(dir.path(), port).arg("demo-data").status().unwrap().success());
    let server = Server(wenji(dir.path(), port).arg("serve").spawn().unwrap());
    let pid = server.0.id();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client.get(format!("http://127.0.0.1:{port}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // One sign-in first, so that what start-up allocates once is in the baseline.
    let warm = json!({ "email": "zhang.wei@wenji.demo", "password": wenji::demo::DEMO_PASSWORD });
    assert_eq!(client.post(format!("{base}/auth/login")).json(&warm).send().await.unwrap().status(), 200);
    let baseline = rss_kib(pid);

    let peak = Arc::new(AtomicU64::new(baseline));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (peak.clone(), sampling.clone());
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let gate = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = Vec::new();
    for i in 0..600 {
        let (client, base, gate) = (client.clone(), base.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = gate.acquire().await.unwrap();
            let (path, body) = if i % 2 == 0 {
                ("register", json!({ "email": format!("flood{i}@example.cn"), "password": "a-long-enough-pass", "display_name": "居民" }))
            } else {
                ("login", json!({ "email": format!("flood{}@example.cn", i - 1), "password": "not-the-password" }))
            };
            let answer = client.post(format!("{base}/auth/{path}")).json(&body).send().await.unwrap();
            let status = answer.status().as_u16();
            if status == 429 {
                assert!(answer.headers().contains_key("retry-after"), "a 429 says when to come back");
            }
            (path, status)
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    sampling.store(false, Ordering::Relaxed);
    sampler.await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = rss_kib(pid);
    let peak = peak.load(Ordering::Relaxed);

    let count = |path: &str, status: u16| answers.iter().filter(|a| **a == (path, status)).count();
    let odd: Vec<_> = answers.iter().filter(|(_, s)| ![202, 401, 429].contains(s)).collect();
    assert!(odd.is_empty(), "only clean answers: {odd:?}");
    assert!(count("register", 202) >= 1, "some registrations go through");
    assert!(count("register", 429) >= 150, "the rest are refused: {}", count("register", 429));
    assert!(count("login", 429) >= 200, "sign-in failures from one address are throttled: {}", count("login", 429));
    eprintln!(
        "flood: registrations 202={} 429={}; sign-ins 401={} 429={}; RSS baseline {} MiB, peak {} MiB, after {} MiB",
        count("register", 202),
        count("register", 429),
        count("login", 401),
        count("login", 429),
        baseline / 1024,
        peak / 1024,
        after / 1024
    );
    // At most one argon2 hash (19 MiB) per core at a time, and their blocks go back to the
    // system: hundreds of concurrent hashes would take gigabytes and keep them.
    assert!(peak - baseline < 300 * 1024, "peak grew by {} MiB", (peak - baseline) / 1024);
    assert!(after.saturating_sub(baseline) < 150 * 1024, "kept {} MiB after the flood", (after - baseline) / 1024);
}
