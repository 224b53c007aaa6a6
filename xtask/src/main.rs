//! `cargo xtask build|serve|test`: builds the WASM + server without
//! cargo-leptos (which cannot build offline here), installs what the tests
//! need, and runs every test. See BUILD-NOTES in the shared folder for why.

use anyhow::{bail, Context, Result};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str = "usage: cargo xtask <build|serve|test> [--dev] [--release] [-- server args]

  build    build the WASM bundle, the site folder and the server
  serve    build, then run the server in demo mode (demo data on an empty database)
  test     install test dependencies, run unit, integration and browser tests

  --dev      the debug WASM bundle (fast rebuilds, large download) instead of the shipped one
  --release  the server binary in release mode too";

fn main() {
    if let Err(e) = run() {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (ours, passthrough) = match args.iter().position(|a| a == "--") {
        Some(i) => (args[..i].to_vec(), args[i + 1..].to_vec()),
        None => (args.clone(), vec![]),
    };
    let release = ours.iter().any(|a| a == "--release");
    let bundle = if ours.iter().any(|a| a == "--dev") {
        Bundle::Dev
    } else {
        Bundle::Shipped
    };
    std::env::set_current_dir(root())?;
    match ours.first().map(String::as_str) {
        Some("build") => build(bundle, release).map(|_| ()),
        Some("serve") => serve(bundle, release, &passthrough),
        Some("test") => test(),
        _ => {
            println!("{USAGE}");
            Ok(())
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo's target directory, as cargo itself resolves it (`CARGO_TARGET_DIR`,
/// config files, or `target/`).
fn target_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let out = cargo()
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(root())
            .output();
        out.ok()
            .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
            .and_then(|m| m["target_directory"].as_str().map(PathBuf::from))
            .unwrap_or_else(|| root().join("target"))
    })
    .clone()
}

fn sh(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("could not run {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("rustup is needed")?;
    if !String::from_utf8_lossy(&out.stdout).contains("wasm32-unknown-unknown") {
        println!("xtask: installing the wasm32-unknown-unknown target");
        sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// Which WASM bundle to build: the size-optimised one clients get, or the
/// debug one for the edit-compile loop.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bundle {
    /// `wasm-release` profile, then `wasm-opt -Oz`, precompressed brotli and gzip.
    Shipped,
    /// The dev profile with debug names, compressed per request (localhost only).
    Dev,
}

/// Builds everything; returns the server binary's path.
fn build(bundle: Bundle, release_server: bool) -> Result<PathBuf> {
    ensure_wasm_target()?;
    ensure_openssl()?;
    let wasm_profile = match bundle {
        Bundle::Shipped => "wasm-release",
        Bundle::Dev => "dev",
    };
    let wasm_dir = if bundle == Bundle::Shipped { "wasm-release" } else { "debug" };
    let wasm = target_dir().join("wasm32-unknown-unknown").join(wasm_dir).join("frontend.wasm");
    let site = target_dir().join("site");
    let staging = target_dir().join("site-staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    // The staff app always; the client pages' own smaller bundle for the
    // shipped site (a development site serves the staff app everywhere).
    let parts: &[(&str, &[&str])] = match bundle {
        Bundle::Shipped => &[("staff", &[]), ("public", &["--features", "public"])],
        Bundle::Dev => &[("staff", &[])],
    };
    for (part, features) in parts {
        println!("xtask: building the {part} WASM bundle ({wasm_profile})");
        sh(cargo()
            .args([
                "build",
                "-p",
                "frontend",
                "--target",
                "wasm32-unknown-unknown",
                "--profile",
                wasm_profile,
            ])
            .args(*features))?;
        let out = staging.join(part);
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            .out_name("frontdesk")
            .debug(bundle == Bundle::Dev)
            .keep_debug(false)
            .generate(&out)
            .context("wasm-bindgen")?;
        if bundle == Bundle::Shipped {
            wasm_opt(&out.join("frontdesk_bg.wasm"))?;
        }
    }
    std::fs::copy(root().join("style/main.css"), staging.join("frontdesk.css")).context("style/main.css")?;
    let pkg = site.join("pkg");
    let _ = std::fs::remove_dir_all(&pkg);
    std::fs::create_dir_all(&pkg)?;
    let mut listing = String::new();
    for (part, _) in parts {
        let stem = if *part == "staff" {
            "frontdesk".to_string()
        } else {
            format!("frontdesk-{part}")
        };
        let hashed = publish(&staging.join(part), &["frontdesk.js", "frontdesk_bg.wasm"], &stem, &pkg, bundle)?;
        listing.push_str(&format!("{part} {hashed}\n"));
    }
    let css = publish(&staging, &["frontdesk.css"], "frontdesk", &pkg, bundle)?;
    listing.push_str(&format!("stylesheet {css}.css\n"));
    // The server reads the names here (`app::Bundles`).
    std::fs::write(site.join("bundle.txt"), &listing)?;
    copy_dir(&root().join("public"), &site)?;
    bundle_report(&pkg, &listing, bundle);
    println!("xtask: building the server");
    let mut c = cargo();
    c.args(["build", "-p", "server", "--bin", "frontdesk"]);
    if release_server {
        c.arg("--release");
    }
    sh(&mut c)?;
    Ok(target_dir()
        .join(if release_server { "release" } else { "debug" })
        .join("frontdesk"))
}

/// `wasm-opt -Oz` from npm's binaryen (Debian's v108 produces a WASM that
/// fails to hydrate; see BUILD-NOTES), installed in `tools/wasm-opt` on first use.
fn wasm_opt(wasm: &Path) -> Result<()> {
    let tools = root().join("tools/wasm-opt");
    let bin = tools.join("node_modules/binaryen/bin/wasm-opt");
    if !bin.exists() {
        println!("xtask: installing wasm-opt (npm binaryen)");
        let verb = if tools.join("package-lock.json").exists() {
            "ci"
        } else {
            "install"
        };
        sh(Command::new("npm").args([verb, "--no-audit", "--no-fund"]).current_dir(&tools))?;
    }
    println!("xtask: wasm-opt -Oz");
    let out = wasm.with_extension("opt.wasm");
    sh(Command::new("node")
        .arg(&bin)
        .arg(wasm)
        .args(["-o"])
        .arg(&out)
        // The features rustc's wasm32 target emits by default.
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-multivalue",
            "--strip-debug",
            "--strip-producers",
        ]))?;
    std::fs::rename(&out, wasm)?;
    Ok(())
}

/// Moves `files` (named `frontdesk…`) into `pkg` under one content-hashed
/// stem (`<stem>-<hash>.js`, `…_bg.wasm`), so browsers may keep them for a
/// year; the shipped site also gets `.br` and `.gz` siblings, made once here
/// instead of on every request. Returns the hashed stem.
fn publish(from: &Path, files: &[&str], stem: &str, pkg: &Path, bundle: Bundle) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for file in files {
        hash.update(std::fs::read(from.join(file)).with_context(|| format!("bundle file {file}"))?);
    }
    let digest: String = hash.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect();
    let hashed = format!("{stem}-{digest}");
    for file in files {
        let name = file.replacen("frontdesk", &hashed, 1);
        let bytes = std::fs::read(from.join(file))?;
        if bundle == Bundle::Shipped {
            std::fs::write(pkg.join(format!("{name}.br")), brotli(&bytes)?)?;
            std::fs::write(pkg.join(format!("{name}.gz")), gzip(&bytes)?)?;
        }
        std::fs::write(pkg.join(&name), bytes)?;
    }
    // wasm-bindgen's inline JS snippets, imported by the JS by relative path.
    if from.join("snippets").exists() {
        copy_dir(&from.join("snippets"), &pkg.join("snippets"))?;
    }
    Ok(hashed)
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    ::brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

/// The sizes a client downloads, printed with every build: each bundle's
/// JS and WASM, the stylesheet, and what a client page and a staff page load.
fn bundle_report(pkg: &Path, listing: &str, bundle: Bundle) {
    let size = |file: &str| -> [u64; 3] {
        let path = pkg.join(file);
        let raw = std::fs::read(&path).unwrap_or_default();
        let (gz, br) = match bundle {
            Bundle::Shipped => (
                std::fs::metadata(format!("{}.gz", path.display())).map(|m| m.len()).unwrap_or(0),
                std::fs::metadata(format!("{}.br", path.display())).map(|m| m.len()).unwrap_or(0),
            ),
            // Not precompressed; measured here so the report means the same thing.
            Bundle::Dev => (gzip(&raw).map(|v| v.len() as u64).unwrap_or(0), 0),
        };
        [raw.len() as u64, gz, br]
    };
    let line = |label: &str, s: [u64; 3]| println!("  {label:<44} {:>11} {:>11} {:>11}", kb(s[0]), kb(s[1]), kb(s[2]));
    let add = |a: [u64; 3], b: [u64; 3]| [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
    println!("xtask: bundle report (raw / gzip / brotli)");
    let names: Vec<(&str, &str)> = listing.lines().filter_map(|l| l.split_once(' ')).collect();
    let css = names
        .iter()
        .find(|(k, _)| *k == "stylesheet")
        .map(|(_, v)| size(v))
        .unwrap_or_default();
    for (part, stem) in names.iter().filter(|(k, _)| *k != "stylesheet") {
        let (js, wasm) = (size(&format!("{stem}.js")), size(&format!("{stem}_bg.wasm")));
        line(&format!("{part}: {stem}.js"), js);
        line(&format!("{part}: {stem}_bg.wasm"), wasm);
        line(&format!("{part} page loads (JS+WASM+CSS)"), add(add(js, wasm), css));
    }
    line("stylesheet", css);
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn serve(bundle: Bundle, release: bool, passthrough: &[String]) -> Result<()> {
    let bin = build(bundle, release)?;
    let mut c = Command::new(bin);
    // The newcomer's command: the demo store and accounts (the binary itself starts empty).
    c.env("FRONTDESK_SITE_ROOT", target_dir().join("site"))
        .env("FRONTDESK_DEMO", "true")
        .args(passthrough);
    sh(&mut c)
}

/// Push payload encryption links OpenSSL: Debian's `libssl-dev` and `pkg-config`.
fn ensure_openssl() -> Result<()> {
    let found = Command::new("pkg-config")
        .args(["--exists", "openssl"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if found {
        return Ok(());
    }
    println!("xtask: installing libssl-dev and pkg-config (Debian packages)");
    sh(Command::new("apt-get").args(["update", "-q"]))?;
    sh(Command::new("apt-get")
        .args(["install", "-y", "-q", "libssl-dev", "pkg-config"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn ensure_chromium() -> Result<()> {
    if Path::new("/usr/bin/chromium").exists() {
        return Ok(());
    }
    println!("xtask: installing Chromium (Debian package) for the browser tests");
    sh(Command::new("apt-get").args(["update", "-q"]))?;
    sh(Command::new("apt-get")
        .args(["install", "-y", "-q", "chromium"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn ensure_npm_packages() -> Result<()> {
    let e2e = root().join("end2end");
    if [
        "node_modules/@playwright/test",
        "node_modules/http_ece",
        "node_modules/standardwebhooks",
        "node_modules/smtp-server",
        "node_modules/mailparser",
        "node_modules/@axe-core/playwright",
    ]
    .iter()
    .all(|p| e2e.join(p).exists())
    {
        return Ok(());
    }
    println!("xtask: installing the end-to-end test packages");
    let verb = if e2e.join("package-lock.json").exists() { "ci" } else { "install" };
    sh(Command::new("npm")
        .args([verb, "--no-audit", "--no-fund"])
        .current_dir(&e2e)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

/// The API tests run schemathesis (PyPI) against the OpenAPI document.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

fn ensure_schemathesis() -> Result<()> {
    let found = Command::new("python3")
        .args(["-m", "schemathesis.cli", "--version"])
        .output()
        .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains(SCHEMATHESIS.trim_start_matches("schemathesis==")))
        .unwrap_or(false);
    if found {
        return Ok(());
    }
    println!("xtask: installing {SCHEMATHESIS} (PyPI) for the API tests");
    sh(Command::new("python3").args(["-m", "pip", "install", "-q", "--disable-pip-version-check", SCHEMATHESIS]))
}

/// Formatting and lints fail the run like a failing test: `cargo fmt --check`,
/// then clippy with warnings denied on both halves of the app (the server with
/// its tests and benches, and the WASM build).
fn lint() -> Result<()> {
    println!("xtask: cargo fmt --check");
    sh(cargo().args(["fmt", "--all", "--", "--check"]))?;
    println!("xtask: clippy (server side: app with ssr, server, xtask; all targets)");
    sh(cargo().args([
        "clippy",
        "-p",
        "app",
        "-p",
        "server",
        "-p",
        "xtask",
        "--features",
        "app/ssr",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    println!("xtask: clippy (browser side: app with hydrate and frontend, wasm32)");
    sh(cargo().args([
        "clippy",
        "-p",
        "app",
        "-p",
        "frontend",
        "--features",
        "app/hydrate",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

/// `n` distinct free ports (all held at once while picking, so none repeats).
fn free_ports(n: usize) -> Result<Vec<u16>> {
    let held = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0"))
        .collect::<std::io::Result<Vec<_>>>()?;
    held.iter().map(|l| Ok(l.local_addr()?.port())).collect()
}

fn test() -> Result<()> {
    ensure_wasm_target()?;
    ensure_openssl()?;
    ensure_chromium()?;
    ensure_npm_packages()?;
    ensure_schemathesis()?;
    lint()?;
    println!("xtask: unit tests");
    sh(cargo().args(["test", "-p", "app", "--features", "ssr"]))?;
    println!("xtask: integration tests");
    sh(cargo().args(["test", "-p", "server"]))?;
    // The browser tests run the bundle clients get, so a build step that breaks
    // hydration (a wasm-opt feature mismatch, a hashed name) fails them.
    let bin = build(Bundle::Shipped, false)?;
    println!("xtask: end-to-end tests in Chromium");
    let data = std::env::temp_dir().join(format!("frontdesk-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let e2e = root().join("end2end");
    let results = e2e.join("results.json");
    let _ = std::fs::remove_file(&results);
    let ports = free_ports(5)?;
    let status = Command::new("npx")
        .args(["playwright", "test"])
        .current_dir(&e2e)
        .env("FRONTDESK_BIN", &bin)
        .env("FRONTDESK_SITE_ROOT", target_dir().join("site"))
        // The demo server, an empty install (no --demo) with a mail server,
        // and that mail server: a real SMTP sink whose mail the specs read.
        .env("FRONTDESK_E2E_PORT", ports[0].to_string())
        .env("FRONTDESK_E2E_EMPTY_PORT", ports[1].to_string())
        .env("FRONTDESK_E2E_SMTP_PORT", ports[2].to_string())
        .env("FRONTDESK_E2E_SINK_PORT", ports[3].to_string())
        // The local stand-in of Stripe's API that the demo server takes payments through.
        .env("FRONTDESK_E2E_STRIPE_PORT", ports[4].to_string())
        .env("FRONTDESK_E2E_DATA", &data)
        .status()
        .context("could not run Playwright")?;
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_dir_all(data.with_extension("empty"));
    // CI counts this line; Playwright's own summary is not read.
    let (passed, failed) = e2e_counts(&results).unwrap_or((0, 1));
    println!("e2e: {passed} passed, {failed} failed");
    if !status.success() || failed > 0 || passed == 0 {
        bail!("end-to-end tests failed");
    }
    Ok(())
}

/// (passed, failed) from Playwright's JSON report `stats`.
fn e2e_counts(path: &Path) -> Option<(u64, u64)> {
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let stats = &report["stats"];
    let passed = stats["expected"].as_u64()? + stats["flaky"].as_u64().unwrap_or(0);
    Some((passed, stats["unexpected"].as_u64()?))
}
