//! Several nodes behind a real reverse proxy: Debian's nginx, configured by the file the
//! README documents for production (`docs/production/nginx.conf`), in front of three `wenji
//! serve` processes on one database. Through it: tracking numbers stay unique, an
//! idempotency key answers once whichever node it reaches, a client's rate limit holds across
//! nodes and cannot be escaped by forging X-Forwarded-For, the clock closes a window once, a
//! node's cache is stale for at most the configured second, and an attachment uploaded on one
//! node downloads from the others.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;
use wenji::entities::comments;

use crate::helpers::*;
use crate::nodes::{Node, free_port};

/// The address nginx connects to the nodes from: the one proxy the nodes trust. Clients
/// connect from other loopback addresses, so the nodes can tell them apart.
const PROXY_SOURCE: &str = "127.0.0.3";
const COMMENT_LIMIT: usize = 5;
const CACHE_MS: u64 = 1000;

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"].iter().map(PathBuf::from).find(|p| p.exists()).unwrap_or_else(|| {
        panic!("nginx is needed by this test (Debian: apt-get install nginx-light; .ci/run installs it)")
    })
}

/// The production configuration with the test's node addresses and listening address.
fn site_config(nodes: &[&Node], port: u16) -> String {
    let documented = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/production/nginx.conf"))
        .expect("docs/production/nginx.conf");
    let mut out = String::new();
    let (mut servers, mut listens, mut passes) = (0, 0, 0);
    for line in documented.lines() {
        let code = line.trim_start();
        if code.starts_with("server 10.0.0.") {
            if servers == 0 {
                for n in nodes {
                    out.push_str(&format!("    server {};\n", n.base.trim_start_matches("http://")));
                }
            }
            servers += 1;
        } else if code == "listen 80;" {
            out.push_str(&format!("    listen 127.0.0.1:{port};\n"));
            listens += 1;
        } else if code == "proxy_pass http://wenji;" {
            out.push_str(&format!("{line}\n        proxy_bind {PROXY_SOURCE};\n"));
            passes += 1;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(servers >= 2 && listens == 1 && passes == 1, "the documented nginx.conf changed shape: {documented}");
    out
}

struct Nginx {
    child: std::process::Child,
    base: String,
    dir: tempfile::TempDir,
}

impl Nginx {
    fn start(nodes: &[&Node]) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        let port = free_port();
        std::fs::write(dir.path().join("wenji.conf"), site_config(nodes, port)).unwrap();
        let as_root = std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"));
        let main = format!(
            "{user}worker_processes 2;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  log_format nodes '$upstream_addr $status $request_method $uri';\n  \
             access_log {d}/access.log nodes;\n  \
             client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  \
             uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  include {d}/wenji.conf;\n}}\n",
            user = if as_root { "user root;\n" } else { "" }
        );
        std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
        let child = std::process::Command::new(nginx_binary())
            .args(["-p", &format!("{d}/"), "-e", &format!("{d}/error.log"), "-c", &format!("{d}/nginx.conf")])
            .args(["-g", "daemon off;"])
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("stderr.log")).unwrap())
            .spawn()
            .expect("nginx starts");
        Nginx { child, base: format!("http://127.0.0.1:{port}"), dir }
    }

    async fn ready(&mut self, client: &reqwest::Client) {
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("nginx exited ({status}): {}", self.log("stderr.log") + &self.log("error.log"));
            }
            if client.get(format!("{}/readyz", self.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("nginx did not answer: {}", self.log("error.log"));
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// Requests nginx passed on, by node address.
    fn requests_by_node(&self) -> HashMap<String, usize> {
        let mut by = HashMap::new();
        for line in self.log("access.log").lines() {
            *by.entry(line.split(' ').next().unwrap_or("").to_string()).or_default() += 1;
        }
        by
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client whose connections come from `source` (a loopback address of its own).
fn client_from(source: &str) -> reqwest::Client {
    reqwest::Client::builder().local_address(source.parse::<IpAddr>().unwrap()).build().unwrap()
}

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn closes_at(client: &reqwest::Client, base: &str, id: &str) -> DateTime<Utc> {
    let (status, d) = json_of(client.get(format!("{base}/api/v1/decisions/{id}")).send().await.unwrap()).await;
    assert_eq!(status, 200, "{d}");
    d["consultation"]["closes_at"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn three_nodes_behind_nginx_behave_as_one() {
    let app = TestApp::spawn_demo().await;
    let (id, staff) = published_decision(&app, "示范区社区养老服务网点布局规划").await;
    let keys = format!("k1={}", "5a".repeat(32));
    let settings = [
        ("WENJI_TRUSTED_PROXIES", PROXY_SOURCE),
        ("WENJI_RECEIPT_KEYS", keys.as_str()),
        ("WENJI_COMMENT_MAX_PER_ADDRESS", "5"),
        ("WENJI_WINDOW_SWEEP_INTERVAL", "1s"),
        ("WENJI_PUBLIC_CACHE_MS", "1000"),
    ];
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut nodes: Vec<Node> = dirs.iter().map(|d| Node::start_with(&app, d.path(), &settings)).collect();
    let local = reqwest::Client::new();
    for n in &mut nodes {
        n.ready(&local).await;
    }
    let mut nginx = Nginx::start(&nodes.iter().collect::<Vec<_>>());
    nginx.ready(&local).await;
    let proxy = nginx.base.clone();

    // 1. 120 residents, each from an address of their own, send seven comments through the
    //    proxy, every one with a forged X-Forwarded-For: five are taken, two refused, on
    //    whichever nodes they land; every tracking number is unique.
    let residents = 120;
    let senders: Vec<_> = (0..residents)
        .map(|r| {
            let client = client_from(&format!("127.0.1.{}", r + 1));
            let url = format!("{proxy}/api/v1/decisions/{id}/comments");
            tokio::spawn(async move {
                let mut answers = Vec::new();
                for i in 0..COMMENT_LIMIT + 2 {
                    let body = json!({ "body": format!("居民{r}第{i}条：建议在每个社区设置助餐点。"), "category": "individual" });
                    let forged = format!("203.0.113.{}, 198.51.100.{i}", r % 250);
                    let sent = client.post(&url).header("x-forwarded-for", forged).json(&body).send().await;
                    answers.push(json_of(sent.expect("the proxy answers")).await);
                }
                answers
            })
        })
        .collect();
    let mut tracking = HashSet::new();
    for s in senders {
        let answers = s.await.unwrap();
        let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        assert_eq!(statuses, [201, 201, 201, 201, 201, 429, 429], "five taken, then refused: {answers:?}");
        for (_, body) in answers.iter().take(COMMENT_LIMIT) {
            assert!(tracking.insert(body["receipt"]["tracking_number"].as_str().unwrap().to_string()));
        }
    }
    let decision: Uuid = id.parse().unwrap();
    let stored = comments::Entity::find().filter(comments::Column::DecisionId.eq(decision)).count(app.db.conn()).await;
    assert_eq!(stored.unwrap(), (residents * COMMENT_LIMIT) as u64, "one row per 201");
    assert_eq!(tracking.len(), residents * COMMENT_LIMIT);

    // 2. One idempotency key, sent at once to each node directly and twice through the proxy,
    //    all from one resident: one comment, one receipt, five identical answers.
    let resident = client_from("127.0.2.1");
    let body = json!({ "body": "网络不好，我点了好几次提交。", "category": "individual" });
    let targets: Vec<String> = nodes.iter().map(|n| n.base.clone()).chain([proxy.clone(), proxy.clone()]).collect();
    let tries: Vec<_> = targets
        .into_iter()
        .map(|base| {
            let (client, body) = (resident.clone(), body.clone());
            let url = format!("{base}/api/v1/decisions/{id}/comments");
            tokio::spawn(async move {
                json_of(client.post(url).header("idempotency-key", "retry-7f3a").json(&body).send().await.unwrap())
                    .await
            })
        })
        .collect();
    let mut receipts = HashSet::new();
    let mut created = 0;
    for t in tries {
        let (status, answer) = t.await.unwrap();
        assert!(status == 201 || status == 200, "{status} {answer}");
        created += usize::from(status == 201);
        receipts.insert(answer["receipt"]["tracking_number"].as_str().unwrap().to_string());
    }
    assert_eq!((created, receipts.len()), (1, 1), "one comment made, the same receipt to every retry");
    let with_key = comments::Entity::find()
        .filter(comments::Column::DecisionId.eq(decision))
        .filter(comments::Column::IdempotencyKey.is_not_null())
        .count(app.db.conn())
        .await
        .unwrap();
    assert_eq!(with_key, 1);

    // 3. An attachment uploaded on node 1 downloads whole from nodes 2 and 3 and the proxy
    //    (streamed from the database in pieces of 256 KiB).
    let pdf: Vec<u8> = [PDF, "布局规划图说明".repeat(30_000).as_bytes()].concat(); // 630 KB: three pieces
    let (content_type, form) = multipart("布局规划说明.pdf", &pdf);
    let up = local
        .post(format!("{}/api/v1/decisions/{id}/attachments", nodes[0].base))
        .bearer_auth(&staff)
        .header("content-type", content_type)
        .body(form)
        .send()
        .await
        .unwrap();
    let (status, info) = json_of(up).await;
    assert_eq!(status, 201, "{info}");
    let path = format!("/api/v1/decisions/{id}/attachments/{}", info["id"].as_str().unwrap());
    for base in [&nodes[1].base, &nodes[2].base, &proxy] {
        let got = local.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(got.status().as_u16(), 200, "{base}");
        assert_eq!(got.bytes().await.unwrap().as_ref(), pdf.as_slice(), "{base}");
    }

    // 4. A change made on node 1 is seen there at once, and on the others within the
    //    configured second of caching (each had the decision cached just before).
    let before = closes_at(&local, &nodes[1].base, &id).await;
    for n in &nodes {
        closes_at(&local, &n.base, &id).await;
    }
    let later = before + TimeDelta::days(7);
    let extended = local
        .post(format!("{}/api/v1/decisions/{id}/consultation/extensions", nodes[0].base))
        .bearer_auth(&staff)
        .json(&json!({ "closes_at": later.to_rfc3339(), "note": "应居民要求延长一周" }))
        .send()
        .await
        .unwrap();
    let acknowledged = Instant::now();
    assert_eq!(extended.status().as_u16(), 200, "{}", extended.text().await.unwrap());
    assert_eq!(closes_at(&local, &nodes[0].base, &id).await, later, "the writing node is never stale");
    // Staleness is judged by when a request was sent, not when its answer came back (a slow
    // answer under load is not a stale cache): the last request that still got the old time
    // must have been sent within the configured second of the acknowledgement. (Only this
    // test's own reads, all finished before the change was sent, filled the caches.)
    let watchers: Vec<_> = nodes[1..]
        .iter()
        .map(|n| {
            let (client, base, id) = (local.clone(), n.base.clone(), id.clone());
            tokio::spawn(async move {
                let mut stale_for = Duration::ZERO;
                loop {
                    let sent = Instant::now();
                    if closes_at(&client, &base, &id).await == later {
                        return stale_for.as_millis() as u64;
                    }
                    stale_for = sent.saturating_duration_since(acknowledged);
                    assert!(acknowledged.elapsed() < Duration::from_secs(10), "{base} never saw the change");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        })
        .collect();
    let mut stale_ms = Vec::new();
    for w in watchers {
        stale_ms.push(w.await.unwrap());
    }
    let stalest = stale_ms.iter().copied().max().unwrap();
    assert!(
        stalest <= CACHE_MS,
        "a node still served the old closing time to a request sent {stalest} ms after the change was \
         acknowledged (cache: {CACHE_MS} ms)"
    );

    // 5. A window closing in three seconds is closed by the clock once, not once per node.
    let short = create_decision(&app, &staff, "关于调整社区助餐补贴标准的通知").await;
    add_text_version(&app, &staff, &short, DRAFT).await;
    let closes = Utc::now() + TimeDelta::seconds(3);
    let opened = local
        .post(format!("{proxy}/api/v1/decisions/{short}/consultation"))
        .bearer_auth(&staff)
        .json(&json!({ "closes_at": closes.to_rfc3339(), "short_window_reason": "上级要求限期出台" }))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status().as_u16(), 200);
    // A follower is told of the closing once, not once per node.
    let follower = app.login_demo(RESIDENT).await;
    let followed =
        local.put(format!("{proxy}/api/v1/decisions/{short}/follow")).bearer_auth(&follower).send().await.unwrap();
    assert_eq!(followed.status().as_u16(), 200);
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let clock_steps = || async {
        let (_, log) = json_of(
            local.get(format!("{proxy}/api/v1/decisions/{short}/audit-log")).bearer_auth(&admin).send().await.unwrap(),
        )
        .await;
        log["items"].as_array().unwrap().iter().filter(|e| e["action"] == "status_changed_by_clock").count()
    };
    while Utc::now() < closes + TimeDelta::milliseconds(3500) {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(clock_steps().await, 1, "three nodes sweeping every second closed the window once");
    let told = {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use wenji::entities::outbox;
        outbox::Entity::find()
            .filter(outbox::Column::Kind.eq("follow_closed"))
            .filter(outbox::Column::Recipient.eq(RESIDENT))
            .count(app.db.conn())
            .await
            .unwrap()
    };
    assert_eq!(told, 1, "the follower was told of the closing once");
    for n in &nodes {
        let (_, d) = json_of(local.get(format!("{}/api/v1/decisions/{short}", n.base)).send().await.unwrap()).await;
        assert_eq!(d["status"], "closed", "{}", n.base);
    }

    let spread = nginx.requests_by_node();
    eprintln!(
        "nginx + {} nodes on {}: {} requests through the proxy {:?}; {} comments from {residents} addresses \
         ({} refused at the limit), 1 idempotent comment from 5 tries, old answers up to {:?} ms after the change (cache {CACHE_MS} ms)",
        nodes.len(),
        if app.config.is_sqlite() { "SQLite" } else { "PostgreSQL" },
        spread.values().sum::<usize>(),
        spread,
        tracking.len(),
        residents * 2,
        stale_ms
    );
    for n in &nodes {
        let addr = n.base.trim_start_matches("http://");
        assert!(spread.get(addr).copied().unwrap_or(0) >= 100, "every node served its share: {spread:?}");
    }
}
