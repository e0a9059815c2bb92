//! Runs cases against an [`Implementation`]: schedules them (what the
//! implementation offers, how many at once, in which order), hands each to
//! its area's judge, and records the results (the expected failures, the
//! levels, the time taken).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use tokio::sync::Semaphore;

use crate::area;
use crate::case::{Area, Case, CaseKind};
use crate::crypto::TestKeys;
use crate::level::Level;
use crate::protocol::{Capability, Hello, Implementation};

pub use crate::area::notification::{notification, notify_time, STALE_NOTIFY_TIME};
pub use crate::case::NOTIFY_PATH;
pub use crate::timing::*;
pub use crate::verdict::{Mismatch, Stage, Verdict};
pub use crate::webhook::NotificationTarget;

/// The result of one case, after applying the expected-failures list.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// Case id.
    pub id: String,
    /// Area.
    pub area: Area,
    /// The case's level; for a failure, the level of what failed (see
    /// [`Level::of_failure`]).
    pub level: Level,
    /// Description.
    pub description: String,
    /// Raw verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Whether the case is on the expected-failures list.
    pub expected_failure: bool,
    /// For a signed call: whether the implementation sent the request
    /// through its own request type (typed mode) or as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed: Option<bool>,
    /// Wall time.
    pub duration_ms: u64,
}

/// How a result counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Passed and not listed.
    Passed,
    /// Failed and not listed: fails the run.
    Failed,
    /// Failed and listed.
    ExpectedFailure,
    /// Passed but listed: fails the run (the list only shrinks).
    UnexpectedPass,
    /// Not run by the implementation.
    Skipped,
    /// Not run: the implementation does not offer what it judges.
    NotOffered,
}

impl CaseResult {
    /// Whether this result fails a run (`strict` also fails on `should`).
    pub fn fails_run(&self, strict: bool) -> bool {
        match self.status() {
            Status::Failed => self.level.is_fatal(strict),
            Status::UnexpectedPass => true,
            _ => false,
        }
    }

    /// How this result counts.
    pub fn status(&self) -> Status {
        match (&self.verdict, self.expected_failure) {
            (Verdict::Pass, false) => Status::Passed,
            (Verdict::Pass, true) => Status::UnexpectedPass,
            (Verdict::Fail(_), false) => Status::Failed,
            (Verdict::Fail(_), true) => Status::ExpectedFailure,
            (Verdict::Skip { .. }, _) => Status::Skipped,
            (Verdict::NotOffered { .. }, _) => Status::NotOffered,
        }
    }
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How many cases run at once.
    pub concurrency: usize,
    /// Case ids that may fail.
    pub expected_failures: BTreeSet<String>,
    /// Where notification cases go.
    pub notifications: NotificationTarget,
    /// Print progress to stderr (every case on a terminal; otherwise the
    /// cases that did not pass and a count every 250 cases).
    pub progress: bool,
    /// Fail the run on `should` failures too (`must` failures always fail
    /// it; `uncertain` ones never do).
    pub strict: bool,
    /// Seed of the property area's generated inputs.
    pub seed: u64,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 8,
            expected_failures: BTreeSet::new(),
            notifications: NotificationTarget::Implementation,
            progress: false,
            strict: false,
            seed: crate::properties::DEFAULT_SEED,
        }
    }
}

/// Parses an expected-failures file: one case id per line, `#` comments.
pub fn parse_expected_failures(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Everything a run produced.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// The implementation's name.
    pub implementation: String,
    /// What it said of itself: who is really under test, what it offers.
    pub hello: Hello,
    /// The webhook notification cases were delivered to, instead of the
    /// implementation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
    /// One result per case, in case order.
    pub results: Vec<CaseResult>,
    /// Listed ids that matched no case that ran (reported, not fatal).
    pub unmatched_expected_failures: Vec<String>,
    /// Wall time of the run.
    pub duration_ms: u64,
    /// Whether `should` failures fail the run.
    pub strict: bool,
}

impl RunReport {
    /// Number of results with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.results.iter().filter(|r| r.status() == status).count()
    }

    /// `<id> <verdict>` of every result that did not pass (failed, expected
    /// to fail, unexpectedly passed or skipped), for test assertions.
    pub fn not_passed(&self) -> Vec<String> {
        self.results
            .iter()
            .filter(|r| r.status() != Status::Passed)
            .map(|r| format!("{} {:?}", r.id, r.verdict))
            .collect()
    }

    /// Whether the run passes: no failure at a fatal level (`must`, and
    /// `should` when strict) and no unexpected pass.
    pub fn success(&self) -> bool {
        !self.results.iter().any(|r| r.fails_run(self.strict))
    }
}

/// Runs `cases` against `imp`.
pub async fn run_suite(
    imp: Arc<dyn Implementation>,
    cases: Vec<Case>,
    options: RunOptions,
) -> RunReport {
    let started = Instant::now();
    let keys = match TestKeys::load() {
        Ok(k) => Arc::new(k),
        Err(e) => {
            let results = cases
                .into_iter()
                .map(|c| CaseResult {
                    id: c.id,
                    area: c.area,
                    level: Level::Must,
                    description: c.description,
                    verdict: Verdict::Fail(Mismatch::new(
                        Stage::Implementation,
                        "test keys load",
                        e.to_string(),
                    )),
                    expected_failure: false,
                    typed: None,
                    duration_ms: 0,
                })
                .collect();
            return RunReport {
                implementation: imp.name(),
                hello: Hello::everything(imp.name()),
                webhook: webhook_of(&options.notifications),
                results,
                unmatched_expected_failures: vec![],
                duration_ms: 0,
                strict: options.strict,
            };
        }
    };
    let hello = Arc::new(
        imp.hello()
            .await
            .unwrap_or_else(|_| Hello::everything(imp.name())),
    );
    let total = cases.len();
    let sem = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let options = Arc::new(options);
    let mut handles = Vec::with_capacity(total);
    for case in cases {
        let imp = imp.clone();
        let keys = keys.clone();
        let sem = sem.clone();
        let done = done.clone();
        let options = options.clone();
        let hello = hello.clone();
        handles.push(tokio::spawn(async move {
            let _permit = sem.acquire_owned().await.ok();
            let t = Instant::now();
            let webhook = matches!(options.notifications, NotificationTarget::Webhook { .. });
            let missing = case.needs(webhook).into_iter().find(|c| !hello.offers(*c));
            let typed = std::sync::OnceLock::new();
            let verdict = match missing {
                Some(capability) => Verdict::NotOffered { capability },
                None => run_case(&*imp, &keys, &case, &options, &hello, &typed).await,
            };
            let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            // On a terminal every case scrolls by; in a CI log, only the
            // cases that did not pass and a count every 250 cases.
            let show = std::io::IsTerminal::is_terminal(&std::io::stderr())
                || !matches!(verdict, Verdict::Pass | Verdict::NotOffered { .. })
                || n % 250 == 0
                || n == total;
            if options.progress && show {
                let mark = match &verdict {
                    Verdict::Pass => "ok",
                    Verdict::Fail(_) => "FAIL",
                    Verdict::Skip { .. } => "skip",
                    Verdict::NotOffered { .. } => "n/o",
                };
                eprintln!("[{n:>4}/{total}] {mark:<4} {}", case.id);
            }
            CaseResult {
                expected_failure: options.expected_failures.contains(&case.id),
                level: match &verdict {
                    Verdict::Fail(m) => case.level.of_failure(m.stage),
                    _ => case.level,
                },
                id: case.id,
                area: case.area,
                description: case.description,
                verdict,
                typed: typed.get().copied(),
                duration_ms: t.elapsed().as_millis() as u64,
            }
        }));
    }
    let mut results = Vec::with_capacity(total);
    for h in handles {
        match h.await {
            Ok(r) => results.push(r),
            Err(e) => results.push(CaseResult {
                id: "<internal>".into(),
                area: Area::Signature,
                level: Level::Must,
                description: "a case task panicked".into(),
                verdict: Verdict::Fail(Mismatch::new(
                    Stage::Implementation,
                    "case runs",
                    e.to_string(),
                )),
                expected_failure: false,
                typed: None,
                duration_ms: 0,
            }),
        }
    }
    let ran: BTreeSet<&str> = results
        .iter()
        .filter(|r| r.status() != Status::NotOffered)
        .map(|r| r.id.as_str())
        .collect();
    let unmatched = options
        .expected_failures
        .iter()
        .filter(|id| !ran.contains(id.as_str()))
        .cloned()
        .collect();
    RunReport {
        implementation: imp.name(),
        hello: Arc::unwrap_or_clone(hello),
        webhook: webhook_of(&options.notifications),
        results,
        unmatched_expected_failures: unmatched,
        duration_ms: started.elapsed().as_millis() as u64,
        strict: options.strict,
    }
}

/// Wall time of one area in [`run_by_area`].
#[derive(Debug, Clone, Serialize)]
pub struct AreaTiming {
    /// The area.
    pub area: Area,
    /// Its cases.
    pub cases: usize,
    /// Wall time of the area's run, in milliseconds.
    pub duration_ms: u64,
}

/// Runs `cases` one area after another (each area's cases concurrently), so
/// that each area's wall time can be told: one report, and the time of each
/// area.
pub async fn run_by_area(
    imp: Arc<dyn Implementation>,
    cases: Vec<Case>,
    options: RunOptions,
) -> (RunReport, Vec<AreaTiming>) {
    let started = Instant::now();
    let mut timings = Vec::new();
    let mut merged: Option<RunReport> = None;
    for area in Area::ALL {
        let of_area: Vec<Case> = cases.iter().filter(|c| c.area == area).cloned().collect();
        if of_area.is_empty() {
            continue;
        }
        let n = of_area.len();
        let report = run_suite(imp.clone(), of_area, options.clone()).await;
        timings.push(AreaTiming {
            area,
            cases: n,
            duration_ms: report.duration_ms,
        });
        match &mut merged {
            None => merged = Some(report),
            Some(m) => m.results.extend(report.results),
        }
    }
    let mut report = merged.unwrap_or_else(|| RunReport {
        implementation: imp.name(),
        hello: Hello::everything(imp.name()),
        webhook: webhook_of(&options.notifications),
        results: vec![],
        unmatched_expected_failures: vec![],
        duration_ms: 0,
        strict: options.strict,
    });
    let ran: BTreeSet<&str> = report
        .results
        .iter()
        .filter(|r| r.status() != Status::NotOffered)
        .map(|r| r.id.as_str())
        .collect();
    report.unmatched_expected_failures = options
        .expected_failures
        .iter()
        .filter(|id| !ran.contains(id.as_str()))
        .cloned()
        .collect();
    report.duration_ms = started.elapsed().as_millis() as u64;
    (report, timings)
}

fn webhook_of(target: &NotificationTarget) -> Option<String> {
    match target {
        NotificationTarget::Implementation => None,
        NotificationTarget::Webhook { url, .. } => Some(url.clone()),
    }
}
/// Runs one case: hands it to its area's judge. A signed call records in
/// `typed` whether the implementation used its own request type.
pub async fn run_case(
    imp: &dyn Implementation,
    keys: &TestKeys,
    case: &Case,
    options: &RunOptions,
    hello: &Hello,
    typed_call: &std::sync::OnceLock<bool>,
) -> Verdict {
    let cx = area::Context {
        imp,
        keys,
        case_id: &case.id,
        classifies: hello.offers(Capability::Classify),
        notifications: &options.notifications,
        seed: options.seed,
        typed: typed_call,
    };
    match &case.kind {
        CaseKind::Signature(kind) => area::signature::judge(kind, &cx).await,
        CaseKind::Retry(scenario) => area::retry::judge(scenario, &cx).await,
        CaseKind::Status(kind) => area::status::judge(kind, &cx).await,
        CaseKind::Notification(kind) => area::notification::judge(kind, &cx).await,
        CaseKind::Property(check) => area::property::judge(check, &cx).await,
    }
}
