//! Attachments: uploaded by staff, checked by content, downloaded safely by all who may see them.

use crate::helpers::*;

#[tokio::test]
async fn staff_upload_and_everyone_downloads_with_a_safe_name() {
    let app = TestApp::spawn_demo().await;
    let (id, staff) = published_decision(&app, "有附件的决策").await;
    let up = upload(&app, Some(&staff), &id, "../起草说明;终稿.pdf", PDF).await;
    let info = up.ok(201).clone();
    assert_eq!(info["file_name"], "起草说明终稿.pdf");
    assert_eq!(info["content_type"], "application/pdf");
    assert_eq!(info["size_bytes"], PDF.len());
    let listed = app.get(&format!("/api/v1/decisions/{id}/attachments"), None).await;
    assert_eq!(listed.ok(200)["items"][0]["id"], info["id"]);
    let file = app
        .send(app.client.get(app.url(&format!("/api/v1/decisions/{id}/attachments/{}", info["id"].as_str().unwrap()))))
        .await;
    file.ok(200);
    assert_eq!(file.headers["content-type"], "application/pdf");
    let disposition = file.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.contains("filename*=UTF-8''"),
        "{disposition}"
    );
    assert_eq!(file.text.as_bytes(), PDF);
}

#[tokio::test]
async fn only_allowed_types_checked_by_content() {
    let app = TestApp::spawn_with(|c| c.attachment_limit = 1000).await;
    wenji::demo::load(&app.db).await.unwrap();
    let (id, staff) = published_decision(&app, "附件检查").await;
    let exe = upload(&app, Some(&staff), &id, "说明.pdf", b"MZ\x90\x00\x03\x00\x00\x00").await;
    exe.problem(422);
    assert_eq!(
        (exe.error_fields(), exe.body["errors"][0]["code"].as_str()),
        (vec!["file".to_string()], Some("unsupported_type"))
    );
    let renamed = upload(&app, Some(&staff), &id, "说明.exe", PDF).await;
    assert_eq!(renamed.body["errors"][0]["code"], "unsupported_type");
    let big = upload(&app, Some(&staff), &id, "大文件.pdf", &[b"%PDF-".as_slice(), &[b'x'; 5000]].concat()).await;
    big.problem(422);
    assert_eq!(big.body["errors"][0]["code"], "size");
    let huge = upload(&app, Some(&staff), &id, "巨大.pdf", &vec![b'x'; 200 * 1024]).await;
    huge.problem(413);
}

#[tokio::test]
async fn attachments_follow_the_decision_s_visibility_and_agency() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let draft = create_decision(&app, &staff, "草稿附件").await;
    let up = upload(&app, Some(&staff), &draft, "内部.pdf", PDF).await;
    let aid = up.ok(201)["id"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/decisions/{draft}/attachments"), None).await.problem(404);
    app.get(&format!("/api/v1/decisions/{draft}/attachments/{aid}"), None).await.problem(404);
    let (published, _) = published_decision(&app, "公开的决策").await;
    let other = app.login_demo(ZJJ_STAFF).await;
    upload(&app, Some(&other), &published, "x.pdf", PDF).await.problem(403);
    upload(&app, None, &published, "x.pdf", PDF).await.problem(401);
}

/// Attachments stored as files under the data directory (before their bytes moved into the
/// database) are adopted when a node starts, and download from any node afterwards.
#[tokio::test]
async fn files_stored_before_the_move_are_adopted_at_start_up() {
    use sea_orm::EntityTrait;
    use wenji::entities::attachment_contents;
    let app = TestApp::spawn_demo().await;
    let (id, staff) = published_decision(&app, "旧附件").await;
    let info = upload(&app, Some(&staff), &id, "旧说明.pdf", PDF).await.ok(201).clone();
    let sha = info["sha256"].as_str().map(str::to_string).unwrap_or_else(|| wenji::kernel::digest::sha256_hex(PDF));
    attachment_contents::Entity::delete_by_id(sha.clone()).exec(app.db.conn()).await.unwrap();
    let file = app.config.data_dir.join("attachments").join(&sha[..2]).join(&sha);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, PDF).unwrap();

    let node = app.another_node(|_| {}).await;
    let stored = attachment_contents::Entity::find_by_id(sha).one(app.db.conn()).await.unwrap();
    assert_eq!(stored.map(|c| c.content), Some(PDF.to_vec()), "the file was adopted");
    let path = format!("/api/v1/decisions/{id}/attachments/{}", info["id"].as_str().unwrap());
    let got = node.send(node.client.get(node.url(&path))).await;
    got.ok(200);
    assert_eq!(got.text.as_bytes(), PDF);
}
