//! `wenji backup` copies a SQLite database while a node keeps writing to it, and `wenji
//! restore` brings the copy back: every comment acknowledged before the backup began is in
//! it, whole, none acknowledged after it ended is, the counts equal the rows, and the
//! attachments come with it. On PostgreSQL the commands refuse and name pg_dump.

use std::collections::HashMap;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;
use wenji::entities::comments;

use crate::group_commit::rows_and_counts;
use crate::helpers::*;
use crate::nodes::Node;

/// Runs `wenji <args>` on a database and data directory.
fn wenji(database_url: &str, data_dir: &std::path::Path, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wenji"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("WENJI_DATABASE_URL", database_url)
        .env("WENJI_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("wenji runs")
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// A comment answered 201, and when the answer arrived.
type Acknowledged = (String, String, Instant);

#[tokio::test]
async fn a_backup_taken_while_serving_restores_every_comment_acknowledged_before_it() {
    let app = spawn_demo_without_comment_limits().await;
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("wenji-backup.db");
    if !app.config.is_sqlite() {
        let out = wenji(&app.config.database_url, backups.path(), &["backup".as_ref(), file.as_os_str()]);
        assert!(!out.status.success() && said(&out).contains("pg_dump"), "{}", said(&out));
        assert!(!file.exists());
        let out = wenji(&app.config.database_url, backups.path(), &["restore".as_ref(), file.as_os_str()]);
        assert!(!out.status.success() && said(&out).contains("pg_dump"), "{}", said(&out));
        return;
    }
    let (id, staff) = published_decision(&app, "示范区养老服务设施建设管理办法").await;
    let pdf: Vec<u8> = [PDF, "附件：征求意见稿起草说明".repeat(2000).as_bytes()].concat();
    let attachment =
        upload(&app, Some(&staff), &id, "起草说明.pdf", &pdf).await.ok(201)["id"].as_str().unwrap().to_string();

    let serving = tempfile::tempdir().unwrap();
    let limits = [("WENJI_COMMENT_MAX_PER_ADDRESS", "1000000")];
    let mut node = Node::start_with(&app, serving.path(), &limits);
    let client = reqwest::Client::new();
    node.ready(&client).await;
    let url = format!("{}/api/v1/decisions/{id}/comments", node.base);
    let stop = Arc::new(AtomicBool::new(false));
    let senders: Vec<_> = (0..8)
        .map(|t| {
            let (client, url, stop) = (client.clone(), url.clone(), stop.clone());
            tokio::spawn(async move {
                let mut acknowledged: Vec<Acknowledged> = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let body = format!("备份期间第{t}组第{i}条：建议社区食堂延长营业时间。");
                    let r = client.post(&url).json(&json!({ "body": body, "category": "individual" })).send().await;
                    let r = r.expect("the node answers");
                    assert_eq!(r.status().as_u16(), 201);
                    let v: Value = r.json().await.unwrap();
                    let tracking = v["receipt"]["tracking_number"].as_str().unwrap().to_string();
                    acknowledged.push((tracking, body, Instant::now()));
                }
                acknowledged
            })
        })
        .collect();

    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let began = Instant::now();
    let url_for_backup = app.config.database_url.clone();
    let (dir_for_backup, file_for_backup) = (serving.path().to_path_buf(), file.clone());
    let out = tokio::task::spawn_blocking(move || {
        wenji(&url_for_backup, &dir_for_backup, &["backup".as_ref(), file_for_backup.as_os_str()])
    })
    .await
    .unwrap();
    let ended = Instant::now();
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("backup written") && said(&out).contains("integrity ok"), "{}", said(&out));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // Restoring over a database a node is serving is refused, and changes nothing.
    let refused = wenji(&app.config.database_url, serving.path(), &["restore".as_ref(), file.as_os_str()]);
    assert!(!refused.status.success() && said(&refused).contains("stop every node"), "{}", said(&refused));
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for s in senders {
        acknowledged.extend(s.await.unwrap());
    }
    drop(node);
    let again = wenji(&app.config.database_url, serving.path(), &["backup".as_ref(), file.as_os_str()]);
    assert!(!again.status.success() && said(&again).contains("never overwrites"), "{}", said(&again));

    // Restored into a new place, with the receipt key file carried over as the README says.
    let restored = tempfile::tempdir().unwrap();
    let restored_url = format!("sqlite://{}?mode=rwc", restored.path().join("wenji.db").display());
    std::fs::copy(serving.path().join("receipt-keys"), restored.path().join("receipt-keys")).unwrap();
    let out = wenji(&restored_url, restored.path(), &["restore".as_ref(), file.as_os_str()]);
    assert!(out.status.success() && said(&out).contains("restored"), "{}", said(&out));

    let db = sea_orm::Database::connect(restored_url.as_str()).await.unwrap();
    let decision: Uuid = id.parse().unwrap();
    let stored: HashMap<String, String> = comments::Entity::find()
        .filter(comments::Column::DecisionId.eq(decision))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.tracking_number, c.body))
        .collect();
    let before: Vec<_> = acknowledged.iter().filter(|(_, _, at)| *at < began).collect();
    let after: Vec<_> = acknowledged.iter().filter(|(_, _, at)| *at > ended).collect();
    let missing = before.iter().filter(|(tn, body, _)| stored.get(tn) != Some(body)).count();
    let from_after = after.iter().filter(|(tn, _, _)| stored.contains_key(tn)).count();
    eprintln!(
        "backup while serving: {} comments acknowledged in all, {} before the backup began, {} after it ended \
         ({} ms); the restored copy holds {} ({} of the former missing, {} of the latter present)",
        acknowledged.len(),
        before.len(),
        after.len(),
        (ended - began).as_millis(),
        stored.len(),
        missing,
        from_after
    );
    assert!(before.len() >= 20 && !after.is_empty(), "writes went on around the backup");
    assert_eq!(missing, 0, "every comment acknowledged before the backup is in it");
    assert_eq!(from_after, 0, "the copy is one moment, not a mixture");
    let (rows, counts) = rows_and_counts(&db, decision).await;
    assert_eq!(rows, counts, "maintained counts equal the rows in the restored copy");
    db.close().await.unwrap();

    // A node on the restored database serves the comments and the attachment.
    let mut back = Node::start_with_url(&restored_url, restored.path(), &limits);
    back.ready(&client).await;
    let list: Value = client
        .get(format!("{}/api/v1/decisions/{id}/comments?per_page=1", back.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["meta"]["total"].as_u64(), Some(stored.len() as u64));
    let file =
        client.get(format!("{}/api/v1/decisions/{id}/attachments/{attachment}", back.base)).send().await.unwrap();
    assert_eq!(file.status().as_u16(), 200);
    assert_eq!(file.bytes().await.unwrap().as_ref(), pdf.as_slice(), "the attachment came back whole");
}

#[tokio::test]
async fn a_restore_refuses_what_is_not_a_wenji_backup() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("wenji.db").display());
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "这不是数据库".repeat(1000)).unwrap();
    let out = wenji(&url, dir.path(), &["restore".as_ref(), junk.as_os_str()]);
    assert!(!out.status.success() && said(&out).contains("not a readable SQLite database"), "{}", said(&out));
    let missing = dir.path().join("missing.db");
    let out = wenji(&url, dir.path(), &["restore".as_ref(), missing.as_os_str()]);
    assert!(!out.status.success() && said(&out).contains("cannot read"), "{}", said(&out));
    assert!(!dir.path().join("wenji.db").exists(), "nothing was put in place");
}
