//! People in a real browser: Debian's Chromium, headless, driven over the DevTools protocol.
//! Each [`Person`] has its own browser context (its own cookies), clicks links and buttons,
//! types into fields and posts the real forms. Every page a person reaches is checked:
//!
//! - its HTTP status (a refused form post fails the journey, unless the step expects it);
//! - axe-core: no WCAG 2.1 A/AA violation, and no `region` or `heading-order` finding;
//! - reflow (WCAG 1.4.10): at 320 CSS px the page does not scroll sideways;
//! - a screenshot at 1280 and at 320 px under `test-output/journeys/<journey>/`.
//!
//! Needs `chromium` (or `CHROMIUM=/path`) and axe-core's `axe.min.js` (`AXE_CORE_JS=/path`,
//! or `npm install --prefix target/axe axe-core`). `.ci/run` provides both and sets
//! `JHC_BROWSER_TESTS=required`; without them and without that variable a journey is
//! reported as ignored, with the reason, instead of failing on a machine with no browser.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::browser::context::Context;
use headless_chrome::protocol::cdp::{Emulation, Network, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};

/// The wide viewport (a laptop) and the narrow one that WCAG's reflow criterion names.
const WIDE: u32 = 1280;
const NARROW: u32 = 320;
/// An A4 page in portrait, less 1 cm margins, in CSS px (96 per inch).
const A4_PRINT_WIDTH: u32 = 718;
/// A refused form answers with the form again and 422 (409 when the step was already taken,
/// such as a second choice), never a 200, 403 or 5xx.
const REFUSED: &[u32] = &[409, 422];

pub struct Tools {
    chromium: PathBuf,
    axe: String,
}

/// Chromium and axe-core, or the reason they cannot be used (a failure instead where they
/// are required).
pub fn tools() -> Result<Tools, String> {
    let required = std::env::var("JHC_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let axe_path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        });
    let axe = std::fs::read_to_string(&axe_path).ok();
    match (chromium.exists(), axe) {
        (true, Some(axe)) => Ok(Tools { chromium, axe }),
        (has_chromium, axe) => {
            let missing = format!(
                "browser journey needs Chromium at {} ({}) and axe-core at {} ({})",
                chromium.display(),
                if has_chromium { "found" } else { "missing" },
                axe_path.display(),
                if axe.is_some() { "found" } else { "missing" },
            );
            assert!(!required, "{missing}");
            Err(format!("{missing}; .ci/run installs both"))
        }
    }
}

/// One Chromium for one journey, and what its checks found.
pub struct Chrome {
    browser: Browser,
    axe: String,
    address: String,
    folder: PathBuf,
    shots: AtomicUsize,
    findings: Mutex<Vec<String>>,
    started: Instant,
}

impl Chrome {
    pub fn launch(tools: Tools, address: &str, journey: &str) -> Chrome {
        let options = LaunchOptions::default_builder()
            .path(Some(tools.chromium))
            .headless(true)
            .sandbox(false)
            .window_size(Some((WIDE, 1000)))
            .args(vec![
                std::ffi::OsStr::new("--disable-background-networking"),
                std::ffi::OsStr::new("--disable-dev-shm-usage"),
            ])
            .idle_browser_timeout(Duration::from_secs(300))
            .build()
            .expect("launch options");
        let browser = Browser::new(options).expect("Chromium starts");
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("test-output/journeys")
            .join(journey);
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).expect("screenshot folder");
        Chrome {
            browser,
            axe: tools.axe,
            address: address.to_owned(),
            folder,
            shots: AtomicUsize::new(0),
            findings: Mutex::new(Vec::new()),
            started: Instant::now(),
        }
    }

    /// A person with a browser of their own: a fresh context, so no cookies are shared.
    pub fn person(&self, who: &str) -> Person<'_> {
        let context = self.browser.new_context().expect("browser context");
        let tab = context.new_tab().expect("tab");
        tab.set_default_timeout(Duration::from_secs(20));
        // The people on the journeys read Dutch, and their browsers say so: a family page
        // follows Accept-Language on a first visit, and headless Chromium says en-US. A
        // journey in another language chooses it as a visitor does (the switch, `taal`).
        let agent = self
            .browser
            .get_version()
            .map(|v| v.user_agent)
            .unwrap_or_default();
        tab.set_user_agent(&agent, Some("nl-NL,nl;q=0.9"), None)
            .expect("Dutch as the browser's language");
        // The site's CSP allows only its own scripts; axe-core comes in through DevTools.
        tab.call_method(Page::SetBypassCSP { enabled: true })
            .expect("bypass CSP for axe-core");
        let statuses: Arc<Mutex<Vec<(String, u32)>>> = Arc::default();
        let seen = statuses.clone();
        tab.register_response_handling(
            "document statuses",
            Box::new(move |event, _| {
                if event.Type == Network::ResourceType::Document
                    && let Ok(mut list) = seen.lock()
                {
                    list.push((event.response.url.clone(), event.response.status));
                }
            }),
        )
        .expect("response handler");
        Person {
            chrome: self,
            _context: context,
            tab,
            statuses,
            who: who.to_owned(),
        }
    }

    fn record(&self, finding: String) {
        eprintln!("FINDING {finding}");
        self.findings.lock().expect("findings").push(finding);
    }

    /// Fails the journey with everything the checks found on the way.
    pub fn assert_clean(&self) {
        let findings = self.findings.lock().expect("findings");
        assert!(
            findings.is_empty(),
            "{} finding(s) on the journey (screenshots in {}):\n{}",
            findings.len(),
            self.folder.display(),
            findings.join("\n")
        );
    }
}

pub struct Person<'a> {
    chrome: &'a Chrome,
    _context: Context<'a>,
    tab: Arc<Tab>,
    statuses: Arc<Mutex<Vec<(String, u32)>>>,
    who: String,
}

impl Person<'_> {
    /// Opens a page of the site by its path, as typed or followed from an e-mail.
    pub fn visit(&self, path: &str) -> &Self {
        self.open(path, None)
    }

    /// Opens a page that is meant to answer `status` (a used link: 410, not found: 404).
    pub fn visit_expecting(&self, path: &str, status: u32) -> &Self {
        self.open(path, Some(&[status]))
    }

    fn open(&self, path: &str, expected: Option<&[u32]>) -> &Self {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.chrome.address)
        };
        self.statuses.lock().expect("statuses").clear();
        self.tab
            .navigate_to(&url)
            .and_then(|t| t.wait_until_navigated())
            .unwrap_or_else(|e| panic!("{}: {path} does not load: {e}", self.who));
        self.arrived(&format!("open {path}"), expected);
        self
    }

    /// Clicks a link or button and waits for the page it leads to (2xx expected).
    pub fn press(&self, selector: &str) -> &Self {
        self.click_and_wait(selector);
        self.arrived(&format!("press {selector}"), None);
        self
    }

    /// Clicks the submit button of a form that is meant to be refused: the same form comes
    /// back with its error summary (checked like any other page).
    pub fn press_refused(&self, selector: &str) -> &Self {
        self.click_and_wait(selector);
        self.arrived(&format!("press {selector} (refused)"), Some(REFUSED));
        let summary = self.eval("!!document.querySelector('.error-summary')");
        if summary.as_bool() != Some(true) {
            self.chrome.record(format!(
                "{} {selector}: the refused form on {} shows no error summary",
                self.who,
                self.path()
            ));
        }
        self
    }

    /// Clicks the link whose text contains `text`.
    pub fn follow(&self, text: &str) -> &Self {
        self.mark("a", text);
        self.press("[data-journey=next]")
    }

    /// Clicks the button whose text contains `text` (the first, in page order).
    pub fn submit(&self, text: &str) -> &Self {
        self.mark("button", text);
        self.press("[data-journey=next]")
    }

    /// Clicks the button with `text` that leads off the site, to a sign-in provider: its page
    /// is not ours, so nothing is checked there.
    pub fn submit_to_provider(&self, text: &str) -> &Self {
        self.mark("button", text);
        self.click_and_wait("[data-journey=next]");
        assert!(
            !self.tab.get_url().starts_with(&self.chrome.address),
            "{}: {text} stayed on the site: {}",
            self.who,
            self.path()
        );
        self
    }

    /// On `oidc-provider-mock`'s own login page: types the person's `sub` and authorizes, as
    /// the person would. Back on the portal, the page is checked like any other.
    pub fn sign_in_at_provider(&self, sub: &str) -> &Self {
        self.back_from_provider(sub, None)
    }

    /// As [`Self::sign_in_at_provider`], for a sign-in the portal refuses with `status`.
    pub fn refused_after_provider(&self, sub: &str, status: u32) -> &Self {
        self.back_from_provider(sub, Some(&[status]))
    }

    fn back_from_provider(&self, sub: &str, expected: Option<&[u32]>) -> &Self {
        self.set("input[name=sub]", sub);
        self.mark("button", "Authorize");
        self.click_and_wait("[data-journey=next]");
        self.arrived(&format!("sign in at the provider as {sub}"), expected);
        assert!(
            self.tab.get_url().starts_with(&self.chrome.address),
            "{}: the provider did not send the browser back",
            self.who
        );
        self
    }

    /// Clicks a button whose form is meant to be refused.
    pub fn submit_refused(&self, text: &str) -> &Self {
        self.mark("button", text);
        self.press_refused("[data-journey=next]")
    }

    /// Marks the first `tag` whose text contains `text` as the next thing to click.
    fn mark(&self, tag: &str, text: &str) {
        let found = self.eval(&format!(
            "(() => {{ document.querySelectorAll('[data-journey]').forEach(e => e.removeAttribute('data-journey')); \
               const e = [...document.querySelectorAll({tag})].find(e => e.textContent.includes({t})); \
               if (!e) return false; e.setAttribute('data-journey', 'next'); return true; }})()",
            tag = js_string(tag),
            t = js_string(text)
        ));
        assert!(
            found.as_bool() == Some(true),
            "{}: no {tag} with {text:?} on {}:\n{}",
            self.who,
            self.path(),
            self.text()
        );
    }

    /// Fills in a field: focus, value, and the input and change events that typing leaves.
    /// (Typing key by key over DevTools costs seconds per field and tests nothing more.)
    pub fn fill(&self, selector: &str, text: &str) -> &Self {
        self.set(selector, text)
    }

    /// Sets a field that takes no typing in every locale the same way: a date, a select.
    pub fn set(&self, selector: &str, value: &str) -> &Self {
        let now = self.eval(&format!(
            "(() => {{ const e = document.querySelector({s}); if (!e) return null; e.focus(); e.value = {v}; \
               e.dispatchEvent(new Event('input', {{bubbles: true}})); \
               e.dispatchEvent(new Event('change', {{bubbles: true}})); return e.value; }})()",
            s = js_string(selector),
            v = js_string(value)
        ));
        assert_eq!(
            now.as_str(),
            Some(value),
            "{}: {selector} is missing or does not take {value:?} on {}:\n{}",
            self.who,
            self.path(),
            self.text()
        );
        self
    }

    /// Ticks a checkbox or radio button, as a click on it does.
    pub fn tick(&self, selector: &str) -> &Self {
        let checked = self.eval(&format!(
            "(() => {{ const e = document.querySelector({s}); if (!e) return null; \
               if (!e.checked) e.click(); return e.checked; }})()",
            s = js_string(selector)
        ));
        assert_eq!(
            checked.as_bool(),
            Some(true),
            "{}: {selector} is missing or not ticked on {}",
            self.who,
            self.path()
        );
        self
    }

    /// Chooses a file for a file field.
    pub fn attach(&self, selector: &str, path: &std::path::Path) -> &Self {
        let path = path.display().to_string();
        self.element(selector)
            .set_input_files(&[path.as_str()])
            .unwrap_or_else(|e| panic!("{}: cannot attach a file: {e}", self.who));
        self
    }

    /// The visible text of the page.
    pub fn text(&self) -> String {
        self.eval("document.body.innerText")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts that the page says `words`.
    pub fn sees(&self, words: &str) -> &Self {
        let text = self.text();
        assert!(
            text.contains(words),
            "{}: {:?} not on {}:\n{text}",
            self.who,
            words,
            self.path()
        );
        self
    }

    /// The value of an attribute of the first element that matches.
    pub fn attribute(&self, selector: &str, name: &str) -> String {
        self.element(selector)
            .get_attribute_value(name)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{}: {selector} has no {name}", self.who))
    }

    /// The texts of every element that matches, in page order.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let value = self.eval(&format!(
            "JSON.stringify([...document.querySelectorAll({s})].map(e => e.textContent.trim()))",
            s = js_string(selector)
        ));
        serde_json::from_str(value.as_str().unwrap_or("[]")).unwrap_or_default()
    }

    /// Asserts that keyboard focus is on the first element that matches (after a refused
    /// form, the error summary; after an action, its confirmation).
    pub fn focus_is_on(&self, selector: &str) -> &Self {
        let on = self.eval(&format!(
            "document.activeElement === document.querySelector({s})",
            s = js_string(selector)
        ));
        assert_eq!(
            on.as_bool(),
            Some(true),
            "{}: focus is not on {selector} at {} but on {:?}",
            self.who,
            self.path(),
            self.eval("document.activeElement.outerHTML.slice(0, 120)")
        );
        self
    }

    /// The document's title.
    pub fn title(&self) -> String {
        self.eval("document.title")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The current path and query.
    pub fn path(&self) -> String {
        let url = self.tab.get_url();
        url.strip_prefix(&self.chrome.address)
            .unwrap_or(&url)
            .to_owned()
    }

    /// Checks that the page also prints on A4 without cutting off its right side.
    /// At 320 px nothing on the page scrolls sideways, not even inside a scrolling region
    /// (a phone layout, stricter than reflow).
    pub fn needs_no_sideways_scrolling_on_a_phone(&self) -> &Self {
        self.resize(NARROW);
        let wide = self.eval(
            "[...document.querySelectorAll('body *')] \
               .filter(e => e.offsetParent !== null && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) \
                            && e.scrollWidth > e.clientWidth + 1) \
               .map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + e.scrollWidth + ' px').join(', ')",
        );
        if let Some(wide) = wide.as_str().filter(|w| !w.is_empty()) {
            self.chrome.record(format!(
                "{} {}: at {NARROW} px these scroll sideways: {wide}",
                self.who,
                self.path()
            ));
        }
        self.resize(WIDE);
        self
    }

    /// The element matching `selector` is shown (not hidden, not `display: none`).
    pub fn shows(&self, selector: &str) -> &Self {
        let shown = self.eval(&format!(
            "(() => {{ const e = document.querySelector({}); return !!e && e.offsetParent !== null && !e.hidden; }})()",
            serde_json::to_string(selector).unwrap_or_default()
        ));
        assert_eq!(
            shown.as_bool(),
            Some(true),
            "{} {}: {selector} is not shown",
            self.who,
            self.path()
        );
        self
    }

    /// Printed, the figure (`big`) is set larger than the note under it (`small`).
    pub fn prints_larger(&self, big: &str, small: &str) -> &Self {
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: Some("print".to_owned()),
                features: None,
            })
            .expect("emulate media");
        self.resize(A4_PRINT_WIDTH);
        let size = |selector: &str| {
            self.eval(&format!(
                "(() => {{ const e = document.querySelector({}); return e ? parseFloat(getComputedStyle(e).fontSize) : 0; }})()",
                serde_json::to_string(selector).unwrap_or_default()
            ))
            .as_f64()
            .unwrap_or(0.0)
        };
        let (figure, note) = (size(big), size(small));
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: Some(String::new()),
                features: None,
            })
            .expect("emulate media");
        self.resize(WIDE);
        assert!(
            figure > note && note > 0.0,
            "{} {}: printed, {big} is {figure} px and {small} {note} px",
            self.who,
            self.path()
        );
        self
    }

    pub fn prints_on_a4(&self) -> &Self {
        let media = |media: &str| {
            self.tab
                .call_method(Emulation::SetEmulatedMedia {
                    media: Some(media.to_owned()),
                    features: None,
                })
                .expect("emulate media");
        };
        media("print");
        self.resize(A4_PRINT_WIDTH);
        let (scroll, _) = self.widths();
        if scroll > A4_PRINT_WIDTH {
            self.chrome.record(format!(
                "{} {}: printed on A4 the page is {scroll} px wide, more than {A4_PRINT_WIDTH}",
                self.who,
                self.path()
            ));
        }
        self.shoot("print-a4");
        media("");
        self.resize(WIDE);
        self
    }

    // ------------------------------------------------------------------ checks

    fn arrived(&self, step: &str, expected: Option<&[u32]>) {
        let path = self.path();
        // DevTools reports the response on its own thread; it may come just after the page.
        let deadline = Instant::now() + Duration::from_secs(5);
        let status = loop {
            let last = self
                .statuses
                .lock()
                .expect("statuses")
                .last()
                .map(|(_, s)| *s);
            if last.is_some() || Instant::now() > deadline {
                break last;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        match (status, expected) {
            (Some(s), Some(want)) if !want.contains(&s) => {
                self.shoot("unexpected");
                panic!(
                    "{} {step}: {path} answered {s}, expected one of {want:?}: {}",
                    self.who,
                    first_line(&self.text())
                );
            }
            (Some(s), None) if s >= 400 => {
                // A refused form or a broken link ends the journey here: what follows
                // would only fail for this reason.
                self.shoot("refused");
                panic!(
                    "{} {step}: {path} answered {s}: {}",
                    self.who,
                    first_line(&self.text())
                );
            }
            (None, _) => panic!("{} {step}: no page arrived ({path})", self.who),
            _ => {}
        }
        self.check(&path);
    }

    fn check(&self, path: &str) {
        let started = Instant::now();
        self.shoot(&label_of(path));
        for finding in self.axe() {
            self.chrome
                .record(format!("{} {path}: axe {finding}", self.who));
        }
        // Every link in an error summary leads to the field it is about.
        let dead = self.eval(
            "[...document.querySelectorAll('.error-summary a[href^=\"#\"]')] \
               .filter(a => !document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))) \
               .map(a => a.getAttribute('href')).join(' ')",
        );
        if let Some(dead) = dead.as_str().filter(|d| !d.is_empty()) {
            self.chrome.record(format!(
                "{} {path}: error summary links to fields that are not there: {dead}",
                self.who
            ));
        }
        self.resize(NARROW);
        let (scroll, viewport) = self.widths();
        if scroll > viewport {
            self.chrome.record(format!(
                "{} {path}: at {NARROW} px the page is {scroll} px wide (reflow, WCAG 1.4.10): {}",
                self.who,
                self.widest()
            ));
        }
        self.shoot(&format!("{}-320", label_of(path)));
        self.resize(WIDE);
        if std::env::var_os("JOURNEY_TIMING").is_some() {
            eprintln!(
                "{:>7.1?} checked {path} in {:?}",
                self.chrome.started.elapsed(),
                started.elapsed()
            );
        }
    }

    /// axe-core's WCAG 2.1 A/AA violations, plus the landmark (`region`) and heading-order
    /// rules, which axe files under best practice.
    fn axe(&self) -> Vec<String> {
        self.tab
            .evaluate(&self.chrome.axe, false)
            .expect("axe-core loads");
        let run = |only: &str| {
            let script = format!(
                r#"axe.run(document, {{ runOnly: {only}, resultTypes: ['violations'] }})
                    .then(r => JSON.stringify({{
                        checked: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
                        violations: r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' – ' +
                            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))
                    }}))"#
            );
            let result = self.tab.evaluate(&script, true).expect("axe-core runs");
            let json = result
                .value
                .and_then(|v| v.as_str().map(str::to_owned))
                .expect("axe-core result");
            let report: serde_json::Value = serde_json::from_str(&json).expect("axe-core JSON");
            assert!(
                report["checked"].as_u64().unwrap_or(0) >= 2,
                "axe-core applied no rules: {report}"
            );
            report["violations"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let mut found =
            run("{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }");
        found.extend(run("{ type: 'rule', values: ['region', 'heading-order'] }"));
        found
    }

    fn resize(&self, width: u32) {
        let metrics: Emulation::SetDeviceMetricsOverride = serde_json::from_value(
            serde_json::json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
        )
        .expect("metrics");
        self.tab.call_method(metrics).expect("viewport");
    }

    /// The page's scroll width and the viewport's width, once layout has settled.
    fn widths(&self) -> (u32, u32) {
        let value =
            self.eval("JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])");
        let pair: (u32, u32) =
            serde_json::from_str(value.as_str().unwrap_or("[0,0]")).unwrap_or((0, 0));
        pair
    }

    /// The element that sticks out furthest, to say what breaks the reflow (elements inside
    /// a scrolling region do not count: they scroll there, not the page; but absolutely
    /// positioned ones whose containing block is outside the region do widen the page).
    fn widest(&self) -> String {
        self.eval(
            "(() => { const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) { \
                 const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } \
                 return false; }; \
               let worst = null, right = 0; \
               for (const e of document.querySelectorAll('body *')) { \
                 const r = e.getBoundingClientRect().right; \
                 if (r > right + 1 && !scrolls(e)) { right = r; worst = e; } } \
               if (!worst) return ''; \
               return worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '') + \
                 (worst.className && typeof worst.className === 'string' ? '.' + worst.className.trim().split(/\\s+/).join('.') : '') + \
                 ' reaches ' + Math.round(right) + ' px'; })()",
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    fn shoot(&self, label: &str) {
        let n = self.chrome.shots.fetch_add(1, Ordering::Relaxed);
        let name = format!("{n:03}-{}-{label}.png", self.who);
        if let Ok(png) =
            self.tab
                .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        {
            let _ = std::fs::write(self.chrome.folder.join(name), png);
        }
    }

    // ------------------------------------------------------------------ mechanics

    fn element(&self, selector: &str) -> headless_chrome::Element<'_> {
        self.tab.wait_for_element(selector).unwrap_or_else(|e| {
            panic!(
                "{}: no {selector} on {}: {e}\n{}",
                self.who,
                self.path(),
                self.text()
            )
        })
    }

    /// Clicks and waits until a new document has loaded: the old one carries a mark that
    /// the new one lacks.
    fn click_and_wait(&self, selector: &str) {
        let element = self.element(selector);
        self.eval("window.__journeyOldPage = true");
        self.statuses.lock().expect("statuses").clear();
        element
            .scroll_into_view()
            .and_then(|e| e.click())
            .unwrap_or_else(|e| panic!("{}: cannot click {selector}: {e}", self.who));
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let state = self
                .tab
                .evaluate(
                    "window.__journeyOldPage === true ? 'old' : document.readyState",
                    false,
                )
                .ok()
                .and_then(|r| r.value)
                .and_then(|v| v.as_str().map(str::to_owned));
            if state.as_deref() == Some("complete") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{}: clicking {selector} on {} led nowhere",
                self.who,
                self.path()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn eval(&self, script: &str) -> serde_json::Value {
        self.tab
            .evaluate(script, false)
            .unwrap_or_else(|e| panic!("{}: script failed on {}: {e}", self.who, self.path()))
            .value
            .unwrap_or(serde_json::Value::Null)
    }
}

fn js_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// What a refused page says: its error summary if it has one, else its main text.
fn first_line(text: &str) -> String {
    let start = text
        .find("Er is iets niet goed gegaan")
        .or_else(|| text.find("Geen toegang"))
        .or_else(|| text.find("Dit klopt niet"))
        .unwrap_or(0);
    text[start..]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A file name for a path: `/toegang/hulpvragen/3?x=1` → `toegang-hulpvragen-3`.
fn label_of(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let label: String = path
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(60)
        .collect();
    if label.is_empty() {
        "start".into()
    } else {
        label
    }
}

/// A browser journey as a test of the `journeys` harness: ignored, with the reason, where
/// Chromium or axe-core is missing (failed where they are required); else run on a runtime
/// of its own.
pub fn journey<F, Fut>(name: &str, journey: F) -> libtest_mimic::Trial
where
    F: FnOnce(Tools) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    libtest_mimic::Trial::ignorable_test(name, move || {
        let tools = match tools() {
            Ok(tools) => tools,
            Err(reason) => return Ok(libtest_mimic::Completion::ignored_with(reason)),
        };
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("runtime: {e}"))?
            .block_on(journey(tools));
        Ok(libtest_mimic::Completion::Completed)
    })
}
