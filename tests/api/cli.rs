//! The command line: configuration errors, the spec, creating the platform admin.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::helpers::*;

fn wenji(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenji"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("WENJI_DATA_DIR", dir)
        .env("RUST_LOG", "error");
    c
}

#[test]
fn a_bad_setting_stops_the_service_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = wenji(dir.path()).env("WENJI_LISTEN", "everywhere").arg("serve").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WENJI_LISTEN"), "{out:?}");
}

#[test]
fn openapi_needs_no_database_and_prints_the_committed_spec() {
    let out = Command::new(env!("CARGO_BIN_EXE_wenji"))
        .arg("openapi")
        .env("WENJI_DATABASE_URL", "postgres://nowhere.invalid/x")
        .output()
        .unwrap();
    assert!(out.status.success());
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.yaml")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
}

#[tokio::test]
async fn create_admin_reads_the_password_from_the_environment_or_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = wenji(dir.path())
        .env("WENJI_ADMIN_PASSWORD", "a-strong-admin-passphrase")
        .args(["create-admin", "--email", "Root@Example.CN"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // From standard input, resetting the password of the same admin.
    let mut child = wenji(dir.path())
        .args(["create-admin", "--email", "root@example.cn"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"another-strong-passphrase\n").unwrap();
    assert!(child.wait().unwrap().success());
    // A common password is refused.
    let weak = wenji(dir.path())
        .env("WENJI_ADMIN_PASSWORD", "password123")
        .args(["create-admin", "--email", "x@example.cn"])
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"), "{weak:?}");

    let db = format!("sqlite://{}?mode=rwc", dir.path().join("wenji.db").display());
    let app = TestApp::spawn_with(|c| c.database_url = db).await;
    let token = app.login("root@example.cn", "another-strong-passphrase").await;
    assert_eq!(app.get("/api/v1/auth/me", Some(&token)).await.ok(200)["role"], "platform_admin");
    app.post(
        "/api/v1/auth/login",
        None,
        json!({ "email": "root@example.cn", "password": "a-strong-admin-passphrase" }),
    )
    .await
    .problem(401);
}
