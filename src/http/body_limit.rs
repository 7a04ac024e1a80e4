//! Refuses request bodies over the configured size with 413. poem's own `SizeLimit` wants a
//! `Content-Length` on every request, GETs included; this one also handles chunked bodies.

use poem::http::{StatusCode, header};
use poem::{Body, Endpoint, Error, Request, Result};

pub async fn limit_body<E: Endpoint>(
    next: E,
    mut req: Request,
    limit: usize,
    upload_limit: usize,
) -> Result<E::Output> {
    // File uploads have their own, larger limit (multipart framing adds a little).
    let limit = if req.method() == poem::http::Method::POST && req.uri().path().ends_with("/attachments") {
        upload_limit + 64 * 1024
    } else {
        limit
    };
    let too_large = || Error::from_status(StatusCode::PAYLOAD_TOO_LARGE);
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => return Err(too_large()),
        Some(_) => {}
        None if req.headers().contains_key(header::TRANSFER_ENCODING) => {
            // Read at most one byte past the limit, so an endless stream costs us nothing.
            use tokio::io::AsyncReadExt;
            let mut buf = Vec::new();
            req.take_body()
                .into_async_read()
                .take(limit as u64 + 1)
                .read_to_end(&mut buf)
                .await
                .map_err(|e| Error::from_string(e.to_string(), StatusCode::BAD_REQUEST))?;
            if buf.len() > limit {
                return Err(too_large());
            }
            req.set_body(Body::from(buf));
        }
        None => {}
    }
    next.call(req).await
}
