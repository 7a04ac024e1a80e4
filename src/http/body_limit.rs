//! Refuses request bodies over the configured size with 413, whatever the protocol: a body
//! that declares its length is refused up front; one that does not (chunked, or HTTP/2) is
//! counted while the handler reads it and refused the moment it goes past the limit, so an
//! endless stream costs nothing and nothing is buffered ahead of the handler. A body that
//! trickles in is cut off with 408 once it has taken longer than `WENJI_BODY_READ_TIMEOUT`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use poem::http::{Method, StatusCode, header};
use poem::{Body, Endpoint, Error, Request, Result};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::time::{Instant, Sleep, sleep_until};

const FINE: u8 = 0;
const TOO_LARGE: u8 = 1;
const TOO_SLOW: u8 = 2;

/// Reads at most `limit` bytes of `inner` before `deadline`; past either, fails the read
/// and says which in `verdict`.
struct Guarded<R> {
    inner: R,
    read: u64,
    limit: u64,
    timeout: Duration,
    /// Set on the first read: the clock starts when the handler reads the body, after
    /// routing and authentication, so a request waiting for the database is not cut short.
    deadline: Option<Pin<Box<Sleep>>>,
    verdict: Arc<AtomicU8>,
}

impl<R: AsyncRead + Unpin> AsyncRead for Guarded<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let timeout = this.timeout;
        let deadline = this.deadline.get_or_insert_with(|| Box::pin(sleep_until(Instant::now() + timeout)));
        if deadline.as_mut().poll(cx).is_ready() {
            this.verdict.store(TOO_SLOW, Ordering::Relaxed);
            return Poll::Ready(Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "request body read timed out")));
        }
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                this.read += (buf.filled().len() - before) as u64;
                if this.read > this.limit {
                    this.verdict.store(TOO_LARGE, Ordering::Relaxed);
                    return Poll::Ready(Err(std::io::Error::other("request body over the limit")));
                }
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

/// The size and time a request body may take.
#[derive(Clone, Copy)]
pub struct BodyRules {
    pub limit: usize,
    pub upload_limit: usize,
    pub read_timeout: Duration,
}

pub async fn limit_body<E: Endpoint>(next: E, mut req: Request, rules: BodyRules) -> Result<E::Output> {
    // File uploads have their own, larger limit (multipart framing adds a little).
    let path = req.uri().path();
    let upload = path.ends_with("/attachments") || path.ends_with("/disclosure-imports");
    let limit =
        if req.method() == Method::POST && upload { rules.upload_limit + 64 * 1024 } else { rules.limit } as u64;
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let bodiless = matches!(req.method(), &Method::GET | &Method::HEAD | &Method::OPTIONS) || declared == Some(0);
    match declared {
        Some(n) if n > limit => Err(Error::from_status(StatusCode::PAYLOAD_TOO_LARGE)),
        _ if bodiless => next.call(req).await,
        _ => {
            let verdict = Arc::new(AtomicU8::new(FINE));
            let inner = req.take_body().into_async_read();
            let guarded = Guarded {
                inner,
                read: 0,
                limit,
                timeout: rules.read_timeout,
                deadline: None,
                verdict: verdict.clone(),
            };
            req.set_body(Body::from_async_read(guarded));
            let answer = next.call(req).await;
            match verdict.load(Ordering::Relaxed) {
                TOO_LARGE => Err(Error::from_status(StatusCode::PAYLOAD_TOO_LARGE)),
                TOO_SLOW => Err(Error::from_status(StatusCode::REQUEST_TIMEOUT)),
                _ => answer,
            }
        }
    }
}
