//! The HTTP/1.1 server in front of the endpoint: a thread per connection,
//! and every wait on a client bounded. A connection may sit idle between
//! requests for the idle timeout; a request (head and body) must arrive
//! within the request timeout of its first byte, however slowly it trickles
//! in; a response must be taken within the send timeout. At most
//! `max_connections` are open: a new client beyond that closes the
//! connection that has waited longest for its client (idle, or still sending
//! its request), or is refused with 503 if every connection is being answered.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{HttpRequest, HttpResponse, Status};

/// How long and how much the server waits on and takes from a client.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections open at once.
    pub max_connections: usize,
    /// A kept-alive connection with no new request for this long is closed.
    pub idle_timeout: Duration,
    /// A request must arrive whole within this long of its first byte (408).
    pub request_timeout: Duration,
    /// Writing a response may take this long.
    pub send_timeout: Duration,
    /// A larger request body gets 413.
    pub max_body_bytes: usize,
}

/// A request head (request line and headers) over this size gets 431.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;
const READ_CHUNK: usize = 16 * 1024;

/// What answers requests, and phrases the refusals of the HTTP layer (so
/// that they carry the same headers as the answers).
pub trait Respond: Send + Sync + 'static {
    fn respond(&self, request: &HttpRequest) -> HttpResponse;
    fn refuse(&self, status: Status, message: String) -> HttpResponse;
}

/// Accepts connections on `listener` until the process ends, answering each
/// on a thread of its own.
pub fn serve(listener: TcpListener, limits: ConnectionLimits, responder: Arc<dyn Respond>, log_requests: bool) {
    let connections = Arc::new(Connections::default());
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) => {
                // Out of file descriptors, most likely: let connections close.
                eprintln!("cannot accept a connection: {e}");
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let Some(id) = connections.admit(&stream, limits.max_connections) else {
            let refusal = responder.refuse(Status::ServiceUnavailable, "the server has too many connections open; try again shortly".into());
            let deadline = Instant::now() + Duration::from_secs(1);
            let _ = write_response(&stream, &refusal, false, true, deadline);
            continue;
        };
        let (registry, responder) = (Arc::clone(&connections), Arc::clone(&responder));
        let spawned = std::thread::Builder::new().name("http connection".into()).spawn(move || {
            let mut connection = Connection { stream, buffer: Vec::new(), id, connections: &registry };
            connection.serve(&limits, &*responder, log_requests);
        });
        if let Err(e) = spawned {
            eprintln!("cannot start a thread for a connection: {e}");
            connections.forget(id);
        }
    }
}

/// The open connections, and which of them wait on their client.
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, OpenConnection>>,
    next_id: AtomicU64,
}

struct OpenConnection {
    /// A handle to shut the connection down from another thread.
    stream: TcpStream,
    /// Since when it has waited on its client; `None` while being answered.
    waiting_since: Option<Instant>,
}

impl Connections {
    /// Registers a new connection, first closing the longest-waiting one if
    /// `max` are open; `None` when every open connection is being answered.
    fn admit(&self, stream: &TcpStream, max: usize) -> Option<u64> {
        let handle = stream.try_clone().ok()?;
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.len() >= max {
            let longest_waiting = open.iter().filter_map(|(id, c)| Some((*id, c.waiting_since?))).min_by_key(|(_, since)| *since);
            let (id, _) = longest_waiting?;
            if let Some(evicted) = open.remove(&id) {
                let _ = evicted.stream.shutdown(Shutdown::Both);
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        open.insert(id, OpenConnection { stream: handle, waiting_since: Some(Instant::now()) });
        Some(id)
    }

    /// Marks a connection as waiting on its client (`true`) or being
    /// answered; `false` when it was closed to make room meanwhile.
    fn set_waiting(&self, id: u64, waiting: bool) -> bool {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        match open.get_mut(&id) {
            Some(c) => {
                c.waiting_since = waiting.then(Instant::now);
                true
            }
            None => false,
        }
    }

    fn forget(&self, id: u64) {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }
}

/// Why a request could not be read: the client left or went quiet (close
/// without a word), or it sent something the server refuses.
enum Unread {
    Gone,
    Refused(Status, String),
}

impl From<io::Error> for Unread {
    fn from(_: io::Error) -> Self {
        Unread::Gone
    }
}

/// A request as read off the wire.
struct ReadRequest {
    request: HttpRequest,
    keep_alive: bool,
}

struct Connection<'a> {
    stream: TcpStream,
    /// Bytes read but not yet used (the start of a pipelined request).
    buffer: Vec<u8>,
    id: u64,
    connections: &'a Connections,
}

impl Drop for Connection<'_> {
    /// Unregisters the connection however its thread ends, a panic included,
    /// so that it never counts against the cap once gone.
    fn drop(&mut self) {
        self.connections.forget(self.id);
    }
}

impl Connection<'_> {
    fn serve(&mut self, limits: &ConnectionLimits, responder: &dyn Respond, log_requests: bool) {
        loop {
            if !self.connections.set_waiting(self.id, true) {
                return;
            }
            let read = self.read_request(limits);
            let started = Instant::now();
            if !self.connections.set_waiting(self.id, false) {
                return;
            }
            let (request, response, keep_alive) = match read {
                Ok(ReadRequest { request, keep_alive }) => {
                    let response = responder.respond(&request);
                    (Some(request), response, keep_alive)
                }
                Err(Unread::Gone) => return,
                Err(Unread::Refused(status, message)) => (None, responder.refuse(status, message), false),
            };
            let head_only = request.as_ref().is_some_and(|r| r.method == "HEAD");
            let sent = write_response(&self.stream, &response, head_only, !keep_alive, Instant::now() + limits.send_timeout);
            if log_requests {
                let (method, path) = request.as_ref().map_or(("-", "-"), |r| (r.method.as_str(), r.path.as_str()));
                eprintln!(
                    "{method} {path} {} {} bytes {:.1} ms",
                    response.status as u16,
                    response.body.len(),
                    started.elapsed().as_secs_f64() * 1e3
                );
            }
            if sent.is_err() || !keep_alive {
                let _ = self.stream.shutdown(Shutdown::Both);
                return;
            }
        }
    }

    /// Reads the next request: waits up to the idle timeout for its first
    /// byte, then up to the request timeout for the rest.
    fn read_request(&mut self, limits: &ConnectionLimits) -> Result<ReadRequest, Unread> {
        if self.buffer.is_empty() {
            self.fill(Instant::now() + limits.idle_timeout)?;
        }
        let deadline = Instant::now() + limits.request_timeout;
        let unread = |e: io::Error| match e.kind() {
            io::ErrorKind::TimedOut => Unread::Refused(
                Status::RequestTimeout,
                format!("the request did not arrive within {:?} (the server's request timeout)", limits.request_timeout),
            ),
            io::ErrorKind::InvalidData => Unread::Refused(Status::BadRequest, format!("a malformed request body: {e}")),
            _ => Unread::Gone,
        };
        let (head, head_length) = loop {
            match parse_head(&self.buffer)? {
                Some(parsed) => break parsed,
                None if self.buffer.len() > MAX_HEAD_BYTES => {
                    return Err(Unread::Refused(Status::HeaderFieldsTooLarge, format!("the request head is over {MAX_HEAD_BYTES} bytes")))
                }
                None => self.fill(deadline).map_err(unread)?,
            }
        };
        self.buffer.drain(..head_length);
        let too_large = || Unread::Refused(Status::PayloadTooLarge, format!("the request body is over {} bytes", limits.max_body_bytes));
        let body = match head.body_length()? {
            BodyLength::None => Vec::new(),
            BodyLength::Exactly(length) => {
                if length > limits.max_body_bytes {
                    return Err(too_large());
                }
                if head.expects_continue() {
                    write_all_by(&self.stream, b"HTTP/1.1 100 Continue\r\n\r\n", deadline)?;
                }
                self.take(length, deadline).map_err(unread)?
            }
            BodyLength::Chunked => {
                if head.expects_continue() {
                    write_all_by(&self.stream, b"HTTP/1.1 100 Continue\r\n\r\n", deadline)?;
                }
                match self.take_chunked(limits.max_body_bytes, deadline) {
                    Ok(Some(body)) => body,
                    Ok(None) => return Err(too_large()),
                    Err(e) => return Err(unread(e)),
                }
            }
        };
        let keep_alive = head.keeps_alive();
        Ok(ReadRequest { request: head.into_request(body), keep_alive })
    }

    /// Reads more bytes into the buffer, waiting until `deadline` at most.
    fn fill(&mut self, deadline: Instant) -> io::Result<()> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let start = self.buffer.len();
        self.buffer.resize(start + READ_CHUNK, 0);
        let read = self.stream.read(&mut self.buffer[start..]);
        self.buffer.truncate(start + *read.as_ref().unwrap_or(&0));
        match read {
            Ok(0) => Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(_) => Ok(()),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => Err(io::ErrorKind::TimedOut.into()),
            Err(e) => Err(e),
        }
    }

    /// The next `length` bytes.
    fn take(&mut self, length: usize, deadline: Instant) -> io::Result<Vec<u8>> {
        while self.buffer.len() < length {
            self.fill(deadline)?;
        }
        Ok(self.buffer.drain(..length).collect())
    }

    /// The next line, without its line break.
    fn take_line(&mut self, deadline: Instant) -> io::Result<Vec<u8>> {
        loop {
            if let Some(end) = self.buffer.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.buffer.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.buffer.len() > MAX_HEAD_BYTES {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "a chunk line is too long"));
            }
            self.fill(deadline)?;
        }
    }

    /// A chunked body, or `None` when it grows over `max` bytes.
    fn take_chunked(&mut self, max: usize, deadline: Instant) -> io::Result<Option<Vec<u8>>> {
        let mut body = Vec::new();
        loop {
            let line = self.take_line(deadline)?;
            let size = std::str::from_utf8(&line)
                .ok()
                .and_then(|l| usize::from_str_radix(l.split(';').next().unwrap_or_default().trim(), 16).ok())
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a malformed chunk size"))?;
            if size == 0 {
                // Trailer fields, up to the empty line that ends the body.
                while !self.take_line(deadline)?.is_empty() {}
                return Ok(Some(body));
            }
            if size > max.saturating_sub(body.len()) {
                return Ok(None);
            }
            body.extend(self.take(size, deadline)?);
            self.take_line(deadline)?;
        }
    }
}

/// The request line and headers.
struct Head {
    method: String,
    target: String,
    http_1_0: bool,
    headers: Vec<(String, String)>,
}

enum BodyLength {
    None,
    Exactly(usize),
    Chunked,
}

/// The head at the start of `buffer` and its length, or `None` if it is
/// not complete yet.
fn parse_head(buffer: &[u8]) -> Result<Option<(Head, usize)>, Unread> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let length = match parsed.parse(buffer) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Unread::Refused(Status::HeaderFieldsTooLarge, format!("the request has more than {MAX_HEADERS} header fields")))
        }
        Err(e) => return Err(Unread::Refused(Status::BadRequest, format!("a malformed HTTP request: {e}"))),
    };
    let head = Head {
        method: parsed.method.unwrap_or_default().to_ascii_uppercase(),
        target: parsed.path.unwrap_or_default().to_owned(),
        http_1_0: parsed.version == Some(0),
        headers: parsed
            .headers
            .iter()
            .map(|h| (h.name.to_ascii_lowercase(), String::from_utf8_lossy(h.value).trim().to_owned()))
            .collect(),
    };
    Ok(Some((head, length)))
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers.iter().filter(|(n, _)| n == name).flat_map(|(_, v)| v.split(',')).any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    fn body_length(&self) -> Result<BodyLength, Unread> {
        let malformed = |message: &str| Unread::Refused(Status::BadRequest, message.to_owned());
        let lengths: Vec<&str> = self.headers.iter().filter(|(n, _)| n == "content-length").map(|(_, v)| v.as_str()).collect();
        if self.header("transfer-encoding").is_some() {
            if !lengths.is_empty() {
                return Err(malformed("a request may not carry both Transfer-Encoding and Content-Length"));
            }
            let last_coding = self.headers.iter().filter(|(n, _)| n == "transfer-encoding").flat_map(|(_, v)| v.split(',')).last();
            return match last_coding.map(str::trim) {
                Some(coding) if coding.eq_ignore_ascii_case("chunked") => Ok(BodyLength::Chunked),
                _ => Err(Unread::Refused(Status::NotImplemented, "only the chunked transfer coding is supported".into())),
            };
        }
        match lengths.as_slice() {
            [] => Ok(BodyLength::None),
            [first, rest @ ..] if rest.iter().all(|l| l == first) => {
                first.parse().map(BodyLength::Exactly).map_err(|_| malformed("a malformed Content-Length"))
            }
            _ => Err(malformed("conflicting Content-Length headers")),
        }
    }

    fn expects_continue(&self) -> bool {
        !self.http_1_0 && self.header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    }

    fn keeps_alive(&self) -> bool {
        if self.http_1_0 {
            self.has_token("connection", "keep-alive")
        } else {
            !self.has_token("connection", "close")
        }
    }

    fn into_request(self, body: Vec<u8>) -> HttpRequest {
        // An absolute target (http://host/path?query) as proxies send it.
        let origin = match self.target.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]).to_owned(),
            None => self.target.clone(),
        };
        let (path, query_string) = origin.split_once('?').unwrap_or((&origin, ""));
        HttpRequest {
            path: path.to_owned(),
            query_string: query_string.to_owned(),
            content_type: self.header("content-type").map(str::to_owned),
            accept: self.header("accept").map(str::to_owned),
            host: self.header("host").map(str::to_owned),
            method: self.method,
            body,
        }
    }
}

/// Writes `response`; the body is left out for HEAD, and `close` announces
/// that the connection ends after it.
fn write_response(stream: &TcpStream, response: &HttpResponse, head_only: bool, close: bool, deadline: Instant) -> io::Result<()> {
    let status = response.status as u16;
    let mut head = format!("HTTP/1.1 {status} {}\r\nServer: diplograph/{}\r\n", response.status.reason(), env!("CARGO_PKG_VERSION"));
    if response.status != Status::NoContent {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    let headers = response.content_type.iter().map(|c| ("Content-Type", c.as_str())).chain(response.headers.iter().map(|(n, v)| (*n, v.as_str())));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let body: &[u8] = if head_only { &[] } else { &response.body };
    // A small response goes out in one piece (one packet, not two).
    if body.len() <= 64 * 1024 {
        return write_all_by(stream, &[head.as_bytes(), body].concat(), deadline);
    }
    write_all_by(stream, head.as_bytes(), deadline)?;
    write_all_by(stream, body, deadline)
}

/// Writes all of `bytes`, giving up at `deadline`.
fn write_all_by(mut stream: &TcpStream, bytes: &[u8], deadline: Instant) -> io::Result<()> {
    for chunk in bytes.chunks(64 * 1024) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        stream.write_all(chunk)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;

    /// Answers with the method, target and body size; `/slow` takes a second.
    struct Echo;

    impl Respond for Echo {
        fn respond(&self, request: &HttpRequest) -> HttpResponse {
            if request.path == "/slow" {
                std::thread::sleep(Duration::from_secs(1));
            }
            let text = format!("{} {}?{} {}", request.method, request.path, request.query_string, request.body.len());
            HttpResponse::new(Status::Ok, "text/plain", text)
        }

        fn refuse(&self, status: Status, message: String) -> HttpResponse {
            HttpResponse::error(status, message)
        }
    }

    fn limits() -> ConnectionLimits {
        ConnectionLimits {
            max_connections: 8,
            idle_timeout: Duration::from_millis(300),
            request_timeout: Duration::from_millis(300),
            send_timeout: Duration::from_secs(1),
            max_body_bytes: 100,
        }
    }

    fn server(limits: ConnectionLimits) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || serve(listener, limits, Arc::new(Echo), false));
        address
    }

    fn connect(address: SocketAddr) -> TcpStream {
        let stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        stream
    }

    /// The next response: status, lower-case headers, body.
    fn response(stream: &mut TcpStream) -> (u16, Vec<(String, String)>, String) {
        let mut head = Vec::new();
        let mut byte = [0];
        while !head.ends_with(b"\r\n\r\n") {
            assert_eq!(stream.read(&mut byte).unwrap(), 1, "the connection closed in a response head: {:?}", String::from_utf8_lossy(&head));
            head.push(byte[0]);
        }
        let head = String::from_utf8(head).unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> =
            lines.filter_map(|l| l.split_once(": ")).map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned())).collect();
        let length = headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; length];
        stream.read_exact(&mut body).unwrap();
        (status, headers, String::from_utf8(body).unwrap())
    }

    fn closed(stream: &mut TcpStream) -> bool {
        matches!(stream.read(&mut [0; 64]), Ok(0) | Err(_))
    }

    #[test]
    fn pipelined_requests_on_a_kept_alive_connection_are_answered_in_order() {
        let mut stream = connect(server(limits()));
        stream
            .write_all(
                b"GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n\
                  POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n\
                  HEAD /c HTTP/1.1\r\n\r\n",
            )
            .unwrap();
        assert_eq!(response(&mut stream).2, "GET /a?x=1 0");
        assert_eq!(response(&mut stream).2, "POST /b? 5");
        let mut head = [0; 256];
        let n = stream.read(&mut head).unwrap();
        let head = String::from_utf8_lossy(&head[..n]);
        assert!(head.starts_with("HTTP/1.1 200 OK") && head.contains("Content-Length: 10\r\n") && head.ends_with("\r\n\r\n"), "{head}");
        // A client that waits for 100 Continue gets it before sending the body.
        stream.write_all(b"POST /d HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").unwrap();
        let mut interim = [0; 25];
        stream.read_exact(&mut interim).unwrap();
        assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
        stream.write_all(b"body").unwrap();
        let (status, headers, body) = response(&mut stream);
        assert_eq!((status, body.as_str()), (200, "POST /d? 4"));
        assert!(headers.contains(&("connection".into(), "close".into())));
        assert!(closed(&mut stream));
    }

    #[test]
    fn bodies_over_the_limit_get_413_and_end_the_connection() {
        let address = server(limits());
        for request in [
            "POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n".to_owned(),
            format!("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n{}\r\n0\r\n\r\n", "x".repeat(101)),
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\nffffffffffffffff\r\n".to_owned(),
        ] {
            let mut stream = connect(address);
            stream.write_all(request.as_bytes()).unwrap();
            let (status, _, body) = response(&mut stream);
            assert_eq!(status, 413, "{body}");
            assert!(body.contains("100 bytes"), "{body}");
            assert!(closed(&mut stream));
        }
    }

    #[test]
    fn a_request_trickling_in_past_the_request_timeout_gets_408() {
        let mut stream = connect(server(limits()));
        let started = Instant::now();
        for byte in b"GET / HTTP/1.1\r\n" {
            if stream.write_all(&[*byte]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let (status, _, body) = response(&mut stream);
        assert_eq!(status, 408, "{body}");
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        assert!(closed(&mut stream));
    }

    #[test]
    fn an_idle_connection_is_closed_after_the_idle_timeout() {
        let mut stream = connect(server(limits()));
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(response(&mut stream).0, 200);
        let started = Instant::now();
        assert!(closed(&mut stream));
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(250) && waited < Duration::from_secs(2), "closed after {waited:?}");
    }

    #[test]
    fn at_the_connection_cap_the_client_waiting_longest_makes_room() {
        let address = server(ConnectionLimits { max_connections: 2, idle_timeout: Duration::from_secs(30), ..limits() });
        let mut oldest = connect(address);
        std::thread::sleep(Duration::from_millis(50));
        let mut newer = connect(address);
        std::thread::sleep(Duration::from_millis(50));
        let mut newest = connect(address);
        newest.write_all(b"GET /new HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(response(&mut newest).0, 200);
        assert!(closed(&mut oldest), "the connection idle longest was closed");
        newer.write_all(b"GET /newer HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(response(&mut newer).0, 200);
        // While every connection is being answered, a new one is refused at once.
        newer.write_all(b"GET /slow HTTP/1.1\r\n\r\n").unwrap();
        newest.write_all(b"GET /slow HTTP/1.1\r\n\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let started = Instant::now();
        let mut refused = connect(address);
        assert_eq!(response(&mut refused).0, 503);
        assert!(started.elapsed() < Duration::from_millis(500));
        assert_eq!(response(&mut newer).0, 200);
    }
}
