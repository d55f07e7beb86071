//! The one error type of the crate.
//!
//! Every fallible public function returns [`Result<T>`](crate::Result), whose
//! error says what was wrong and where: the file and line for parsed input,
//! the camera and field for calibration and detections.

use std::path::PathBuf;

/// Where a piece of input came from: a file and a line, as far as known.
///
/// Parsers fill it in; values built in code have no file and no line.
///
/// ```
/// use fusetrack::Location;
/// let at = Location::file_line("scene/detections.jsonl", 12);
/// assert_eq!(at.to_string(), "scene/detections.jsonl:12");
/// assert_eq!(Location::none().to_string(), "<input>");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// File the input was read from, if any.
    pub file: Option<PathBuf>,
    /// One-based line number, if any.
    pub line: Option<u64>,
}

impl Location {
    /// No file, no line: input built in code. Displays as `<input>`.
    ///
    /// ```
    /// use fusetrack::Location;
    /// let at = Location::none();
    /// assert!(at.file.is_none() && at.line.is_none());
    /// assert_eq!(at, Location::default());
    /// assert_eq!(at.to_string(), "<input>");
    /// ```
    pub fn none() -> Self {
        Self::default()
    }
    /// A file and no line (for whole-file formats such as `cameras.json`).
    ///
    /// ```
    /// use fusetrack::Location;
    /// let at = Location::file("scene/cameras.json");
    /// assert_eq!(at.line, None);
    /// assert_eq!(at.to_string(), "scene/cameras.json");
    /// ```
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self { file: Some(file.into()), line: None }
    }
    /// A file and a one-based line number, displayed as `file:line` like a
    /// compiler diagnostic.
    ///
    /// ```
    /// use std::path::Path;
    /// use fusetrack::Location;
    /// let at = Location::file_line("gt/gt.txt", 41);
    /// assert_eq!(at.file.as_deref(), Some(Path::new("gt/gt.txt")));
    /// assert_eq!(at.line, Some(41));
    /// assert_eq!(at.to_string(), "gt/gt.txt:41");
    /// ```
    pub fn file_line(file: impl Into<PathBuf>, line: u64) -> Self {
        Self { file: Some(file.into()), line: Some(line) }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(p), Some(l)) => write!(f, "{}:{l}", p.display()),
            (Some(p), None) => write!(f, "{}", p.display()),
            (None, Some(l)) => write!(f, "line {l}"),
            (None, None) => f.write_str("<input>"),
        }
    }
}

/// Everything that can go wrong in fusetrack.
///
/// The variants carry the context a user needs to fix the input: the
/// [`Location`] (file and line), the camera, and the field at fault.
/// After an error the object that returned it keeps working: nothing already
/// ingested is lost.
///
/// ```
/// use fusetrack::{Error, Location};
/// let e = Error::InvalidField {
///     at: Location::file_line("d.jsonl", 3),
///     field: "bbox".into(),
///     reason: "width must be positive, got -2".into(),
/// };
/// assert_eq!(e.to_string(), "d.jsonl:3: field `bbox`: width must be positive, got -2");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A line or document is not valid JSON / CSV, or does not match the schema.
    #[error("{at}: malformed input: {reason}")]
    Malformed {
        /// Where.
        at: Location,
        /// What the parser said.
        reason: String,
    },
    /// A field has a value that is not allowed (NaN, negative size, ...).
    #[error("{at}: field `{field}`: {reason}")]
    InvalidField {
        /// Where.
        at: Location,
        /// The field at fault, e.g. `bbox` or `cameras[2].intrinsics.fx`.
        field: String,
        /// Why the value is refused.
        reason: String,
    },
    /// A required field is absent.
    #[error("{at}: missing field `{field}`")]
    MissingField {
        /// Where.
        at: Location,
        /// The missing field.
        field: String,
    },
    /// A detection names a camera that is not in the rig.
    #[error("{at}: unknown camera `{camera}`")]
    UnknownCamera {
        /// Where.
        at: Location,
        /// The camera name as given.
        camera: String,
    },
    /// A camera's calibration cannot be used (singular matrix, camera below the ground, ...).
    #[error("camera `{camera}`: bad calibration: {reason}")]
    Calibration {
        /// The camera.
        camera: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A detection cannot be mapped to the ground (box above the horizon,
    /// a world sensor without `world`, a camera without calibration sending boxes).
    #[error("{at}: camera `{camera}`: cannot place detection on the ground: {reason}")]
    Unprojectable {
        /// Where.
        at: Location,
        /// The camera.
        camera: String,
        /// Why.
        reason: String,
    },
    /// A camera's capture time went backwards.
    #[error("{at}: camera `{camera}`: capture time went backwards from {last_t_s} s to {t_s} s")]
    TimeWentBackwards {
        /// Where.
        at: Location,
        /// The camera.
        camera: String,
        /// The new capture time.
        t_s: f64,
        /// The camera's latest capture time before it.
        last_t_s: f64,
    },
    /// A configuration value is out of its valid range.
    #[error("configuration field `{field}`: {reason}")]
    Config {
        /// The field.
        field: String,
        /// Why it is refused.
        reason: String,
    },
    /// A numerical step failed (a covariance lost positive definiteness).
    #[error("numerical failure in {what}")]
    Numerical {
        /// Which computation failed.
        what: &'static str,
    },
}

/// Shorthand for `std::result::Result<T, fusetrack::Error>`.
///
/// The error type defaults to [`Error`], so `?` works on every fallible
/// fusetrack call inside a function returning `fusetrack::Result<T>`.
///
/// ```
/// use fusetrack::{Error, Result};
/// fn positive(field: &str, v: f64) -> Result<f64> {
///     if v > 0.0 {
///         Ok(v)
///     } else {
///         Err(Error::Config { field: field.into(), reason: format!("must be positive, got {v}") })
///     }
/// }
/// assert_eq!(positive("dt_s", 0.1).unwrap(), 0.1);
/// let e = positive("dt_s", -1.0).unwrap_err();
/// assert_eq!(e.to_string(), "configuration field `dt_s`: must be positive, got -1");
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Fills in the location (file, line) of an error raised without one,
    /// as the readers do for errors from [`Tracker::push`](crate::Tracker::push).
    /// An error that already names a location keeps it.
    ///
    /// ```
    /// use fusetrack::{Error, Location};
    /// let e = Error::UnknownCamera { at: Location::none(), camera: "cam-9".into() };
    /// let e = e.with_location(&Location::file_line("d.jsonl", 7));
    /// assert_eq!(e.to_string(), "d.jsonl:7: unknown camera `cam-9`");
    /// ```
    pub fn with_location(mut self, loc: &Location) -> Self {
        match &mut self {
            Error::Malformed { at, .. }
            | Error::InvalidField { at, .. }
            | Error::MissingField { at, .. }
            | Error::UnknownCamera { at, .. }
            | Error::Unprojectable { at, .. }
            | Error::TimeWentBackwards { at, .. }
                if at.file.is_none() && at.line.is_none() =>
            {
                *at = loc.clone();
            }
            _ => {}
        }
        self
    }
}
