//! Refuses request bodies over the configured size with 413, whatever the protocol: a body
//! that declares its length is refused up front; one that does not (chunked, or HTTP/2) is
//! counted while the handler reads it and refused the moment it goes past the limit, so an
//! endless stream costs nothing and nothing is buffered ahead of the handler.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use poem::http::{StatusCode, header};
use poem::{Body, Endpoint, Error, Request, Result};
use tokio::io::{AsyncRead, ReadBuf};

/// Reads at most `limit` bytes of `inner`; past that, fails the read and raises `exceeded`.
struct Limited<R> {
    inner: R,
    read: u64,
    limit: u64,
    exceeded: Arc<AtomicBool>,
}

impl<R: AsyncRead + Unpin> AsyncRead for Limited<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                this.read += (buf.filled().len() - before) as u64;
                if this.read > this.limit {
                    this.exceeded.store(true, Ordering::Relaxed);
                    return Poll::Ready(Err(std::io::Error::other("request body over the limit")));
                }
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

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
    } as u64;
    let too_large = || Error::from_status(StatusCode::PAYLOAD_TOO_LARGE);
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > limit => Err(too_large()),
        Some(_) => next.call(req).await,
        None => {
            let exceeded = Arc::new(AtomicBool::new(false));
            let inner = req.take_body().into_async_read();
            req.set_body(Body::from_async_read(Limited { inner, read: 0, limit, exceeded: exceeded.clone() }));
            let answer = next.call(req).await;
            if exceeded.load(Ordering::Relaxed) { Err(too_large()) } else { answer }
        }
    }
}
