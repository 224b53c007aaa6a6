//! The outbound channels (`app::backend::channels::client_messages::outbound::Outbound`) against a real
//! SMTP server and a Twilio-compatible SMS API, both local stand-ins; and the
//! stand-ins themselves against plain clients.

use crate::sms_provider::{error_code, SmsProvider};
use crate::smtp_sink::SmtpSink;
use app::backend::channels::client_messages::outbound::{MailConfig, Outbound, SmsConfig};
use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const WAIT: Duration = Duration::from_secs(10);
const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "s3cret-token";
const SENDER: &str = "+15005550006";

fn mailer(sink: &SmtpSink) -> Outbound {
    let mail = MailConfig {
        smtp_url: sink.url(),
        from: "Frontdesk Salon <bookings@example.com>".into(),
    };
    Outbound::new(Some(mail), None).expect("valid mail config")
}

fn texter(provider: &SmsProvider, token: &str) -> Outbound {
    let sms = SmsConfig {
        api_base: provider.base_url(),
        account_sid: SID.into(),
        auth_token: token.into(),
        from: SENDER.into(),
    };
    Outbound::new(None, Some(sms)).expect("valid SMS config")
}

#[tokio::test]
async fn email_reaches_the_smtp_server_with_both_parts() {
    let sink = SmtpSink::start().await;
    let out = mailer(&sink);
    assert!(out.email_configured());
    assert!(!out.sms_configured());

    out.send_email(
        "Zoé Lefèvre",
        "zoe@example.com",
        "Votre rendez-vous est confirmé — à très bientôt",
        "Bonjour Zoé,\nVotre séance de coloration est confirmée pour jeudi à 14 h.\nÀ bientôt !",
        "<p>Bonjour Zoé,</p><p>Votre séance de <b>coloration</b> est confirmée pour jeudi à 14&nbsp;h.</p>",
    )
    .await
    .expect("sent");

    let mails = sink.wait_for(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.mail_from, "bookings@example.com");
    assert_eq!(m.rcpt_to, vec!["zoe@example.com".to_string()]);
    assert_eq!(m.to, vec!["Zoé Lefèvre <zoe@example.com>".to_string()]);
    assert_eq!(m.from, vec!["Frontdesk Salon <bookings@example.com>".to_string()]);
    assert_eq!(m.subject.as_deref(), Some("Votre rendez-vous est confirmé — à très bientôt"));
    assert_eq!(m.content_type.as_deref(), Some("multipart/alternative"));
    let text = m.text.as_deref().expect("a text/plain part");
    assert!(
        text.contains("Votre séance de coloration est confirmée pour jeudi à 14 h."),
        "{text}"
    );
    assert!(text.contains("À bientôt !"), "{text}");
    let html = m.html.as_deref().expect("a text/html part");
    assert!(html.contains("<b>coloration</b> est confirmée"), "{html}");
    assert!(
        m.header("Message-ID").is_some_and(|id| id.ends_with("@example.com>")),
        "{:?}",
        m.header("Message-ID")
    );
    assert!(m.header("Date").is_some());
}

#[tokio::test]
async fn several_emails_go_through_one_transport() {
    let sink = SmtpSink::start().await;
    let out = mailer(&sink);
    for i in 0..3 {
        let to = format!("client{i}@example.com");
        out.send_email("", &to, &format!("Rappel n°{i}"), "texte", "<p>texte</p>")
            .await
            .expect("sent");
    }
    let mails = sink.wait_for(3, WAIT).await;
    let subjects: Vec<_> = mails.iter().map(|m| m.subject.clone().unwrap_or_default()).collect();
    assert_eq!(subjects, ["Rappel n°0", "Rappel n°1", "Rappel n°2"]);
    assert_eq!(mails[2].rcpt_to, vec!["client2@example.com".to_string()]);
    assert_eq!(
        mails[2].to,
        vec!["client2@example.com".to_string()],
        "no display name when none is given"
    );
    assert!(sink.connections() <= 3);
}

#[tokio::test]
async fn refused_mailbox_is_a_permanent_failure() {
    let sink = SmtpSink::start().await;
    sink.set_rcpt_reply(Some("550 5.1.1 mailbox unavailable".into()));
    let out = mailer(&sink);
    let err = out
        .send_email("Léa", "lea@example.com", "Sujet", "texte", "<p>texte</p>")
        .await
        .unwrap_err();
    assert!(err.permanent, "{err:?}");
    assert!(err.reason.contains("550") && err.reason.contains("mailbox unavailable"), "{err:?}");
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn deferred_mailbox_is_a_transient_failure_and_a_retry_succeeds() {
    let sink = SmtpSink::start().await;
    sink.set_rcpt_reply(Some("451 4.7.1 try again later".into()));
    let out = mailer(&sink);
    let err = out
        .send_email("Léa", "lea@example.com", "Sujet", "texte", "<p>texte</p>")
        .await
        .unwrap_err();
    assert!(!err.permanent, "{err:?}");
    assert!(err.reason.contains("451") && err.reason.contains("try again later"), "{err:?}");
    assert!(sink.messages().is_empty());

    sink.set_rcpt_reply(None);
    out.send_email("Léa", "lea@example.com", "Sujet", "texte", "<p>texte</p>")
        .await
        .expect("the retry goes through");
    assert_eq!(sink.wait_for(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn invalid_recipient_address_is_a_permanent_failure() {
    let sink = SmtpSink::start().await;
    let out = mailer(&sink);
    for bad in ["not an address", "", "zoe@", "@example.com"] {
        let err = out.send_email("Zoé", bad, "Sujet", "texte", "<p>texte</p>").await.unwrap_err();
        assert!(err.permanent, "{bad:?}: {err:?}");
        assert!(err.reason.contains("recipient"), "{bad:?}: {err:?}");
    }
    assert_eq!(sink.connections(), 0, "nothing reached the server");
}

#[tokio::test]
async fn unreachable_smtp_server_is_a_transient_failure() {
    let port = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let mail = MailConfig {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "bookings@example.com".into(),
    };
    let out = Outbound::new(Some(mail), None).unwrap();
    let err = out
        .send_email("Zoé", "zoe@example.com", "Sujet", "texte", "<p>texte</p>")
        .await
        .unwrap_err();
    assert!(!err.permanent, "{err:?}");
}

#[tokio::test]
async fn sms_reaches_the_provider_with_form_fields_and_auth() {
    let provider = SmsProvider::start(SID, TOKEN).await;
    let out = texter(&provider, TOKEN);
    assert!(out.sms_configured());
    assert!(!out.email_configured());

    let body = "Rappel : votre rendez-vous chez Frontdesk est demain à 9 h. Répondez ANNULER pour annuler.";
    let sid = out.send_sms("+33612345678", body).await.expect("accepted");
    assert!(sid.starts_with("SM") && sid.len() == 34, "{sid}");

    let msgs = provider.wait_for(1, WAIT).await;
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].to, "+33612345678");
    assert_eq!(msgs[0].from, SENDER);
    assert_eq!(msgs[0].body, body);
    assert_eq!(msgs[0].sid, sid);
}

#[tokio::test]
async fn wrong_sms_token_is_a_permanent_failure_with_the_providers_message() {
    let provider = SmsProvider::start(SID, TOKEN).await;
    let out = texter(&provider, "not-the-token");
    let err = out.send_sms("+33612345678", "Bonjour").await.unwrap_err();
    assert!(err.permanent, "{err:?}");
    assert!(
        err.reason.contains("401") && err.reason.contains("Authenticate") && err.reason.contains("20003"),
        "{err:?}"
    );
    assert!(!err.reason.contains("not-the-token"), "the token never appears in a reason");
    assert!(provider.messages().is_empty());
}

#[tokio::test]
async fn invalid_phone_number_is_a_permanent_failure() {
    let provider = SmsProvider::start(SID, TOKEN).await;
    let out = texter(&provider, TOKEN);
    let err = out.send_sms("0612", "Bonjour").await.unwrap_err();
    assert!(err.permanent, "{err:?}");
    assert!(err.reason.contains("Invalid 'To' Phone Number"), "{err:?}");
}

#[tokio::test]
async fn sms_provider_outage_or_throttling_is_a_transient_failure() {
    let provider = SmsProvider::start(SID, TOKEN).await;
    let out = texter(&provider, TOKEN);
    for status in [500, 503, 429] {
        provider.set_status(Some(status));
        let err = out.send_sms("+33612345678", "Bonjour").await.unwrap_err();
        assert!(!err.permanent, "{status}: {err:?}");
        assert!(err.reason.contains(&status.to_string()), "{status}: {err:?}");
    }
    provider.set_status(None);
    out.send_sms("+33612345678", "Bonjour")
        .await
        .expect("accepted once the provider recovers");
    assert_eq!(provider.wait_for(1, WAIT).await.len(), 1);
    assert_eq!(provider.requests(), 4);
}

#[tokio::test]
async fn unreachable_sms_provider_is_a_transient_failure() {
    let port = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let sms = SmsConfig {
        api_base: format!("http://127.0.0.1:{port}"),
        account_sid: SID.into(),
        auth_token: TOKEN.into(),
        from: SENDER.into(),
    };
    let out = Outbound::new(None, Some(sms)).unwrap();
    let err = out.send_sms("+33612345678", "Bonjour").await.unwrap_err();
    assert!(!err.permanent, "{err:?}");
}

#[tokio::test]
async fn bad_configuration_is_a_readable_error() {
    let mail = |url: &str, from: &str| {
        Some(MailConfig {
            smtp_url: url.into(),
            from: from.into(),
        })
    };
    let err = Outbound::new(mail("garbage", "bookings@example.com"), None).unwrap_err();
    assert!(err.contains("SMTP URL"), "{err}");
    let err = Outbound::new(mail("ftp://mail.example.com", "bookings@example.com"), None).unwrap_err();
    assert!(err.contains("SMTP URL") && err.contains("ftp"), "{err}");
    let err = Outbound::new(mail("smtps://user:hunter2@", "bookings@example.com"), None).unwrap_err();
    assert!(!err.contains("hunter2"), "the password never appears: {err}");
    let err = Outbound::new(mail("smtp://127.0.0.1:2525", "Frontdesk <nobody>"), None).unwrap_err();
    assert!(err.contains("sender"), "{err}");

    let sms = |base: &str, sid: &str| {
        Some(SmsConfig {
            api_base: base.into(),
            account_sid: sid.into(),
            auth_token: TOKEN.into(),
            from: SENDER.into(),
        })
    };
    let err = Outbound::new(None, sms("not a url", SID)).unwrap_err();
    assert!(err.contains("SMS API base URL"), "{err}");
    let err = Outbound::new(None, sms("https://api.twilio.com", "AC/../x")).unwrap_err();
    assert!(err.contains("account SID"), "{err}");

    let out = Outbound::new(
        mail("smtps://user:pw@mail.example.com", "Frontdesk <bookings@example.com>"),
        sms("https://api.twilio.com/", SID),
    )
    .expect("valid config");
    assert!(out.email_configured() && out.sms_configured());
}

#[tokio::test]
async fn unconfigured_channels_refuse_to_send() {
    let out = Outbound::new(None, None).unwrap();
    assert!(!out.email_configured() && !out.sms_configured());
    assert!(
        out.send_email("Zoé", "zoe@example.com", "s", "t", "<p>h</p>")
            .await
            .unwrap_err()
            .permanent
    );
    assert!(out.send_sms("+33612345678", "b").await.unwrap_err().permanent);
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let mail = MailConfig {
        smtp_url: "smtps://bookings:hunter2@mail.example.com:465".into(),
        from: "bookings@example.com".into(),
    };
    let shown = format!("{mail:?}");
    assert!(!shown.contains("hunter2") && shown.contains("mail.example.com"), "{shown}");
    let sms = SmsConfig {
        api_base: "https://api.twilio.com".into(),
        account_sid: SID.into(),
        auth_token: TOKEN.into(),
        from: SENDER.into(),
    };
    let shown = format!("{sms:?}");
    assert!(!shown.contains(TOKEN) && shown.contains(SID), "{shown}");
}

async fn reply(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Vec<String> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).await.unwrap();
        let done = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line.trim_end().to_string());
        if done {
            return lines;
        }
    }
}

/// The sink itself, driven by hand: several messages on one connection,
/// dot-unstuffing, RSET, NOOP, unknown commands, QUIT.
#[tokio::test]
async fn smtp_sink_speaks_smtp_to_a_plain_client() {
    let sink = SmtpSink::start().await;
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", sink.port())).await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    assert!(reply(&mut read).await[0].starts_with("220 "));
    let mut say = async |cmd: &str| -> Vec<String> {
        write.write_all(format!("{cmd}\r\n").as_bytes()).await.unwrap();
        reply(&mut read).await
    };
    let ehlo = say("EHLO client.test").await;
    assert!(ehlo.iter().all(|l| l.starts_with("250")), "{ehlo:?}");
    assert!(ehlo.iter().any(|l| l.contains("8BITMIME")) && ehlo.iter().any(|l| l.contains("SMTPUTF8")));
    assert!(!ehlo.iter().any(|l| l.contains("STARTTLS") || l.contains("AUTH")));
    assert!(say("RCPT TO:<a@example.com>").await[0].starts_with("503"));
    assert!(say("FROB").await[0].starts_with("500"));
    assert!(say("NOOP").await[0].starts_with("250"));

    assert!(say("MAIL FROM:<me@example.com> BODY=8BITMIME").await[0].starts_with("250"));
    assert!(say("RCPT TO:<a@example.com>").await[0].starts_with("250"));
    assert!(say("RCPT TO:<b@example.com>").await[0].starts_with("250"));
    assert!(say("DATA").await[0].starts_with("354"));
    let data = "Subject: un\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nligne\r\n..commence par un point\r\n.";
    assert!(say(data).await[0].starts_with("250"));

    assert!(say("MAIL FROM:<me@example.com>").await[0].starts_with("250"));
    assert!(say("RSET").await[0].starts_with("250"));
    assert!(say("DATA").await[0].starts_with("503"), "RSET dropped the transaction");
    assert!(say("MAIL FROM:<other@example.com>").await[0].starts_with("250"));
    assert!(say("RCPT TO:<c@example.com>").await[0].starts_with("250"));
    assert!(say("DATA").await[0].starts_with("354"));
    assert!(say("Subject: deux\r\n\r\ncorps\r\n.").await[0].starts_with("250"));
    assert!(say("QUIT").await[0].starts_with("221"));

    let mails = sink.wait_for(2, WAIT).await;
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[0].mail_from, "me@example.com");
    assert_eq!(mails[0].rcpt_to, vec!["a@example.com".to_string(), "b@example.com".to_string()]);
    assert_eq!(mails[0].subject.as_deref(), Some("un"));
    assert!(mails[0].raw.contains("\r\n.commence par un point\r\n"), "{:?}", mails[0].raw);
    let text = mails[0].text.as_deref().unwrap_or_default();
    assert!(text.starts_with("ligne") && text.contains("\n.commence par un point"), "{text:?}");
    assert_eq!(mails[1].mail_from, "other@example.com");
    assert_eq!(mails[1].subject.as_deref(), Some("deux"));
    assert_eq!(sink.connections(), 1);
}

/// The provider itself, called by hand: Twilio's errors for missing fields.
#[tokio::test]
async fn sms_stand_in_answers_like_twilio() {
    let provider = SmsProvider::start(SID, TOKEN).await;
    let http = reqwest::Client::new();
    let url = format!("{}/2010-04-01/Accounts/{SID}/Messages.json", provider.base_url());
    let post = |fields: Vec<(&'static str, &'static str)>, auth: Option<(&'static str, &'static str)>| {
        let mut req = http.post(&url).form(&fields);
        if let Some((u, p)) = auth {
            req = req.basic_auth(u, Some(p));
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }
    };
    let auth = Some((SID, TOKEN));
    let (s, v) = post(vec![("To", "+33612345678"), ("From", SENDER), ("Body", "b")], None).await;
    assert_eq!((s, error_code(&v)), (401, Some(20003)));
    let (s, v) = post(vec![("From", SENDER), ("Body", "b")], auth).await;
    assert_eq!((s, error_code(&v)), (400, Some(21604)));
    assert_eq!(v["message"], "A 'To' phone number is required.");
    assert_eq!(v["status"], 400);
    let (s, v) = post(vec![("To", "+33612345678"), ("Body", "b")], auth).await;
    assert_eq!((s, error_code(&v)), (400, Some(21603)));
    let (s, v) = post(vec![("To", "+33612345678"), ("From", SENDER)], auth).await;
    assert_eq!((s, error_code(&v)), (400, Some(21602)));
    let (s, v) = post(vec![("To", "+33612345678"), ("From", SENDER), ("Body", "b")], auth).await;
    assert_eq!(s, 201);
    assert_eq!(v["status"], "queued");
    assert_eq!(v["account_sid"], SID);
    assert_eq!(v["to"], "+33612345678");
    assert_eq!(v["from"], SENDER);
    assert_eq!(v["body"], "b");
    let sid = v["sid"].as_str().unwrap();
    assert!(
        sid.len() == 34 && sid.starts_with("SM") && sid[2..].bytes().all(|b| b.is_ascii_hexdigit()),
        "{sid}"
    );
    assert_eq!(provider.messages().len(), 1);
}
