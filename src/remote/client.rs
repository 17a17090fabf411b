//! An HTTP client for remote triple stores: Basic or Digest authentication
//! (Virtuoso's authenticated endpoints use Digest), retries of transient
//! failures with exponential backoff, and URLs shown without credentials.

use std::borrow::Cow;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;
use ureq::http;

/// A user and password for the remote store. The password is never shown.
#[derive(Clone)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials {{ user: {:?}, password: <hidden> }}", self.user)
    }
}

/// How persistent to be.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub attempts: u32,
    /// The wait before the second attempt; it doubles each time (with jitter).
    pub first_backoff: Duration,
    /// The longest wait on the server at any one step of a request (sending
    /// the body, the answer to begin, the rest of it to come); connecting
    /// waits at most [`CONNECT_TIMEOUT`] as well. A server that accepts the
    /// connection and never answers costs one timeout per attempt.
    pub request_timeout: Duration,
}

/// The longest wait for a connection to be accepted.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// `--timeout`'s default: ample for a store writing a batch of 50,000 triples.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { attempts: 5, first_backoff: Duration::from_millis(500), request_timeout: DEFAULT_REQUEST_TIMEOUT }
    }
}

/// A response that came back: status and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// A request that failed for good.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("{method} {url}: the store answered {status}: {message}")]
    Status { method: String, url: String, status: u16, message: String },
    #[error("{method} {url}: {message}")]
    Transport { method: String, url: String, message: String },
}

/// What the server asked for when it answered 401.
#[derive(Debug, Clone)]
enum AuthScheme {
    Basic,
    Digest(Box<digest_auth::WwwAuthenticateHeader>),
}

/// The client: one connection pool, the credentials, and the scheme learnt
/// from the server's first challenge.
pub struct RemoteClient {
    agent: ureq::Agent,
    credentials: Option<Credentials>,
    scheme: Mutex<Option<AuthScheme>>,
    policy: RetryPolicy,
    /// Transient failures retried so far.
    retries: std::sync::atomic::AtomicUsize,
}

impl RemoteClient {
    pub fn new(credentials: Option<Credentials>, policy: RetryPolicy) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT.min(policy.request_timeout)))
            .timeout_send_body(Some(policy.request_timeout))
            .timeout_recv_response(Some(policy.request_timeout))
            .timeout_recv_body(Some(policy.request_timeout))
            .user_agent(concat!("diplograph/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Self { agent, credentials, scheme: Mutex::new(None), policy, retries: Default::default() }
    }

    /// With credentials, learns how the server authenticates, and checks the
    /// credentials, with a request that has no body (HEAD on `url`). A server
    /// that refuses a request may close the connection before reading its
    /// body, and the client then sees a broken pipe instead of the 401; so
    /// this runs before anything large is sent. Any answer but 401 will do.
    pub fn authenticate(&self, url: &str) -> Result<(), RemoteError> {
        if self.credentials.is_some() {
            self.send("HEAD", url, &[], &[], &[404, 405, 501])?;
        }
        Ok(())
    }

    /// How many transient failures were retried.
    pub fn retries(&self) -> usize {
        self.retries.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sends a request, authenticating and retrying as needed. A status
    /// outside 2xx (after retries, for transient ones) is an error, except
    /// those listed in `accepted`. A URL that is not an http(s) URL fails at
    /// once, as do failures no retry can mend (a malformed request, TLS).
    pub fn send(&self, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8], accepted: &[u16]) -> Result<Reply, RemoteError> {
        check_url(url)?;
        let mut attempt = 1;
        let mut answered_challenge = false;
        loop {
            let outcome = self.send_once(method, url, headers, body);
            let transient = match &outcome {
                Ok(reply) if reply.status == 401 && self.credentials.is_some() && !answered_challenge => {
                    // Learn the scheme from the challenge and answer it once.
                    answered_challenge = true;
                    continue;
                }
                Ok(reply) => matches!(reply.status, 408 | 429 | 500 | 502 | 503 | 504),
                Err(failure) => failure.transient,
            };
            if transient && attempt < self.policy.attempts {
                self.retries.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let backoff = self.policy.first_backoff * 2u32.pow(attempt - 1);
                let jitter = backoff.mul_f64(fastrand::f64() * 0.25);
                std::thread::sleep(backoff + jitter);
                attempt += 1;
                continue;
            }
            return match outcome {
                Ok(reply) if (200..300).contains(&reply.status) || accepted.contains(&reply.status) => Ok(reply),
                Ok(reply) => Err(RemoteError::Status {
                    method: method.to_owned(),
                    url: redact(url),
                    status: reply.status,
                    message: describe_status(reply.status, &self.without_secrets(&reply.body)),
                }),
                Err(failure) => Err(RemoteError::Transport { method: method.to_owned(), url: redact(url), message: self.without_secrets(&failure.message) }),
            };
        }
    }

    /// `text` (a server's answer, an error) fit to print: with credentials,
    /// every line naming an Authorization header is left out, and the
    /// password and the Basic token are hidden wherever else they appear.
    fn without_secrets(&self, text: &str) -> String {
        let Some(credentials) = &self.credentials else { return text.to_owned() };
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", credentials.user, credentials.password));
        let mut out: String = text.lines().filter(|l| !l.to_ascii_lowercase().contains("authorization")).collect::<Vec<_>>().join("\n");
        for secret in [token.as_str(), credentials.password.as_str()] {
            if !secret.is_empty() {
                out = out.replace(secret, "<hidden>");
            }
        }
        out
    }

    fn send_once(&self, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply, Failure> {
        let mut builder = http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        if let Some(authorization) = self.authorization(method, url) {
            builder = builder.header("Authorization", authorization);
        }
        let request = builder.body(body).map_err(|e| Failure { message: format!("cannot build the request: {e}"), transient: false })?;
        let mut response = self.agent.run(request).map_err(|e| Failure { transient: is_transient(&e), message: describe_error(&e, self.policy.request_timeout) })?;
        let status = response.status().as_u16();
        if status == 401 {
            self.learn_scheme(response.headers());
        }
        let body = response.body_mut().with_config().limit(16 << 20).read_to_string().unwrap_or_default();
        Ok(Reply { status, body })
    }

    fn learn_scheme(&self, headers: &http::HeaderMap) {
        let challenges: Vec<&str> = headers.get_all("www-authenticate").iter().filter_map(|v| v.to_str().ok()).collect();
        let scheme = challenges
            .iter()
            .find_map(|c| digest_auth::parse(c).ok().map(|h| AuthScheme::Digest(Box::new(h))))
            .or_else(|| challenges.iter().any(|c| c.trim_start().to_ascii_lowercase().starts_with("basic")).then_some(AuthScheme::Basic));
        if let Some(scheme) = scheme {
            *self.scheme.lock().unwrap_or_else(|e| e.into_inner()) = Some(scheme);
        }
    }

    /// The Authorization header for a request, once the scheme is known.
    fn authorization(&self, method: &str, url: &str) -> Option<String> {
        let credentials = self.credentials.as_ref()?;
        let mut scheme = self.scheme.lock().unwrap_or_else(|e| e.into_inner());
        match scheme.as_mut()? {
            AuthScheme::Basic => {
                let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", credentials.user, credentials.password));
                Some(format!("Basic {token}"))
            }
            AuthScheme::Digest(challenge) => {
                let context = digest_auth::AuthContext::new_with_method(
                    credentials.user.as_str(),
                    credentials.password.as_str(),
                    request_target(url),
                    Option::<&[u8]>::None,
                    digest_auth::HttpMethod(Cow::Owned(method.to_owned())),
                );
                challenge.respond(&context).ok().map(|h| h.to_header_string())
            }
        }
    }
}

/// A request that got no answer.
struct Failure {
    message: String,
    /// Whether trying again may succeed (a refused connection, a timeout).
    transient: bool,
}

fn is_transient(e: &ureq::Error) -> bool {
    use ureq::Error as E;
    matches!(e, E::Io(_) | E::Timeout(_) | E::HostNotFound | E::ConnectionFailed | E::Protocol(_) | E::BodyStalled)
}

fn describe_error(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s ({e}); raise --timeout if the store is slow", timeout.as_secs_f64()),
        other => other.to_string(),
    }
}

/// Fails at once, without a request, unless `url` is an absolute http or https URL with a host.
pub fn check_url(url: &str) -> Result<(), RemoteError> {
    let problem = match url.parse::<http::Uri>() {
        Err(e) => Some(format!("not a URL ({e})")),
        Ok(uri) if !matches!(uri.scheme_str(), Some("http" | "https")) => Some("not an http:// or https:// URL".to_owned()),
        Ok(uri) if uri.host().is_none_or(str::is_empty) => Some("a URL without a host".to_owned()),
        Ok(_) => None,
    };
    match problem {
        Some(problem) => Err(RemoteError::Transport { method: "URL".to_owned(), url: crate::paths::printable(&redact(url)), message: problem }),
        None => Ok(()),
    }
}

/// The path and query of a URL, as Digest authentication signs it.
fn request_target(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
}

/// A URL fit to print: any `user:password@` is removed.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            return format!("{scheme}://{}", &rest[at + 1..]);
        }
    }
    url.to_owned()
}

fn describe_status(status: u16, body: &str) -> String {
    let excerpt: String = body.trim().chars().take(300).collect();
    let hint = match status {
        401 => "the store wants credentials (--user and --password-env), or refused them",
        403 => "the store refused the operation: the user may lack write permission",
        404 => "no such endpoint: check the URL (see the README for each store's Graph Store URL)",
        415 => "the store does not accept N-Triples here",
        _ => "",
    };
    match (hint.is_empty(), excerpt.is_empty()) {
        (true, true) => "no message".to_owned(),
        (true, false) => excerpt,
        (false, true) => hint.to_owned(),
        (false, false) => format!("{hint} ({excerpt})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_print_the_password() {
        let c = Credentials { user: "dba".into(), password: "s3cret".into() };
        assert!(!format!("{c:?}").contains("s3cret"));
        assert_eq!(redact("http://dba:s3cret@host:8890/sparql?x=a@b"), "http://host:8890/sparql?x=a@b");
        assert_eq!(redact("http://host/sparql"), "http://host/sparql");
    }

    /// A peer that answers each connection's one request with the next status
    /// of `statuses`, and reports what it was sent.
    fn scripted_peer(statuses: Vec<(u16, &'static str)>) -> (String, std::thread::JoinHandle<Vec<String>>) {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/data", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for (status, extra_header) in statuses {
                let (stream, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                    head.push_str(&line);
                    if line == "\r\n" {
                        break;
                    }
                }
                reader.by_ref().take(length).read_to_end(&mut Vec::new()).unwrap();
                seen.push(head);
                let mut stream = stream;
                write!(stream, "HTTP/1.1 {status} X\r\n{extra_header}Content-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
            }
            seen
        });
        (url, handle)
    }

    fn quick() -> RetryPolicy {
        RetryPolicy { attempts: 3, first_backoff: Duration::from_millis(10), request_timeout: Duration::from_secs(10) }
    }

    #[test]
    fn transient_failures_are_retried_and_client_errors_are_not() {
        let (url, peer) = scripted_peer(vec![(503, ""), (502, ""), (201, "")]);
        let client = RemoteClient::new(None, quick());
        assert_eq!(client.send("PUT", &url, &[], b"<a> <b> <c> .", &[]).unwrap().status, 201);
        assert_eq!(client.retries(), 2);
        assert_eq!(peer.join().unwrap().len(), 3);

        let (url, peer) = scripted_peer(vec![(400, "")]);
        let client = RemoteClient::new(None, quick());
        let error = client.send("PUT", &url, &[], b"x", &[]).unwrap_err().to_string();
        assert!(error.contains("400"), "{error}");
        assert_eq!(client.retries(), 0);
        assert_eq!(peer.join().unwrap().len(), 1);

        // Attempts run out: the last status is reported.
        let (url, peer) = scripted_peer(vec![(503, ""), (503, ""), (503, "")]);
        let error = RemoteClient::new(None, quick()).send("PUT", &url, &[], b"x", &[]).unwrap_err().to_string();
        assert!(error.contains("503"), "{error}");
        peer.join().unwrap();
    }

    #[test]
    fn a_basic_challenge_is_answered_with_the_credentials() {
        let (url, peer) = scripted_peer(vec![(401, "WWW-Authenticate: Basic realm=\"kg\"\r\n"), (204, "")]);
        let client = RemoteClient::new(Some(Credentials { user: "ana".into(), password: "pw".into() }), quick());
        assert_eq!(client.send("DELETE", &url, &[], b"", &[]).unwrap().status, 204);
        let seen = peer.join().unwrap();
        assert!(!seen[0].to_ascii_lowercase().contains("authorization"), "nothing is sent before the server asks");
        let expected = format!("authorization: basic {}", base64::engine::general_purpose::STANDARD.encode("ana:pw")).to_ascii_lowercase();
        assert!(seen[1].to_ascii_lowercase().contains(&expected), "{}", seen[1]);
    }

    #[test]
    fn authenticate_probes_without_a_body_and_refused_credentials_fail_there() {
        let (url, peer) = scripted_peer(vec![(401, "WWW-Authenticate: Basic realm=\"kg\"\r\n"), (501, "")]);
        let client = RemoteClient::new(Some(Credentials { user: "ana".into(), password: "pw".into() }), quick());
        client.authenticate(&url).unwrap();
        let seen = peer.join().unwrap();
        assert!(seen.iter().all(|h| h.starts_with("HEAD ")), "{seen:?}");

        let (url, peer) = scripted_peer(vec![(401, "WWW-Authenticate: Basic realm=\"kg\"\r\n"), (401, "")]);
        let client = RemoteClient::new(Some(Credentials { user: "ana".into(), password: "wrong".into() }), quick());
        assert!(client.authenticate(&url).unwrap_err().to_string().contains("401"));
        peer.join().unwrap();

        // Without credentials there is nothing to learn: no request.
        RemoteClient::new(None, quick()).authenticate("http://127.0.0.1:9/unused").unwrap();
    }

    #[test]
    fn credentials_a_server_echoes_are_never_shown() {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/data", listener.local_addr().unwrap());
        // Answers every request with 401 and, in the body, the request's head.
        std::thread::spawn(move || {
            for stream in listener.incoming().take(4) {
                let stream = stream.unwrap();
                let mut head = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    if line == "\r\n" || line.is_empty() {
                        break;
                    }
                    head.push_str(&line);
                }
                let authorization = head.lines().find(|l| l.to_ascii_lowercase().starts_with("authorization")).unwrap_or("none");
                let body = format!("denied: {authorization}\nyour password: s3cret-pw\nyou sent:\n{head}");
                let mut stream = stream;
                write!(stream, "HTTP/1.1 401 No\r\nWWW-Authenticate: Basic realm=\"kg\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
            }
        });
        let client = RemoteClient::new(Some(Credentials { user: "ana".into(), password: "s3cret-pw".into() }), quick());
        let error = client.send("GET", &url, &[], &[], &[]).unwrap_err().to_string();
        let token = base64::engine::general_purpose::STANDARD.encode("ana:s3cret-pw");
        assert!(error.contains("401") && error.contains("your password: <hidden>") && error.contains("you sent"), "{error}");
        assert!(!error.contains("s3cret-pw") && !error.contains(&token), "{error}");
    }

    #[test]
    fn a_malformed_url_fails_at_once() {
        let client = RemoteClient::new(None, quick());
        for url in ["localhost:3030/kg/data", "htp://localhost/x", "http:///x", "http://exa mple.org/", "not a url"] {
            let started = std::time::Instant::now();
            let error = client.send("GET", url, &[], &[], &[]).unwrap_err().to_string();
            assert!(started.elapsed() < Duration::from_millis(100), "{url}: retried");
            assert!(error.contains("URL"), "{url}: {error}");
        }
        assert_eq!(client.retries(), 0);
    }

    #[test]
    fn a_server_that_never_answers_costs_one_timeout_per_attempt() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/data", listener.local_addr().unwrap());
        // Accepts connections and holds them, answering nothing.
        std::thread::spawn(move || {
            let held: Vec<_> = listener.incoming().take(2).collect();
            std::thread::sleep(Duration::from_secs(30));
            drop(held);
        });
        let policy = RetryPolicy { attempts: 2, first_backoff: Duration::from_millis(10), request_timeout: Duration::from_secs(1) };
        let started = std::time::Instant::now();
        let error = RemoteClient::new(None, policy).send("GET", &url, &[], &[], &[]).unwrap_err().to_string();
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        assert!(error.contains("no answer within 1 s") && error.contains("--timeout"), "{error}");
    }

    #[test]
    fn digest_signs_the_path_and_query() {
        assert_eq!(request_target("http://h:1/a/b?graph=x"), "/a/b?graph=x");
        assert_eq!(request_target("http://h:1"), "/");
    }
}
