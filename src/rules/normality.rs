//! A normality model of where tracks go and which way they move, learned
//! from earlier recordings.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

/// Most cells a model may have (a 2 km x 2 km site at 1 m). A larger grid
/// is refused by [`NormalityModel::new`]: use larger cells.
///
/// ```
/// use fusetrack::rules::{MAX_CELLS, NormalityModel};
/// // 2001 m x 2000 m at 1 m is 4 002 000 cells: too many.
/// assert!(2001 * 2000 > MAX_CELLS);
/// assert!(NormalityModel::new([0.0, 0.0, 2001.0, 2000.0], 1.0).is_err());
/// // The same site at 10 m cells is fine.
/// assert!(NormalityModel::new([0.0, 0.0, 2001.0, 2000.0], 10.0).is_ok());
/// ```
pub const MAX_CELLS: usize = 4_000_000;

/// Number of direction bins (45° each, bin 0 east, anticlockwise); one more
/// bin counts "still".
///
/// ```
/// use fusetrack::rules::{DIRECTION_BINS, NormalityModel};
/// // An empty model: every cell (2 inside + 1 outside) and every bin
/// // (DIRECTION_BINS + still) is equally likely.
/// let m = NormalityModel::new([0.0, 0.0, 2.0, 1.0], 1.0)?;
/// let expected = (3.0_f64).ln() + ((DIRECTION_BINS + 1) as f64).ln();
/// assert!((m.surprise_nats([0.5, 0.5], [1.0, 0.0]) - expected).abs() < 1e-12);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const DIRECTION_BINS: usize = 8;

/// Occupancy and direction statistics on a grid of the ground plane.
///
/// The ground in `extent_m` is cut into square cells of `cell_m`. Each
/// learned sample (a track's position and velocity) adds one count to its
/// cell, in one of [`DIRECTION_BINS`] direction bins (bin `k` holds
/// headings `atan2(vy, vx)` within 22.5° of `k * 45°`, counting from +x
/// anticlockwise: bin 0 is east, bin 2 north) or in the "still" bin when the speed is below
/// `still_speed_m_per_s`. Samples outside the extent are counted together
/// as one extra "outside" cell.
///
/// The surprise of a sample is its negative log-probability, in nats, with
/// Laplace (add-`alpha`) smoothing:
///
/// `-ln P(cell) - ln P(bin | cell)`, where
/// `P(cell) = (n_cell + alpha) / (n + alpha * (cells + 1))` and
/// `P(bin | cell) = (n_cell,bin + alpha) / (n_cell + alpha * (bins + 1))`.
///
/// The engine scores a track by the mean surprise of its samples over a
/// sliding window, taking one sample every `sample_period_s`, the same
/// rate as [`NormalityModel::learn_scene`] learns at.
///
/// ```
/// use fusetrack::rules::NormalityModel;
/// let mut m = NormalityModel::new([0.0, 0.0, 10.0, 10.0], 1.0)?;
/// // Everyone walks east along y = 5.
/// for k in 0..1000 {
///     m.learn([(k % 10) as f64 + 0.5, 5.5], [1.2, 0.0]);
/// }
/// let usual = m.surprise_nats([3.5, 5.5], [1.2, 0.0]);
/// let against = m.surprise_nats([3.5, 5.5], [-1.2, 0.0]);
/// let elsewhere = m.surprise_nats([3.5, 1.5], [1.2, 0.0]);
/// assert!(usual < against && against < elsewhere);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalityModel {
    /// `[min_x, min_y, max_x, max_y]`, metres.
    extent_m: [f64; 4],
    cell_m: f64,
    cols: usize,
    rows: usize,
    /// Below this speed a sample goes to the "still" bin, m/s.
    still_speed_m_per_s: f64,
    /// Laplace smoothing count.
    alpha: f64,
    /// Seconds between two samples of one track.
    sample_period_s: f64,
    /// `(cols * rows + 1) * (DIRECTION_BINS + 1)` counts, row-major cells,
    /// the outside cell last.
    counts: Vec<u64>,
    /// Per-cell totals (`cols * rows + 1`).
    cell_totals: Vec<u64>,
    total: u64,
}

impl NormalityModel {
    /// An empty model over `extent_m` (`[min_x, min_y, max_x, max_y]`,
    /// metres) with square cells of `cell_m` metres; still below 0.3 m/s,
    /// `alpha` = 1, a sample every 0.2 s.
    ///
    /// # Errors
    /// [`Error::Config`] when the extent is not finite or empty, the cell
    /// size not positive, or the grid would exceed [`MAX_CELLS`].
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// assert!(NormalityModel::new([0.0, 0.0, 30.0, 20.0], 1.0).is_ok());
    /// assert!(NormalityModel::new([0.0, 0.0, 30.0, 20.0], 0.0).is_err());
    /// assert!(NormalityModel::new([0.0, 0.0, 1e9, 1e9], 1.0).is_err());
    /// ```
    pub fn new(extent_m: [f64; 4], cell_m: f64) -> Result<Self> {
        let bad = |reason: String| Error::Config { field: "normality".into(), reason };
        if !(cell_m.is_finite() && cell_m > 0.0) {
            return Err(bad(format!("cell size must be > 0 m, got {cell_m}")));
        }
        let [x0, y0, x1, y1] = extent_m;
        if !extent_m.iter().all(|v| v.is_finite()) || x1 <= x0 || y1 <= y0 {
            return Err(bad(format!("extent {extent_m:?} is not a finite non-empty box")));
        }
        let cols_f = ((x1 - x0) / cell_m).ceil();
        let rows_f = ((y1 - y0) / cell_m).ceil();
        if cols_f * rows_f > MAX_CELLS as f64 || (cols_f * rows_f).is_nan() {
            return Err(bad(format!(
                "{cols_f} x {rows_f} cells is more than {MAX_CELLS}: use larger cells"
            )));
        }
        let (cols, rows) = (cols_f as usize, rows_f as usize);
        let cells = cols * rows + 1;
        Ok(Self {
            extent_m,
            cell_m,
            cols,
            rows,
            still_speed_m_per_s: 0.3,
            alpha: 1.0,
            sample_period_s: 0.2,
            counts: vec![0; cells * (DIRECTION_BINS + 1)],
            cell_totals: vec![0; cells],
            total: 0,
        })
    }

    /// Checks a model read from a file (sizes consistent, numbers in range).
    pub(crate) fn check(&self) -> std::result::Result<(), String> {
        let cells = self.cols.checked_mul(self.rows).and_then(|c| c.checked_add(1));
        let Some(cells) = cells.filter(|&c| c <= MAX_CELLS + 1) else {
            return Err("grid too large".into());
        };
        if self.cell_totals.len() != cells
            || self.counts.len() != cells.saturating_mul(DIRECTION_BINS + 1)
        {
            return Err(format!("counts do not match a {} x {} grid", self.cols, self.rows));
        }
        let [x0, y0, x1, y1] = self.extent_m;
        if !(self.cell_m.is_finite()
            && self.cell_m > 0.0
            && self.extent_m.iter().all(|v| v.is_finite()))
            || x1 <= x0
            || y1 <= y0
        {
            return Err("extent or cell size out of range".into());
        }
        for (name, v) in [
            ("alpha", self.alpha),
            ("still_speed_m_per_s", self.still_speed_m_per_s),
            ("sample_period_s", self.sample_period_s),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!("{name} must be > 0, got {v}"));
            }
        }
        Ok(())
    }

    /// Sets the speed below which a sample counts as still, m/s.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// let m = NormalityModel::new([0.0, 0.0, 1.0, 1.0], 1.0)?.with_still_speed(0.5);
    /// assert_eq!(m.still_speed_m_per_s(), 0.5);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    #[must_use]
    pub fn with_still_speed(mut self, m_per_s: f64) -> Self {
        if m_per_s.is_finite() && m_per_s > 0.0 {
            self.still_speed_m_per_s = m_per_s;
        }
        self
    }

    /// The speed below which a sample counts as still, m/s (0.3 unless set
    /// with [`NormalityModel::with_still_speed`]).
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// let mut m = NormalityModel::new([0.0, 0.0, 1.0, 1.0], 1.0)?;
    /// assert_eq!(m.still_speed_m_per_s(), 0.3);
    /// m.learn([0.5, 0.5], [0.2, 0.0]); // slower than 0.3 m/s: still
    /// // Standing still is now as usual as that slow drift, walking is not.
    /// let still = m.surprise_nats([0.5, 0.5], [0.0, 0.0]);
    /// assert_eq!(still, m.surprise_nats([0.5, 0.5], [0.2, 0.0]));
    /// assert!(still < m.surprise_nats([0.5, 0.5], [1.0, 0.0]));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn still_speed_m_per_s(&self) -> f64 {
        self.still_speed_m_per_s
    }
    /// Seconds between two samples of one track.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// assert_eq!(NormalityModel::new([0.0, 0.0, 1.0, 1.0], 1.0)?.sample_period_s(), 0.2);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn sample_period_s(&self) -> f64 {
        self.sample_period_s
    }
    /// Samples learned.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// let mut m = NormalityModel::new([0.0, 0.0, 1.0, 1.0], 1.0)?;
    /// m.learn([0.5, 0.5], [0.0, 0.0]);
    /// assert_eq!(m.samples(), 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn samples(&self) -> u64 {
        self.total
    }
    /// The extent `[min_x, min_y, max_x, max_y]`, metres, as given to
    /// [`NormalityModel::new`].
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// let m = NormalityModel::new([-5.0, 0.0, 25.0, 20.0], 0.5)?;
    /// assert_eq!(m.extent_m(), [-5.0, 0.0, 25.0, 20.0]);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn extent_m(&self) -> [f64; 4] {
        self.extent_m
    }
    /// The cell size (side of a square cell), metres.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// assert_eq!(NormalityModel::new([0.0, 0.0, 30.0, 20.0], 0.5)?.cell_m(), 0.5);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn cell_m(&self) -> f64 {
        self.cell_m
    }

    /// Index of the cell of `p` (the outside cell when out of the extent).
    fn cell(&self, p: [f64; 2]) -> usize {
        let outside = self.cols * self.rows;
        let [x0, y0, _, _] = self.extent_m;
        let cx = ((p[0] - x0) / self.cell_m).floor();
        let cy = ((p[1] - y0) / self.cell_m).floor();
        // NaN fails both comparisons.
        if cx >= 0.0 && cy >= 0.0 && cx < self.cols as f64 && cy < self.rows as f64 {
            cy as usize * self.cols + cx as usize
        } else {
            outside
        }
    }

    /// Direction bin of a velocity (`DIRECTION_BINS` for still).
    fn bin(&self, v: [f64; 2]) -> usize {
        let speed = v[0].hypot(v[1]);
        if speed.is_nan() || speed < self.still_speed_m_per_s {
            return DIRECTION_BINS;
        }
        let sector = std::f64::consts::TAU / DIRECTION_BINS as f64;
        let a = (v[1].atan2(v[0]) + 0.5 * sector).rem_euclid(std::f64::consts::TAU);
        ((a / sector).floor() as usize) % DIRECTION_BINS
    }

    /// Learns one sample: a position (metres) and velocity (m/s).
    /// Non-finite samples are ignored.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// let mut m = NormalityModel::new([0.0, 0.0, 4.0, 4.0], 1.0)?;
    /// m.learn([1.5, 1.5], [1.0, 0.0]);
    /// m.learn([f64::NAN, 1.5], [1.0, 0.0]);
    /// assert_eq!(m.samples(), 1);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn learn(&mut self, position_m: [f64; 2], velocity_m_per_s: [f64; 2]) {
        if !position_m.iter().chain(&velocity_m_per_s).all(|v| v.is_finite()) {
            return;
        }
        let c = self.cell(position_m);
        let b = self.bin(velocity_m_per_s);
        if let Some(n) = self.counts.get_mut(c * (DIRECTION_BINS + 1) + b) {
            *n += 1;
        }
        if let Some(n) = self.cell_totals.get_mut(c) {
            *n += 1;
        }
        self.total += 1;
    }

    /// Learns every `(position, velocity)` sample of an iterator.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// let mut m = NormalityModel::new([0.0, 0.0, 4.0, 4.0], 1.0)?;
    /// m.learn_all((0..4).map(|k| ([k as f64 + 0.5, 1.0], [0.0, 1.0])));
    /// assert_eq!(m.samples(), 4);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn learn_all(&mut self, samples: impl IntoIterator<Item = ([f64; 2], [f64; 2])>) {
        for (p, v) in samples {
            self.learn(p, v);
        }
    }

    /// The surprise of one sample, nats (see the type docs). Non-finite
    /// samples count as outside and still.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// let m = NormalityModel::new([0.0, 0.0, 2.0, 1.0], 1.0)?;
    /// // Empty model: uniform over 3 cells (2 + outside) and 9 bins.
    /// let s = m.surprise_nats([0.5, 0.5], [1.0, 0.0]);
    /// assert!((s - (3.0f64.ln() + 9.0f64.ln())).abs() < 1e-12);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn surprise_nats(&self, position_m: [f64; 2], velocity_m_per_s: [f64; 2]) -> f64 {
        let cells = (self.cols * self.rows + 1) as f64;
        let c = self.cell(position_m);
        let b = self.bin(velocity_m_per_s);
        let n_c = self.cell_totals.get(c).copied().unwrap_or(0) as f64;
        let n_cb = self.counts.get(c * (DIRECTION_BINS + 1) + b).copied().unwrap_or(0) as f64;
        let a = self.alpha;
        let p_cell = (n_c + a) / (self.total as f64 + a * cells);
        let p_bin = (n_cb + a) / (n_c + a * (DIRECTION_BINS + 1) as f64);
        -(p_cell.ln() + p_bin.ln())
    }

    /// Writes the model as JSON.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be written.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// let m = NormalityModel::new([0.0, 0.0, 4.0, 4.0], 1.0)?;
    /// let path = std::env::temp_dir().join("fusetrack-doc-normality.json");
    /// m.save(&path)?;
    /// assert_eq!(NormalityModel::load(&path)?, m);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = serde_json::to_string(self)
            .map_err(|e| Error::Malformed { at: Location::file(path), reason: e.to_string() })?;
        std::fs::write(path, text).map_err(|source| Error::Io { path: path.to_path_buf(), source })
    }

    /// Reads a model written by [`NormalityModel::save`].
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Malformed`] for bad JSON or inconsistent counts.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// assert!(NormalityModel::load("/nonexistent/model.json").is_err());
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        let m: NormalityModel = serde_json::from_str(&text).map_err(|e| Error::Malformed {
            at: Location { file: Some(path.to_path_buf()), line: Some(e.line() as u64) },
            reason: e.to_string(),
        })?;
        m.check().map_err(|reason| Error::Malformed { at: Location::file(path), reason })?;
        Ok(m)
    }

    /// Learns a model from a recorded scene folder: replays it through a
    /// tracker ([`crate::replay`]) and learns every reported track every
    /// `sample_period_s` (0.2 s), its velocity taken from its positions over
    /// that period. The extent is the tracks' bounding box plus one cell.
    ///
    /// # Errors
    /// As [`replay_scene`](crate::replay::replay_scene); [`Error::Config`]
    /// if no track was reported or the grid is too large.
    ///
    /// ```
    /// use fusetrack::rules::NormalityModel;
    /// use fusetrack::TrackerConfig;
    /// let dir = std::env::temp_dir().join("fusetrack-doc-learn");
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(dir.join("cameras.json"), r#"{"cameras": [{"id": "radar"}]}"#).unwrap();
    /// let lines: String = (0..50)
    ///     .map(|k| format!("{{\"t\": {}, \"camera\": \"radar\", \"world\": [{}, 1.0]}}\n", k as f64 * 0.1, k as f64 * 0.12))
    ///     .collect();
    /// std::fs::write(dir.join("detections.jsonl"), lines).unwrap();
    /// let m = NormalityModel::learn_scene(&dir, 1.0, &TrackerConfig::default())?;
    /// assert!(m.samples() >= 15);
    /// assert!(m.surprise_nats([3.0, 1.0], [1.2, 0.0]) < m.surprise_nats([3.0, 1.0], [-1.2, 0.0]));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn learn_scene(
        dir: impl AsRef<Path>,
        cell_m: f64,
        config: &crate::TrackerConfig,
    ) -> Result<Self> {
        use crate::replay::{ReplayOptions, replay_scene};
        let mut options = ReplayOptions::default().with_config(config.clone()).with_rows(true);
        options.evaluate = false;
        options.alerts = false;
        let report = replay_scene(dir, &options, |_| {})?;
        let mut rows = report.rows;
        rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0)));
        let mut extent = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for (_, _, p) in &rows {
            if p[0].is_finite() && p[1].is_finite() {
                extent = [
                    extent[0].min(p[0]),
                    extent[1].min(p[1]),
                    extent[2].max(p[0]),
                    extent[3].max(p[1]),
                ];
            }
        }
        if !extent.iter().all(|v| v.is_finite()) {
            return Err(Error::Config {
                field: "normality".into(),
                reason: "the scene gave no track to learn from".into(),
            });
        }
        let pad = cell_m.max(0.0);
        let mut model = Self::new(
            [extent[0] - pad, extent[1] - pad, extent[2] + pad, extent[3] + pad],
            cell_m,
        )?;
        let period = model.sample_period_s;
        let mut prev: Option<(u64, f64, [f64; 2])> = None;
        for &(t, id, p) in &rows {
            match prev {
                Some((pid, pt, pp)) if pid == id => {
                    let dt = t - pt;
                    if dt >= period - 1e-9 {
                        let v = [(p[0] - pp[0]) / dt, (p[1] - pp[1]) / dt];
                        model.learn(p, v);
                        prev = Some((id, t, p));
                    }
                }
                _ => prev = Some((id, t, p)),
            }
        }
        Ok(model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_bins_are_centred_on_the_compass_points() {
        let m = NormalityModel::new([0.0, 0.0, 1.0, 1.0], 1.0).unwrap();
        assert_eq!(m.bin([1.0, -0.01]), 0); // east, a hair south
        assert_eq!(m.bin([1.0, 0.01]), 0);
        assert_eq!(m.bin([0.0, 1.0]), 2); // north
        assert_eq!(m.bin([-1.0, 0.0]), 4); // west
        assert_eq!(m.bin([1.0, -1.0]), 7); // south-east
        assert_eq!(m.bin([0.1, 0.0]), DIRECTION_BINS); // still
        assert_eq!(m.bin([f64::NAN, 0.0]), DIRECTION_BINS);
    }

    #[test]
    fn inconsistent_counts_are_refused() {
        let mut m = NormalityModel::new([0.0, 0.0, 2.0, 2.0], 1.0).unwrap();
        m.counts.pop();
        assert!(m.check().is_err());
    }
}
