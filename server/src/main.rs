use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Frontdesk: appointment booking with live staff notifications.
#[derive(Parser, Debug)]
#[command(name = "frontdesk", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "FRONTDESK_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Directory for the SQLite database (created if missing).
    #[arg(long, env = "FRONTDESK_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// Directory holding the built site (pkg/, icons, CSS).
    #[arg(long, env = "FRONTDESK_SITE_ROOT", default_value = "target/site")]
    site_root: PathBuf,
    /// Demo mode: create the demo store and staff on an empty database, and
    /// show their sign-in on the login page. Without it Frontdesk starts
    /// empty and the first visit to /setup creates the first admin.
    #[arg(long, env = "FRONTDESK_DEMO")]
    demo: bool,
    /// Mark the session cookie Secure (set when served over HTTPS).
    #[arg(long, env = "FRONTDESK_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Contact for push services (the VAPID `sub` claim), e.g. mailto:ops@example.com.
    #[arg(long, env = "FRONTDESK_VAPID_SUBJECT", default_value = "mailto:admin@example.com")]
    vapid_subject: String,
    /// Public address of this server, used in links sent to clients (default http://ADDR).
    #[arg(long, env = "FRONTDESK_PUBLIC_URL")]
    public_url: Option<String>,
    /// SMTP server for client email, e.g. smtps://user:pass@smtp.example.com or smtp://localhost:25.
    #[arg(long, env = "FRONTDESK_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of client email.
    #[arg(long, env = "FRONTDESK_MAIL_FROM", default_value = "Frontdesk <bookings@localhost>")]
    mail_from: String,
    /// Base URL of a Twilio-compatible SMS API, e.g. https://api.twilio.com.
    #[arg(long, env = "FRONTDESK_SMS_URL")]
    sms_url: Option<String>,
    #[arg(long, env = "FRONTDESK_SMS_ACCOUNT", default_value = "")]
    sms_account: String,
    #[arg(long, env = "FRONTDESK_SMS_TOKEN", default_value = "", hide_env_values = true)]
    sms_token: String,
    /// Private addresses webhooks may reach (comma-separated IPs or CIDRs). Leave empty in production.
    #[arg(long, env = "FRONTDESK_WEBHOOK_ALLOW", default_value = "")]
    webhook_allow: String,
    /// Reverse proxies in front of this server (comma-separated IPs or CIDRs): behind one of
    /// them the client's address is read from `X-Forwarded-For`. Leave empty when clients connect directly.
    #[arg(long, env = "FRONTDESK_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// Turn off the limits on bookings and tracking-link actions per address and contact
    /// (load tests from one machine only).
    #[arg(long, env = "FRONTDESK_NO_RATE_LIMITS")]
    no_rate_limits: bool,
    /// Push services staff devices may use (comma-separated host names, each with its
    /// subdomains; `*` for any). The default is the push services of Chrome, Firefox, Safari and Edge.
    #[arg(long, env = "FRONTDESK_PUSH_SERVICES", default_value = app::backend::channels::push::services::DEFAULT)]
    push_services: String,
    /// Sender number or name for SMS.
    #[arg(long, env = "FRONTDESK_SMS_FROM", default_value = "")]
    sms_from: String,
    /// Base URL of Stripe's API, which stores' payment links are made through.
    #[arg(long, env = "FRONTDESK_STRIPE_API", default_value = "https://api.stripe.com")]
    stripe_api: String,
    /// A bearer token for `/metrics` (Prometheus text format); without it, `/metrics` is not served.
    #[arg(long, env = "FRONTDESK_METRICS_TOKEN")]
    metrics_token: Option<String>,
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()))
        .init();
    let args = Args::parse();
    let config = server::Config {
        addr: args.addr,
        data_dir: args.data_dir.clone(),
        site_root: args.site_root,
        demo: args.demo,
        secure_cookies: args.secure_cookies,
        clock_offset_s: 0,
        allow_insecure_push: false,
        vapid_subject: args.vapid_subject,
        public_url: args.public_url,
        webhook_allow: args.webhook_allow,
        push_services: args.push_services,
        stripe_api: args.stripe_api,
        metrics_token: args.metrics_token,
        trusted_proxies: args.trusted_proxies,
        rate_limits: !args.no_rate_limits,
        mail: args
            .smtp_url
            .map(|smtp_url| app::backend::channels::client_messages::outbound::MailConfig {
                smtp_url,
                from: args.mail_from,
            }),
        sms: args
            .sms_url
            .map(|api_base| app::backend::channels::client_messages::outbound::SmsConfig {
                api_base,
                account_sid: args.sms_account,
                auth_token: args.sms_token,
                from: args.sms_from,
            }),
    };
    let running = match server::start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("frontdesk could not start: {e}");
            std::process::exit(1);
        }
    };
    let url = format!("http://{}", running.addr);
    println!("Frontdesk is running at {url}  (data in {})", args.data_dir.display());
    if running.demo_created {
        println!("Demo data created: store \"Downtown\" — booking page {url}/book/downtown");
    }
    if args.demo {
        println!(
            "Demo sign-in at {url}/login, password \"{}\" for:",
            app::backend::seed::DEMO_PASSWORD
        );
        for (email, name, _, role) in app::backend::seed::DEMO_STAFF {
            println!("  {email:<26} {name} ({})", role.map(|r| r.as_str()).unwrap_or("admin"));
        }
    } else if app::backend::seed::staff_count(&running.state.db).await.unwrap_or(1) == 0 {
        println!("No accounts yet: open {url}/setup to create the first admin.");
    }
    tokio::select! {
        _ = running.server => {}
        _ = tokio::signal::ctrl_c() => println!("Stopping."),
    }
}
