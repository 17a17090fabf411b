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
    /// The limit on one request, from connecting to the end of the response.
    pub request_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { attempts: 5, first_backoff: Duration::from_millis(500), request_timeout: Duration::from_secs(300) }
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
            .timeout_global(Some(policy.request_timeout))
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
    /// those listed in `accepted`.
    pub fn send(&self, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8], accepted: &[u16]) -> Result<Reply, RemoteError> {
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
                Err(_) => true,
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
                    message: describe_status(reply.status, &reply.body),
                }),
                Err(message) => Err(RemoteError::Transport { method: method.to_owned(), url: redact(url), message }),
            };
        }
    }

    fn send_once(&self, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply, String> {
        let mut builder = http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        if let Some(authorization) = self.authorization(method, url) {
            builder = builder.header("Authorization", authorization);
        }
        let request = builder.body(body).map_err(|e| format!("cannot build the request: {e}"))?;
        let mut response = self.agent.run(request).map_err(|e| e.to_string())?;
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
    fn digest_signs_the_path_and_query() {
        assert_eq!(request_target("http://h:1/a/b?graph=x"), "/a/b?graph=x");
        assert_eq!(request_target("http://h:1"), "/");
    }
}
