//! Where alerts go: closures, channels, `alerts.jsonl`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::engine::{Alert, AlertPhase};
use crate::error::{Error, Result};
use crate::io::JsonlWriter;

/// Something that takes alerts as they are raised: an alarm panel, a
/// queue, a file. Implemented for closures `FnMut(&Alert)`, for
/// [`std::sync::mpsc::Sender<Alert>`], for `Vec<Alert>` and for
/// [`AlertsJsonlWriter`].
///
/// ```
/// use fusetrack::rules::{Alert, AlertPhase, AlertSink, Severity};
/// use fusetrack::{Result, TrackId};
///
/// /// An integrator's sink: counts critical alerts.
/// struct Pager { pages: u32 }
/// impl AlertSink for Pager {
///     fn alert(&mut self, a: &Alert) -> Result<()> {
///         if a.severity == Severity::Critical && a.phase == AlertPhase::Raised {
///             self.pages += 1;
///         }
///         Ok(())
///     }
/// }
/// let a = Alert {
///     kind: "zone_entered".into(), rule: "r".into(), severity: Severity::Critical, track: TrackId(1),
///     zone: None, x: 0.0, y: 0.0, t_s: 1.0, emitted_s: 1.2, cameras: vec![], phase: AlertPhase::Raised,
/// };
/// let mut pager = Pager { pages: 0 };
/// pager.alert(&a)?;
/// let mut seen = Vec::new();
/// let mut log = |a: &Alert| seen.push(a.rule.clone());
/// log.alert(&a)?;
/// let (tx, rx) = std::sync::mpsc::channel();
/// tx.clone().alert(&a)?;
/// assert_eq!((pager.pages, seen.len(), rx.recv().unwrap().track), (1, 1, TrackId(1)));
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub trait AlertSink {
    /// Takes one alert (raised or ended).
    ///
    /// # Errors
    /// Whatever the sink cannot do (a file that cannot be written, a
    /// channel whose receiver is gone).
    fn alert(&mut self, a: &Alert) -> Result<()>;
}

impl<F: FnMut(&Alert)> AlertSink for F {
    fn alert(&mut self, a: &Alert) -> Result<()> {
        self(a);
        Ok(())
    }
}

impl AlertSink for Vec<Alert> {
    fn alert(&mut self, a: &Alert) -> Result<()> {
        self.push(a.clone());
        Ok(())
    }
}

impl AlertSink for std::sync::mpsc::Sender<Alert> {
    /// # Errors
    /// [`Error::Io`] (broken pipe, path `<alert channel>`) when the
    /// receiver is gone.
    fn alert(&mut self, a: &Alert) -> Result<()> {
        self.send(a.clone()).map_err(|_| Error::Io {
            path: PathBuf::from("<alert channel>"),
            source: std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the receiving end of the alert channel is gone",
            ),
        })
    }
}

/// Writes alerts as `alerts.jsonl` rows ([`AlertRow`](crate::io::AlertRow),
/// FORMATS.md), with the optional fields `rule` and `cameras`.
///
/// By default only raised alerts are written, so that a reader that knows
/// only the required fields sees one row per incident; with
/// [`AlertsJsonlWriter::with_ended`] the `ended` notices are written too,
/// marked `"phase": "ended"`.
///
/// ```
/// use fusetrack::rules::{Alert, AlertPhase, AlertSink, AlertsJsonlWriter, Severity};
/// use fusetrack::TrackId;
/// let mut a = Alert {
///     kind: "zone_entered".into(), rule: "vault".into(), severity: Severity::High, track: TrackId(3),
///     zone: Some("jewel-room".into()), x: 3.49, y: -1.22, t_s: 12.4, emitted_s: 12.75,
///     cameras: vec!["gallery-1".into()], phase: AlertPhase::Raised,
/// };
/// let mut w = AlertsJsonlWriter::new(Vec::new(), "alerts.jsonl");
/// w.alert(&a)?;
/// a.phase = AlertPhase::Ended;
/// w.alert(&a)?; // not written by default
/// let text = String::from_utf8(w.finish()?).unwrap();
/// assert_eq!(text, "{\"t\":12.4,\"emitted\":12.75,\"kind\":\"zone_entered\",\"track\":3,\"zone\":\"jewel-room\",\"severity\":\"high\",\"x\":3.49,\"y\":-1.22,\"rule\":\"vault\",\"cameras\":[\"gallery-1\"]}\n");
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub struct AlertsJsonlWriter<W: Write> {
    out: JsonlWriter<W>,
    ended: bool,
    written: u64,
}

impl<W: Write> AlertsJsonlWriter<W> {
    /// A writer into `out` that writes raised alerts only; `path` is only
    /// used in error messages.
    ///
    /// ```
    /// use fusetrack::rules::{Alert, AlertPhase, AlertSink, AlertsJsonlWriter, Severity};
    /// use fusetrack::TrackId;
    /// let mut a = Alert {
    ///     kind: "running".into(), rule: "no-running".into(), severity: Severity::Medium, track: TrackId(5),
    ///     zone: None, x: 1.0, y: 2.0, t_s: 3.0, emitted_s: 3.5, cameras: vec![], phase: AlertPhase::Raised,
    /// };
    /// let mut w = AlertsJsonlWriter::new(Vec::new(), "alerts.jsonl");
    /// w.alert(&a)?;
    /// assert_eq!(
    ///     String::from_utf8(w.finish()?).unwrap(),
    ///     "{\"t\":3.0,\"emitted\":3.5,\"kind\":\"running\",\"track\":5,\"severity\":\"medium\",\"x\":1.0,\"y\":2.0,\"rule\":\"no-running\"}\n"
    /// );
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn new(out: W, path: impl Into<PathBuf>) -> Self {
        Self { out: JsonlWriter::new(out, path), ended: false, written: 0 }
    }

    /// Also writes `ended` notices (`"phase": "ended"`).
    ///
    /// ```
    /// use fusetrack::rules::AlertsJsonlWriter;
    /// let w = AlertsJsonlWriter::new(Vec::new(), "a.jsonl").with_ended(true);
    /// assert_eq!(w.written(), 0);
    /// ```
    #[must_use]
    pub fn with_ended(mut self, ended: bool) -> Self {
        self.ended = ended;
        self
    }

    /// Rows written so far (the `ended` notices skipped are not counted).
    ///
    /// ```
    /// use fusetrack::rules::{Alert, AlertPhase, AlertSink, AlertsJsonlWriter, Severity};
    /// use fusetrack::TrackId;
    /// let mut a = Alert {
    ///     kind: "running".into(), rule: "no-running".into(), severity: Severity::Medium, track: TrackId(5),
    ///     zone: None, x: 1.0, y: 2.0, t_s: 3.0, emitted_s: 3.5, cameras: vec![], phase: AlertPhase::Raised,
    /// };
    /// let mut w = AlertsJsonlWriter::new(Vec::new(), "alerts.jsonl");
    /// w.alert(&a)?;
    /// a.phase = AlertPhase::Ended;
    /// w.alert(&a)?; // skipped: ended notices are off
    /// assert_eq!(w.written(), 1);
    /// let mut both = AlertsJsonlWriter::new(Vec::new(), "alerts.jsonl").with_ended(true);
    /// both.alert(&a)?;
    /// assert_eq!(both.written(), 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// [`Error::Io`] if flushing fails.
    ///
    /// ```
    /// use fusetrack::rules::{Alert, AlertPhase, AlertSink, AlertsJsonlWriter, Severity};
    /// use fusetrack::TrackId;
    /// let mut a = Alert {
    ///     kind: "running".into(), rule: "no-running".into(), severity: Severity::Medium, track: TrackId(5),
    ///     zone: None, x: 1.0, y: 2.0, t_s: 3.0, emitted_s: 3.5, cameras: vec![], phase: AlertPhase::Raised,
    /// };
    /// a.phase = AlertPhase::Ended;
    /// let mut w = AlertsJsonlWriter::new(Vec::new(), "alerts.jsonl").with_ended(true);
    /// w.alert(&a)?;
    /// let text = String::from_utf8(w.finish()?).unwrap();
    /// assert!(text.ends_with(",\"phase\":\"ended\"}\n"));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn finish(self) -> Result<W> {
        self.out.finish()
    }
}

impl AlertsJsonlWriter<BufWriter<File>> {
    /// Creates (or truncates) `alerts.jsonl` at `path`, creating its folder.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be created.
    ///
    /// ```
    /// use fusetrack::rules::AlertsJsonlWriter;
    /// let path = std::env::temp_dir().join("fusetrack-doc-alerts/alerts.jsonl");
    /// let w = AlertsJsonlWriter::create(&path)?;
    /// w.finish()?;
    /// assert!(path.is_file());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn create(path: impl AsRef<Path>) -> Result<Self> {
        let p = path.as_ref();
        if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| Error::Io { path: parent.to_path_buf(), source })?;
        }
        let f = File::create(p).map_err(|source| Error::Io { path: p.to_path_buf(), source })?;
        Ok(Self::new(BufWriter::new(f), p))
    }
}

impl<W: Write> AlertSink for AlertsJsonlWriter<W> {
    fn alert(&mut self, a: &Alert) -> Result<()> {
        if a.phase == AlertPhase::Ended && !self.ended {
            return Ok(());
        }
        self.out.write(&a.to_row())?;
        self.written += 1;
        Ok(())
    }
}
