//! MOTChallenge CSV files: detections, ground truth and tracker results.
//!
//! One box per line, comma separated (lines without a comma may use spaces
//! or tabs, as some tools write them), no header:
//!
//! | column | MOT15 det / result / gt | MOT16/17 gt |
//! | --- | --- | --- |
//! | 1 | frame (1-based) | frame |
//! | 2 | id (-1 for detections) | id |
//! | 3-6 | bb_left, bb_top, bb_width, bb_height (pixels) | same |
//! | 7 | conf (detector score; gt: 1 active, 0 ignore) | active flag |
//! | 8 | x (world, -1 if unknown) | class |
//! | 9 | y (world) | visibility ratio |
//! | 10 | z (world) | absent |
//!
//! Columns 1-7 are required; 8-10 are optional and kept as read in
//! [`MotRow::tail`], because their meaning depends on the file kind (see
//! the accessors). The format is described by Leal-Taixé et al., "MOTChallenge
//! 2015: Towards a Benchmark for Multi-Target Tracking" (arXiv:1504.01942)
//! and Milan et al., "MOT16: A Benchmark for Multi-Object Tracking"
//! (arXiv:1603.00831).
//!
//! [`MotReader`] reads line by line and yields one `Result` per line, so a bad
//! line (or a truncated last line) is reported with its file, line and field
//! while every other line is still delivered.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::detection::BBox;
use crate::error::{Error, Location, Result};

/// Names of the ten columns, for error messages.
const COLUMNS: [&str; 10] =
    ["frame", "id", "bb_left", "bb_top", "bb_width", "bb_height", "conf", "x", "y", "z"];

/// One line of a MOTChallenge file.
///
/// ```
/// use fusetrack::BBox;
/// use fusetrack::io::MotRow;
/// let r = MotRow::result(3, 7, BBox { x: 1.0, y: 2.0, w: 3.0, h: 4.0 }, 0.9);
/// assert_eq!(r.to_line(), "3,7,1,2,3,4,0.9,-1,-1,-1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MotRow {
    /// Frame number (1-based in MOTChallenge files).
    pub frame: u64,
    /// Object / track id; -1 for detections.
    pub id: i64,
    /// The box, pixels, `[left, top, width, height]`.
    pub bbox: BBox,
    /// Column 7: detector confidence, or the gt "active" flag (1 = evaluate, 0 = ignore).
    pub conf: f64,
    /// Columns 8 to 10 as read (`None` when the line is shorter): world
    /// `x, y, z` in MOT15 files, `class, visibility` in MOT16/17 ground truth.
    pub tail: [Option<f64>; 3],
}

impl MotRow {
    /// A tracker-result / detection line: `x, y, z` written as -1 (unknown).
    /// Use `id = -1` for a detection, the track id for a result.
    ///
    /// ```
    /// use fusetrack::BBox;
    /// use fusetrack::io::MotRow;
    /// let r = MotRow::result(12, 3, BBox { x: 40.0, y: 80.0, w: 25.0, h: 70.0 }, 1.0);
    /// assert_eq!((r.frame, r.id), (12, 3));
    /// assert_eq!(r.tail, [Some(-1.0); 3]);
    /// assert_eq!(r.world_xyz(), None); // -1, -1, -1 means unknown
    /// ```
    pub fn result(frame: u64, id: i64, bbox: BBox, conf: f64) -> Self {
        Self { frame, id, bbox, conf, tail: [Some(-1.0); 3] }
    }

    /// World position `x, y, z` (MOT15 files); `None` if absent or all -1.
    ///
    /// ```
    /// use fusetrack::io::MotRow;
    /// let r = MotRow::parse_line("1,2,88,99,61.08,218.56,1,4.4852,5.5016,0")?;
    /// assert_eq!(r.world_xyz(), Some([4.4852, 5.5016, 0.0]));
    /// let d = MotRow::parse_line("1,-1,88,99,61,218,0.8,-1,-1,-1")?;
    /// assert_eq!(d.world_xyz(), None);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn world_xyz(&self) -> Option<[f64; 3]> {
        match self.tail {
            [Some(x), Some(y), Some(z)] if !(x == -1.0 && y == -1.0 && z == -1.0) => {
                Some([x, y, z])
            }
            _ => None,
        }
    }

    /// MOT16/17 ground truth: the class (column 8), e.g. 1 = pedestrian.
    ///
    /// ```
    /// use fusetrack::io::MotRow;
    /// let r = MotRow::parse_line("1,1,912,484,97,109,0,7,1")?;
    /// assert_eq!((r.gt_class(), r.gt_visibility(), r.conf), (Some(7), Some(1.0), 0.0));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn gt_class(&self) -> Option<i64> {
        self.tail[0].filter(|c| c.fract() == 0.0 && c.abs() < 1e15).map(|c| c as i64)
    }

    /// MOT16/17 ground truth: the visible fraction of the object (column 9),
    /// `0..=1`. In a MOT15 file that column is the world `y` instead: the
    /// caller knows which kind of file it reads.
    ///
    /// ```
    /// use fusetrack::io::MotRow;
    /// // A pedestrian (class 1), active, three quarters occluded.
    /// let r = MotRow::parse_line("5,2,100,50,40,120,1,1,0.25")?;
    /// assert_eq!(r.gt_visibility(), Some(0.25));
    /// assert_eq!(MotRow::parse_line("5,2,100,50,40,120,1")?.gt_visibility(), None);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn gt_visibility(&self) -> Option<f64> {
        self.tail[1]
    }

    /// Parses one line with no file context (see [`MotReader`] for files).
    ///
    /// # Errors
    /// [`Error::Malformed`] for a wrong number of fields, [`Error::InvalidField`]
    /// naming the column for a value that is not a number or not allowed.
    ///
    /// ```
    /// use fusetrack::io::MotRow;
    /// let r = MotRow::parse_line("12, 4, 10.5, 20, 30, 60, 0.75")?;
    /// assert_eq!((r.frame, r.id, r.bbox.w, r.conf, r.tail), (12, 4, 30.0, 0.75, [None; 3]));
    /// let e = MotRow::parse_line("1,2,3,4,x,6,1").unwrap_err();
    /// assert_eq!(e.to_string(), "<input>: field `bb_width`: not a number: `x`");
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn parse_line(line: &str) -> Result<Self> {
        parse(line, &Location::none())
    }

    /// The line as written by [`MotWriter`] (no newline): fields that were
    /// absent stay absent, numbers in their shortest exact form, always
    /// comma separated.
    ///
    /// ```
    /// use fusetrack::io::MotRow;
    /// // A 7-column line stays 7 columns.
    /// assert_eq!(MotRow::parse_line("12,4,10.5,20,30,60,0.75")?.to_line(), "12,4,10.5,20,30,60,0.75");
    /// // Space-separated input is written with commas; 1.50 becomes 1.5.
    /// assert_eq!(MotRow::parse_line("1 2 3 4 5 6 1 7 1.50")?.to_line(), "1,2,3,4,5,6,1,7,1.5");
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn to_line(&self) -> String {
        let mut s = format!(
            "{},{},{},{},{},{},{}",
            self.frame, self.id, self.bbox.x, self.bbox.y, self.bbox.w, self.bbox.h, self.conf
        );
        let n = self.tail.iter().rposition(Option::is_some).map_or(0, |k| k + 1);
        for v in self.tail.iter().take(n) {
            s.push(',');
            s.push_str(&v.unwrap_or(-1.0).to_string());
        }
        s
    }
}

fn parse(line: &str, at: &Location) -> Result<MotRow> {
    let line = line.trim();
    let mut fields = [""; 10];
    let mut n = 0usize;
    // Comma separated; a line without a comma may use spaces or tabs.
    // A trailing comma (as some tools write) is not a field.
    let comma = line.contains(',');
    let body = if comma { line.strip_suffix(',').unwrap_or(line) } else { line };
    let parts = body
        .split(|c: char| if comma { c == ',' } else { c.is_whitespace() })
        .filter(|f| comma || !f.is_empty());
    for f in parts {
        if let Some(slot) = fields.get_mut(n) {
            *slot = f.trim();
        }
        n += 1;
    }
    if !(7..=10).contains(&n) {
        return Err(Error::Malformed {
            at: at.clone(),
            reason: format!("expected 7 to 10 comma-separated fields, got {n}"),
        });
    }
    let field = |k: usize| fields.get(k).copied().unwrap_or("");
    let name = |k: usize| COLUMNS.get(k).copied().unwrap_or("?");
    let invalid = |k: usize, reason: String| Error::InvalidField {
        at: at.clone(),
        field: name(k).into(),
        reason,
    };
    let num = |k: usize| -> Result<f64> {
        let s = field(k);
        let v: f64 = s.parse().map_err(|_| invalid(k, format!("not a number: `{s}`")))?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(invalid(k, format!("must be a finite number, got `{s}`")))
        }
    };
    let int = |k: usize| -> Result<i64> {
        let s = field(k);
        if let Ok(v) = s.parse::<i64>() {
            return Ok(v);
        }
        let v = num(k)?;
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(invalid(k, format!("must be an integer, got `{s}`")))
        }
    };
    let frame = int(0)?;
    if frame < 0 {
        return Err(invalid(0, format!("must not be negative, got {frame}")));
    }
    let id = int(1)?;
    let bbox = BBox { x: num(2)?, y: num(3)?, w: num(4)?, h: num(5)? };
    if bbox.w < 0.0 {
        return Err(invalid(4, format!("must not be negative, got {}", bbox.w)));
    }
    if bbox.h < 0.0 {
        return Err(invalid(5, format!("must not be negative, got {}", bbox.h)));
    }
    let conf = num(6)?;
    let mut tail = [None; 3];
    for (k, t) in tail.iter_mut().enumerate() {
        if 7 + k < n {
            *t = Some(num(7 + k)?);
        }
    }
    Ok(MotRow { frame: frame as u64, id, bbox, conf, tail })
}

/// Streaming reader: an iterator of `Result<MotRow>`, one item per non-empty
/// line. After an error it goes on with the next line.
///
/// A last line without a newline that does not parse is reported as
/// truncated (the file was probably cut while being written).
///
/// ```
/// use fusetrack::io::MotReader;
/// let text = "1,1,10,20,30,60,1\n\n2,1,11,20,30,60,1\n3,1,12,2";
/// let rows: Vec<_> = MotReader::new(text.as_bytes(), "gt.txt").collect();
/// assert_eq!(rows.len(), 3);
/// assert_eq!(rows[1].as_ref().unwrap().frame, 2);
/// let e = rows[2].as_ref().unwrap_err().to_string();
/// assert!(e.starts_with("gt.txt:4: malformed input: truncated last line"), "{e}");
/// ```
#[derive(Debug)]
pub struct MotReader<R> {
    reader: R,
    path: PathBuf,
    line_no: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> MotReader<R> {
    /// Reads from `reader`; `path` names the source in errors. Blank lines
    /// and lines starting with `#` are skipped (but counted for line numbers).
    ///
    /// ```
    /// use fusetrack::io::MotReader;
    /// let text = "# frame,id,...\n1,-1,10,20,30,60,0.9\n1,-1,10,20,-5,60,0.8\n";
    /// let mut rows = MotReader::new(text.as_bytes(), "det/det.txt");
    /// assert_eq!(rows.next().unwrap()?.conf, 0.9);
    /// let e = rows.next().unwrap().unwrap_err();
    /// assert_eq!(e.to_string(), "det/det.txt:3: field `bb_width`: must not be negative, got -5");
    /// assert!(rows.next().is_none());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn new(reader: R, path: impl Into<PathBuf>) -> Self {
        Self { reader, path: path.into(), line_no: 0, buf: Vec::new(), done: false }
    }
}

impl MotReader<BufReader<File>> {
    /// Opens a file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be opened.
    ///
    /// ```
    /// use fusetrack::io::MotReader;
    /// let rows = MotReader::open("tests/fixtures/motchallenge-tud/TUD-Campus/gt.txt")?
    ///     .collect::<fusetrack::Result<Vec<_>>>()?;
    /// assert_eq!(rows.len(), 359);
    /// assert!(MotReader::open("no/such/file.txt").is_err());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file =
            File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        Ok(Self::new(BufReader::new(file), path))
    }
}

impl<R: BufRead> Iterator for MotReader<R> {
    type Item = Result<MotRow>;

    fn next(&mut self) -> Option<Result<MotRow>> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            let read = self.reader.read_until(b'\n', &mut self.buf);
            self.line_no += 1;
            let at = Location::file_line(&self.path, self.line_no);
            match read {
                Err(source) => {
                    self.done = true;
                    return Some(Err(Error::Io { path: self.path.clone(), source }));
                }
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
            }
            let complete = self.buf.ends_with(b"\n");
            let Ok(text) = std::str::from_utf8(&self.buf) else {
                return Some(Err(Error::Malformed {
                    at,
                    reason: "line is not valid UTF-8".into(),
                }));
            };
            let text = text.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            return Some(parse(text, &at).map_err(|e| {
                if complete {
                    return e;
                }
                let detail = match &e {
                    Error::Malformed { reason, .. } => reason.clone(),
                    other => other.to_string(),
                };
                Error::Malformed {
                    at: at.clone(),
                    reason: format!("truncated last line (no newline at end of file): {detail}"),
                }
            }));
        }
    }
}

/// Reads a whole file, stopping at the first bad line.
///
/// # Errors
/// The first error of [`MotReader`].
///
/// ```
/// let rows = fusetrack::io::motchallenge::read_file("tests/fixtures/motchallenge-tud/TUD-Stadtmitte/test.txt")?;
/// assert_eq!(rows.len(), 749);
/// assert_eq!(rows[0].id, 1);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub fn read_file(path: impl AsRef<Path>) -> Result<Vec<MotRow>> {
    MotReader::open(path)?.collect()
}

/// Writes MOTChallenge lines.
///
/// ```
/// use fusetrack::BBox;
/// use fusetrack::io::{MotReader, MotRow, MotWriter};
/// let rows = [MotRow::result(1, 4, BBox { x: 0.5, y: 1.0, w: 10.0, h: 20.0 }, 0.25)];
/// let mut w = MotWriter::new(Vec::new(), "out.txt");
/// for r in &rows { w.write_row(r)?; }
/// let bytes = w.into_inner()?;
/// assert_eq!(bytes, b"1,4,0.5,1,10,20,0.25,-1,-1,-1\n");
/// let back: Vec<MotRow> = MotReader::new(&bytes[..], "out.txt").collect::<Result<_, _>>()?;
/// assert_eq!(back, rows);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug)]
pub struct MotWriter<W: Write> {
    out: W,
    path: PathBuf,
}

impl<W: Write> MotWriter<W> {
    /// Writes to `out` (unbuffered: wrap a file in a
    /// [`BufWriter`](std::io::BufWriter)); `path` names it in errors.
    ///
    /// ```
    /// use fusetrack::BBox;
    /// use fusetrack::io::{MotRow, MotWriter};
    /// let mut w = MotWriter::new(std::io::BufWriter::new(Vec::new()), "res/TUD-Campus.txt");
    /// w.write_row(&MotRow::result(1, 1, BBox { x: 1.0, y: 2.0, w: 3.0, h: 4.0 }, 1.0))?;
    /// let bytes = w.into_inner()?.into_inner().unwrap();
    /// assert_eq!(String::from_utf8(bytes).unwrap(), "1,1,1,2,3,4,1,-1,-1,-1\n");
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn new(out: W, path: impl Into<PathBuf>) -> Self {
        Self { out, path: path.into() }
    }

    /// Writes one line, [`MotRow::to_line`] and a newline.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path if writing fails.
    ///
    /// ```
    /// use fusetrack::BBox;
    /// use fusetrack::io::{MotRow, MotWriter};
    /// // A writer whose disk is full.
    /// struct Full;
    /// impl std::io::Write for Full {
    ///     fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
    ///         Err(std::io::Error::other("disk full"))
    ///     }
    ///     fn flush(&mut self) -> std::io::Result<()> {
    ///         Ok(())
    ///     }
    /// }
    /// let row = MotRow::result(1, 1, BBox { x: 1.0, y: 2.0, w: 3.0, h: 4.0 }, 1.0);
    /// let e = MotWriter::new(Full, "res/out.txt").write_row(&row).unwrap_err();
    /// assert_eq!(e.to_string(), "res/out.txt: disk full");
    /// ```
    pub fn write_row(&mut self, row: &MotRow) -> Result<()> {
        writeln!(self.out, "{}", row.to_line())
            .map_err(|source| Error::Io { path: self.path.clone(), source })
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// [`Error::Io`] if flushing fails.
    ///
    /// ```
    /// use fusetrack::BBox;
    /// use fusetrack::io::{MotRow, MotWriter};
    /// let mut w = MotWriter::new(Vec::new(), "out.txt");
    /// for frame in 1..=3 {
    ///     w.write_row(&MotRow::result(frame, 7, BBox { x: 0.0, y: 0.0, w: 8.0, h: 16.0 }, 1.0))?;
    /// }
    /// let text = String::from_utf8(w.into_inner()?).unwrap();
    /// assert_eq!(text.lines().count(), 3);
    /// assert!(text.starts_with("1,7,") && text.ends_with("3,7,0,0,8,16,1,-1,-1,-1\n"));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn into_inner(mut self) -> Result<W> {
        self.out.flush().map_err(|source| Error::Io { path: self.path.clone(), source })?;
        Ok(self.out)
    }
}
