//! Deadlines for slow clients. The idle timeout alone lets a client hold a connection for
//! ever by sending one byte just before it runs out (slowloris); hyper's own header-read
//! timeout needs a timer that poem does not give it. So each HTTP/1 request head must
//! arrive whole within `WENJI_HEADER_READ_TIMEOUT` of its first byte (of the connection,
//! for the first request), and each request body within `WENJI_BODY_READ_TIMEOUT` (see
//! `body_limit`). HTTP/2 frames its own headers and is left to the idle timeout.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use poem::listener::Acceptor;
use poem::web::{LocalAddr, RemoteAddr};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep, sleep_until};

/// Wraps an acceptor so that every connection it yields enforces the header deadline.
pub struct HeaderDeadline<A> {
    inner: A,
    timeout: Duration,
}

impl<A> HeaderDeadline<A> {
    pub fn new(inner: A, timeout: Duration) -> Self {
        HeaderDeadline { inner, timeout }
    }
}

impl<A: Acceptor> Acceptor for HeaderDeadline<A> {
    type Io = Deadlined<A::Io>;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Self::Io, LocalAddr, RemoteAddr, poem::http::uri::Scheme)> {
        let (io, local, remote, scheme) = self.inner.accept().await?;
        Ok((Deadlined::new(io, self.timeout), local, remote, scheme))
    }
}

const HEAD_END: &[u8; 4] = b"\r\n\r\n";
const HTTP2_PREFACE: &[u8] = b"PRI * HTTP/2.0";

enum Phase {
    /// Reading a request head that must be complete by the deadline.
    Head { deadline: Pin<Box<Sleep>>, matched: usize },
    /// The head arrived; the body (if any) is timed by the body deadline.
    Body,
    /// A response went out; the next request's deadline starts with its first byte.
    Between,
    /// HTTP/2, or the deadline is off.
    Untimed,
}

/// A connection that fails its reads once a request head takes longer than the deadline.
pub struct Deadlined<T> {
    inner: T,
    timeout: Duration,
    phase: Phase,
    /// Bytes seen so far on the connection, up to the length of the HTTP/2 preface.
    seen: usize,
}

impl<T> Deadlined<T> {
    fn new(inner: T, timeout: Duration) -> Self {
        let phase = if timeout.is_zero() {
            Phase::Untimed
        } else {
            Phase::Head { deadline: Box::pin(sleep_until(Instant::now() + timeout)), matched: 0 }
        };
        Deadlined { inner, timeout, phase, seen: 0 }
    }

    /// Follows the bytes just read: the end of a head, or the start of the next one.
    fn observe(&mut self, bytes: &[u8]) {
        if self.seen < HTTP2_PREFACE.len() {
            let upto = (HTTP2_PREFACE.len() - self.seen).min(bytes.len());
            if bytes[..upto] != HTTP2_PREFACE[self.seen..self.seen + upto] {
                self.seen = HTTP2_PREFACE.len();
            } else {
                self.seen += upto;
                if self.seen == HTTP2_PREFACE.len() {
                    self.phase = Phase::Untimed;
                    return;
                }
            }
        }
        if matches!(self.phase, Phase::Between) && !bytes.is_empty() {
            let deadline = Box::pin(sleep_until(Instant::now() + self.timeout));
            self.phase = Phase::Head { deadline, matched: 0 };
        }
        if let Phase::Head { matched, .. } = &mut self.phase {
            for &b in bytes {
                *matched = match (b, *matched) {
                    (b, m) if b == HEAD_END[m] => m + 1,
                    (b'\r', _) => 1,
                    _ => 0,
                };
                if *matched == HEAD_END.len() {
                    self.phase = Phase::Body;
                    return;
                }
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Deadlined<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if let Phase::Head { deadline, .. } = &mut this.phase
            && deadline.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "request head read timed out")));
        }
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let filled = buf.filled()[before..].to_vec();
            this.observe(&filled);
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Deadlined<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        // A response (not an interim `100 Continue`) ends the request: the next one is timed
        // from its first byte, so keep-alive connections wait between requests as before.
        if matches!(this.phase, Phase::Body) && !data.starts_with(b"HTTP/1.1 1") {
            this.phase = Phase::Between;
        }
        Pin::new(&mut this.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase_name(d: &Deadlined<()>) -> &'static str {
        match d.phase {
            Phase::Head { .. } => "head",
            Phase::Body => "body",
            Phase::Between => "between",
            Phase::Untimed => "untimed",
        }
    }

    #[tokio::test]
    async fn the_head_ends_at_the_first_blank_line_even_across_reads() {
        let mut d = Deadlined::new((), Duration::from_secs(5));
        d.observe(b"GET / HTTP/1.1\r\nHost: a\r\n\r");
        assert_eq!(phase_name(&d), "head");
        d.observe(b"\n");
        assert_eq!(phase_name(&d), "body");
    }

    #[tokio::test]
    async fn http2_is_left_untimed() {
        let mut d = Deadlined::new((), Duration::from_secs(5));
        d.observe(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assert_eq!(phase_name(&d), "untimed");
    }

    #[tokio::test]
    async fn a_repeated_carriage_return_still_finds_the_end() {
        let mut d = Deadlined::new((), Duration::from_secs(5));
        d.observe(b"GET / HTTP/1.1\r\r\n\r\n");
        assert_eq!(phase_name(&d), "body");
    }
}
