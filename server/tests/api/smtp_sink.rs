//! A real SMTP server on 127.0.0.1, port 0, for tests: it speaks enough of
//! RFC 5321 for lettre (EHLO with 8BITMIME and SMTPUTF8, no STARTTLS, no
//! AUTH), keeps every message it accepts and parses it with `mail-parser`, so
//! tests assert on decoded strings rather than on quoted-printable or base64.
//! Its answer to RCPT can be switched to a failure mid-test.
#![allow(dead_code)]

use mail_parser::{MessageParser, MimeHeaders, PartType};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

const HOSTNAME: &str = "sink.test";
/// Refuse a message bigger than this (what a line-at-a-time reader buffers).
const MAX_MESSAGE: usize = 10 * 1024 * 1024;

/// One accepted message.
#[derive(Clone, Debug)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM:<…>`).
    pub mail_from: String,
    /// The envelope recipients (`RCPT TO:<…>`), in order.
    pub rcpt_to: Vec<String>,
    /// The message as received, dot-unstuffed, CRLF line ends.
    pub raw: String,
    /// The decoded `Subject`.
    pub subject: Option<String>,
    /// The first text/plain part, decoded.
    pub text: Option<String>,
    /// The first text/html part, decoded.
    pub html: Option<String>,
    /// The decoded `To` header, one `Name <address>` (or bare address) each.
    pub to: Vec<String>,
    /// The decoded `From` header, one `Name <address>` (or bare address) each.
    pub from: Vec<String>,
    /// The `Content-Type` of the whole message, e.g. `multipart/alternative`.
    pub content_type: Option<String>,
}

impl ReceivedMail {
    fn parse(mail_from: String, rcpt_to: Vec<String>, data: &[u8]) -> ReceivedMail {
        let raw = String::from_utf8_lossy(data).into_owned();
        let mut mail = ReceivedMail {
            mail_from,
            rcpt_to,
            raw,
            subject: None,
            text: None,
            html: None,
            to: Vec::new(),
            from: Vec::new(),
            content_type: None,
        };
        let Some(msg) = MessageParser::default().parse(data) else {
            return mail;
        };
        let people = |a: Option<&mail_parser::Address>| -> Vec<String> {
            a.map(|a| {
                a.iter()
                    .map(|p| match (p.name(), p.address()) {
                        (Some(n), Some(e)) => format!("{n} <{e}>"),
                        (None, Some(e)) => e.to_string(),
                        (Some(n), None) => n.to_string(),
                        (None, None) => String::new(),
                    })
                    .collect()
            })
            .unwrap_or_default()
        };
        mail.subject = msg.subject().map(str::to_string);
        mail.to = people(msg.to());
        mail.from = people(msg.from());
        mail.content_type = msg
            .content_type()
            .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("")).to_ascii_lowercase());
        for part in &msg.parts {
            // No Content-Type means text/plain (RFC 2045).
            let plain = part
                .content_type()
                .is_none_or(|c| c.subtype().is_some_and(|s| s.eq_ignore_ascii_case("plain")));
            match &part.body {
                PartType::Text(t) if mail.text.is_none() && plain => mail.text = Some(t.to_string()),
                PartType::Html(h) if mail.html.is_none() => mail.html = Some(h.to_string()),
                _ => {}
            }
        }
        mail
    }

    /// A header's raw value (undecoded, unfolded whitespace kept), first occurrence.
    pub fn header(&self, name: &str) -> Option<String> {
        let msg = MessageParser::default().parse(self.raw.as_bytes())?;
        msg.header_raw(name).map(|v| v.trim().to_string())
    }
}

struct Shared {
    mails: Mutex<Vec<ReceivedMail>>,
    /// The count of accepted messages; waiters watch it.
    count: watch::Sender<usize>,
    /// When set, the reply to every RCPT (e.g. `550 mailbox unavailable`).
    rcpt_reply: Mutex<Option<String>>,
    connections: AtomicUsize,
}

/// The sink. Dropping it stops accepting connections.
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    acceptor: JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the SMTP sink");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            mails: Mutex::new(Vec::new()),
            count: watch::channel(0).0,
            rcpt_reply: Mutex::new(None),
            connections: AtomicUsize::new(0),
        });
        let for_task = shared.clone();
        let acceptor = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                for_task.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(session(stream, for_task.clone()));
            }
        });
        SmtpSink { port, shared, acceptor }
    }

    /// `smtp://127.0.0.1:PORT` (plain SMTP, what lettre's `from_url` takes).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every message accepted so far, in order.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.mails.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages have been accepted or `timeout`
    /// passes, then returns all of them (fewer than `n` on time-out).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let mut rx = self.shared.count.subscribe();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|c| *c >= n)).await;
        self.messages()
    }

    /// Makes every RCPT get this reply (e.g. `550 mailbox unavailable`,
    /// `451 try again later`); `None` accepts recipients again.
    pub fn set_rcpt_reply(&self, reply: Option<String>) {
        *self.shared.rcpt_reply.lock().unwrap() = reply;
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

/// The address between `<` and `>` after `FROM:` / `TO:` (parameters after it ignored).
fn path_of(arg: &str) -> Option<String> {
    let start = arg.find('<')?;
    let end = start + arg[start..].find('>')?;
    Some(arg[start + 1..end].to_string())
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    macro_rules! reply {
        ($($arg:tt)*) => {
            if write.write_all(format!("{}\r\n", format!($($arg)*)).as_bytes()).await.is_err() {
                return;
            }
        };
    }
    reply!("220 {HOSTNAME} ESMTP Frontdesk test sink");
    let mut greeted = false;
    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, arg) = match text.split_once(' ') {
            Some((v, a)) => (v.to_ascii_uppercase(), a.trim()),
            None => (text.to_ascii_uppercase(), ""),
        };
        match verb.as_str() {
            "EHLO" => {
                greeted = true;
                mail_from = None;
                rcpt_to.clear();
                reply!("250-{HOSTNAME} greets {arg}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE {MAX_MESSAGE}");
            }
            "HELO" => {
                greeted = true;
                mail_from = None;
                rcpt_to.clear();
                reply!("250 {HOSTNAME} greets {arg}");
            }
            "MAIL" => {
                if !greeted {
                    reply!("503 5.5.1 Say EHLO first");
                } else if mail_from.is_some() {
                    reply!("503 5.5.1 Sender already given");
                } else if !arg.to_ascii_uppercase().starts_with("FROM:") {
                    reply!("501 5.5.4 Syntax: MAIL FROM:<address>");
                } else {
                    match path_of(arg) {
                        Some(from) => {
                            mail_from = Some(from);
                            reply!("250 2.1.0 OK");
                        }
                        None => reply!("501 5.1.7 Bad sender address syntax"),
                    }
                }
            }
            "RCPT" => {
                if mail_from.is_none() {
                    reply!("503 5.5.1 Need MAIL first");
                } else if !arg.to_ascii_uppercase().starts_with("TO:") {
                    reply!("501 5.5.4 Syntax: RCPT TO:<address>");
                } else {
                    let forced = shared.rcpt_reply.lock().unwrap().clone();
                    match (forced, path_of(arg)) {
                        (Some(r), _) => reply!("{}", r.trim_end()),
                        (None, Some(to)) if !to.is_empty() => {
                            rcpt_to.push(to);
                            reply!("250 2.1.5 OK");
                        }
                        (None, _) => reply!("501 5.1.3 Bad recipient address syntax"),
                    }
                }
            }
            "DATA" => {
                if mail_from.is_none() {
                    reply!("503 5.5.1 Need MAIL first");
                    continue;
                }
                if rcpt_to.is_empty() {
                    reply!("554 5.5.1 No valid recipients");
                    continue;
                }
                reply!("354 End data with <CR><LF>.<CR><LF>");
                let mut data = Vec::new();
                let mut too_big = false;
                loop {
                    line.clear();
                    match reader.read_until(b'\n', &mut line).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    let content = if line.first() == Some(&b'.') { &line[1..] } else { &line[..] };
                    if data.len() + content.len() > MAX_MESSAGE {
                        too_big = true;
                    } else {
                        data.extend_from_slice(content);
                    }
                }
                let from = mail_from.take().unwrap_or_default();
                let to = std::mem::take(&mut rcpt_to);
                if too_big {
                    reply!("552 5.3.4 Message too big");
                    continue;
                }
                let mail = ReceivedMail::parse(from, to, &data);
                let n = {
                    let mut mails = shared.mails.lock().unwrap();
                    mails.push(mail);
                    mails.len()
                };
                shared.count.send_replace(n);
                reply!("250 2.0.0 OK queued as {n}");
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                reply!("250 2.0.0 OK");
            }
            "NOOP" => reply!("250 2.0.0 OK"),
            "QUIT" => {
                let _ = write.write_all(format!("221 2.0.0 {HOSTNAME} closing\r\n").as_bytes()).await;
                let _ = write.shutdown().await;
                return;
            }
            _ => reply!("500 5.5.2 Command unrecognized"),
        }
    }
}
