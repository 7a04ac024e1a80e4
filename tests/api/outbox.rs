//! The e-mail outbox against a real SMTP server (aiosmtpd, run by `tests/smtp_sink.py` as a
//! child process): what is enqueued arrives once, a failed delivery is kept and retried, and
//! nodes racing for the same messages send each of them once.

use std::collections::HashMap;
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use wenji::entities::outbox;
use wenji::outbox::{Message, enqueue};

use crate::helpers::*;

const TICK: Duration = Duration::from_millis(200);
const PATIENCE: Duration = Duration::from_secs(10);

/// A Python with aiosmtpd: `WENJI_TEST_PYTHON`, Debian's (where `apt-get install
/// python3-aiosmtpd` puts it, whatever python3 comes first on the PATH), or `python3`.
fn python() -> String {
    let candidates =
        std::env::var("WENJI_TEST_PYTHON").into_iter().chain(["/usr/bin/python3".into(), "python3".into()]);
    for p in candidates {
        let ok = Command::new(&p)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return p;
        }
    }
    panic!("the outbox tests need aiosmtpd: apt-get install python3-aiosmtpd (or set WENJI_TEST_PYTHON)");
}

/// A port nobody listens on (just now).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// An SMTP server on 127.0.0.1 keeping what it receives; stopped when dropped.
struct SmtpSink {
    child: Child,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    async fn start(port: u16) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP sink");
        let stdout = child.stdout.take().unwrap();
        let sink = SmtpSink { child, dir };
        let first_line = tokio::time::timeout(
            PATIENCE,
            tokio::task::spawn_blocking(move || {
                let mut line = String::new();
                std::io::BufReader::new(stdout).read_line(&mut line).map(|_| line)
            }),
        )
        .await
        .expect("the SMTP sink starts within 10 s")
        .unwrap()
        .unwrap();
        assert_eq!(first_line.trim(), "ready", "the SMTP sink did not start on port {port}");
        sink
    }

    /// The messages received so far, decoded.
    fn received(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                out.push(serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap());
            }
        }
        out
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn spawn_mailing_to(port: u16) -> TestApp {
    TestApp::spawn_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.outbox_interval = TICK;
    })
    .await
}

fn message(to: &str, subject: &str) -> Message {
    Message {
        kind: "test_notice",
        to: to.to_string(),
        subject: subject.to_string(),
        body: format!("您好：\n{subject}。本邮件由系统自动发送，请勿回复。\n"),
    }
}

async fn rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find().all(app.db.conn()).await.unwrap()
}

/// Waits until `done` holds (checked every 50 ms), at most 10 s.
async fn eventually<F: std::future::Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < PATIENCE, "not within {PATIENCE:?}: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Subjects received, with how often each arrived.
fn subjects(received: &[Value]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for m in received {
        *seen.entry(m["subject"].as_str().unwrap().to_string()).or_insert(0) += 1;
    }
    seen
}

#[tokio::test]
async fn enqueued_messages_arrive_once_and_rolled_back_ones_never() {
    let port = free_port();
    let smtp = SmtpSink::start(port).await;
    let app = spawn_mailing_to(port).await;

    let sent = [
        ("zhang.wei@example.cn", "关于《示范区停车设施建设管理办法》意见采纳情况的反馈"),
        ("li.na@example.cn", "您对《老旧小区改造实施方案》提出的意见已有答复"),
        ("wang.fang@example.cn", "意见反馈：第三条 充电桩配建比例"),
    ];
    for (to, subject) in sent {
        enqueue(app.db.conn(), message(to, subject)).await.unwrap();
    }
    // A message enqueued in a transaction that is rolled back is never sent.
    let tx = app.db.write().await.unwrap();
    enqueue(&tx, message("rolled.back@example.cn", "不应发出的邮件")).await.unwrap();
    drop(tx);

    eventually("three e-mails arrive and are recorded as sent", || async {
        smtp.received().len() >= 3 && rows(&app).await.iter().all(|r| r.sent_at.is_some())
    })
    .await;
    // Several more ticks: nothing is sent again.
    tokio::time::sleep(TICK * 5).await;

    let received = smtp.received();
    assert_eq!(received.len(), 3, "{received:#?}");
    let by_subject: HashMap<&str, &Value> = received.iter().map(|m| (m["subject"].as_str().unwrap(), m)).collect();
    for (to, subject) in sent {
        let m = by_subject.get(subject).unwrap_or_else(|| panic!("{subject} did not arrive: {received:#?}"));
        assert_eq!(m["rcpt_tos"], serde_json::json!([to]));
        assert_eq!(m["to"], to);
        assert_eq!(m["from"], "noreply@wenji.local");
        assert_eq!(m["mail_from"], "noreply@wenji.local");
        assert_eq!((m["content_type"].as_str(), m["charset"].as_str()), (Some("text/plain"), Some("utf-8")));
        assert_eq!(m["body"].as_str().unwrap().replace("\r\n", "\n"), message(to, subject).body);
    }

    let stored = rows(&app).await;
    assert_eq!(stored.len(), 3, "the rolled-back message was not stored");
    for r in &stored {
        assert!(r.sent_at.is_some() && r.claimed_until.is_none(), "{r:?}");
        assert_eq!((r.attempts, r.last_error.as_deref()), (0, None));
        let m = by_subject[r.subject.as_str()];
        assert_eq!(m["message_id"].as_str().unwrap(), format!("<{}@wenji.local>", r.id));
    }
}

#[tokio::test]
async fn a_failed_delivery_is_kept_and_retried() {
    let port = free_port();
    // Nothing listens on the port yet.
    let app = spawn_mailing_to(port).await;
    enqueue(app.db.conn(), message("zhao.lei@example.cn", "关于您所提意见的答复")).await.unwrap();

    eventually("the failed delivery is recorded", || async { rows(&app).await[0].attempts >= 1 }).await;
    let failed = rows(&app).await.remove(0);
    assert_eq!(failed.attempts, 1, "tried again before its backoff passed: {failed:?}");
    assert!(failed.sent_at.is_none() && failed.claimed_until.is_none(), "{failed:?}");
    assert!(failed.last_error.as_deref().is_some_and(|e| !e.is_empty()), "{failed:?}");
    assert!(failed.next_attempt_at > failed.created_at + chrono::TimeDelta::seconds(20), "backoff: {failed:?}");

    let smtp = SmtpSink::start(port).await;
    // The backoff holds: the server is up, but the message is not due yet.
    tokio::time::sleep(TICK * 4).await;
    assert!(smtp.received().is_empty());
    assert_eq!(rows(&app).await[0].attempts, 1);

    // Its time comes.
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::NextAttemptAt,
            Expr::value(wenji::db::Timestamp::now() - chrono::TimeDelta::seconds(1)),
        )
        .filter(outbox::Column::Id.eq(failed.id))
        .exec(app.db.conn())
        .await
        .unwrap();
    eventually("the retry arrives", || async { rows(&app).await[0].sent_at.is_some() }).await;
    tokio::time::sleep(TICK * 3).await;

    let received = smtp.received();
    assert_eq!(received.len(), 1, "{received:#?}");
    assert_eq!(received[0]["subject"], "关于您所提意见的答复");
    assert_eq!(received[0]["rcpt_tos"], serde_json::json!(["zhao.lei@example.cn"]));
    let sent = rows(&app).await.remove(0);
    assert_eq!(sent.attempts, 1, "attempts counts failures");
    assert!(sent.last_error.is_some(), "the last error is kept for the record");
}

#[tokio::test]
async fn racing_deliverers_send_each_message_once() {
    let port = free_port();
    let smtp = SmtpSink::start(port).await;
    // Two nodes on one database, each with its delivery loop …
    let first = spawn_mailing_to(port).await;
    let second = first.another_node(|_| {}).await;

    const N: usize = 40;
    let tx = first.db.write().await.unwrap();
    for i in 0..N {
        enqueue(&tx, message(&format!("resident{i}@example.cn"), &format!("第{i}号意见的反馈"))).await.unwrap();
    }
    tx.commit().await.unwrap();

    // … and, at the same moment, four more deliverers: two per node.
    let states = [&first, &first, &second, &second]
        .map(|node| wenji::state::AppState::new(node.db.clone(), node.config.clone(), node.keys.clone()));
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(states.len()));
    let racers: Vec<_> = states
        .into_iter()
        .map(|state| {
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                wenji::outbox::deliver_due(&state).await.unwrap()
            })
        })
        .collect();
    let mut by_racers = 0;
    for r in racers {
        by_racers += r.await.unwrap();
    }
    assert!(by_racers <= N, "{by_racers} sends counted for {N} messages");

    eventually("every message is recorded as sent", || async {
        rows(&first).await.iter().all(|r| r.sent_at.is_some())
    })
    .await;
    eventually("every message arrives", || async { smtp.received().len() >= N }).await;
    tokio::time::sleep(TICK * 3).await;

    let received = smtp.received();
    assert_eq!(received.len(), N, "each message once");
    let seen = subjects(&received);
    assert_eq!(seen.len(), N);
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
    assert!(rows(&first).await.iter().all(|r| r.attempts == 0 && r.last_error.is_none()));
}

#[tokio::test]
async fn without_an_smtp_server_messages_are_logged_and_counted_as_sent() {
    let app = TestApp::spawn_with(|c| c.outbox_interval = TICK).await;
    assert!(app.config.smtp_url.is_none());
    enqueue(app.db.conn(), message("sun.li@example.cn", "意见已答复")).await.unwrap();
    eventually("the message is recorded as sent", || async { rows(&app).await[0].sent_at.is_some() }).await;
    assert_eq!(rows(&app).await[0].attempts, 0);
}

/// Bring a failed message's next try forward to now.
async fn make_due(app: &TestApp, attempts: Option<i32>) {
    let mut update = outbox::Entity::update_many().col_expr(
        outbox::Column::NextAttemptAt,
        Expr::value(wenji::db::Timestamp::now() - chrono::TimeDelta::seconds(1)),
    );
    if let Some(a) = attempts {
        update = update.col_expr(outbox::Column::Attempts, Expr::value(a));
    }
    update.filter(outbox::Column::SentAt.is_null()).exec(app.db.conn()).await.unwrap();
}

#[tokio::test]
async fn a_message_is_given_up_after_the_last_attempt_and_kept() {
    use wenji::outbox::model::MAX_ATTEMPTS;
    let port = free_port();
    let app = spawn_mailing_to(port).await;
    enqueue(app.db.conn(), message("qian.yu@example.cn", "关于您所提意见的答复")).await.unwrap();
    // An address that can never work is given up at once.
    enqueue(app.db.conn(), message("不是邮箱地址", "无法投递")).await.unwrap();
    let of = |rows: Vec<outbox::Model>, subject: &str| rows.into_iter().find(|r| r.subject == subject).unwrap();

    eventually("both deliveries fail", || async { rows(&app).await.iter().all(|r| r.attempts >= 1) }).await;
    let hopeless = of(rows(&app).await, "无法投递");
    assert_eq!(hopeless.attempts, MAX_ATTEMPTS, "{hopeless:?}");
    assert!(hopeless.last_error.as_deref().unwrap().contains("不是邮箱地址"), "{hopeless:?}");

    // The last attempt fails too: the message is kept, unsent, and no longer tried.
    make_due(&app, Some(MAX_ATTEMPTS - 1)).await;
    eventually("the last attempt is made", || async {
        of(rows(&app).await, "关于您所提意见的答复").attempts == MAX_ATTEMPTS
    })
    .await;
    make_due(&app, None).await;
    tokio::time::sleep(TICK * 4).await;
    for r in rows(&app).await {
        assert_eq!((r.attempts, r.sent_at), (MAX_ATTEMPTS, None), "{r:?}");
        assert!(r.last_error.is_some() && r.claimed_until.is_none(), "{r:?}");
    }

    // An operator sends it again by setting its attempts back to 0.
    let smtp = SmtpSink::start(port).await;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .filter(outbox::Column::Subject.eq("关于您所提意见的答复"))
        .exec(app.db.conn())
        .await
        .unwrap();
    make_due(&app, None).await;
    eventually("the revived message arrives", || async { smtp.received().len() == 1 }).await;
    tokio::time::sleep(TICK * 3).await;
    assert_eq!(subjects(&smtp.received()), HashMap::from([("关于您所提意见的答复".to_string(), 1)]));
}
