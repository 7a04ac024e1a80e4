//! Receipt secrets are derived with keys kept out of the database (a key file or the
//! environment, the same on every node), and keys rotate without breaking old receipts.

use serde_json::json;
use wenji::kernel::receipts::secret;

use crate::helpers::*;

async fn submit(app: &TestApp, id: &str, idempotency: &str, text: &str) -> Answer {
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/decisions/{id}/comments")))
            .header("idempotency-key", idempotency)
            .json(&simple(text)),
    )
    .await
}

fn receipt_of(a: &Answer) -> (uuid::Uuid, String) {
    (
        a.body["comment"]["id"].as_str().unwrap().parse().unwrap(),
        a.body["receipt"]["secret"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn receipt_keys_stay_out_of_the_database_and_rotate() {
    use sea_orm::EntityTrait;
    let (a, b) = ("11".repeat(32), "22".repeat(32));
    let first = TestApp::spawn_with(|c| c.receipt_keys = Some(format!("k1={a}"))).await;
    wenji::demo::load(&first.db).await.unwrap();
    let staff = first.login_demo(FGW_STAFF).await;
    let id = create_decision(&first, &staff, "示范区口袋公园建设计划").await;
    add_text_version(&first, &staff, &id, DRAFT).await;
    open(&first, &staff, &id, json!({ "closes_at": in_days(30) })).await;

    let made = submit(&first, &id, "retry-me", "公园里多种些树。").await;
    made.ok(201);
    let (comment, first_secret) = receipt_of(&made);
    assert_eq!(first_secret, secret(&hex::decode(&a).unwrap(), comment), "derived with the configured key");
    let stored = wenji::entities::server_keys::Entity::find().all(first.db.conn()).await.unwrap();
    assert!(stored.is_empty(), "no receipt key in the database: {stored:?}");

    // The keys rotate: k2 is current on a node started later; k1 is kept for old receipts.
    let second = first.another_node(|c| c.receipt_keys = Some(format!("k1={a},k2={b}"))).await;
    let replayed = submit(&second, &id, "retry-me", "公园里多种些树。").await;
    replayed.ok(200);
    assert_eq!(receipt_of(&replayed), (comment, first_secret.clone()), "a retry gets its first receipt again");
    let newer = submit(&second, &id, "another", "增加儿童游乐设施。").await;
    newer.ok(201);
    let (newer_comment, newer_secret) = receipt_of(&newer);
    assert_eq!(newer_secret, secret(&hex::decode(&b).unwrap(), newer_comment), "new receipts use the current key");
    let tracking = made.body["receipt"]["tracking_number"].as_str().unwrap();
    let looked_up = second
        .send(
            second
                .client
                .get(second.url(&format!("/api/v1/receipts/{tracking}")))
                .header("x-receipt-secret", &first_secret),
        )
        .await;
    assert_eq!(looked_up.ok(200)["id"], comment.to_string());
}

/// Without keys configured, the first start writes a key file (readable by its owner only)
/// into the data directory, and every later start reads the same keys from it.
#[tokio::test]
async fn the_key_file_is_made_once_and_kept() {
    let first = TestApp::spawn().await;
    let file = first.config.data_dir.join("receipt-keys");
    let text = std::fs::read_to_string(&file).expect("a key file in the data directory");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let second = first.another_node(|_| {}).await;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let record = uuid::Uuid::now_v7();
    assert_eq!(second.keys.current_secret(record), first.keys.current_secret(record));
}
