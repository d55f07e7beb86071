//! How a ground-truth object and a hypothesis are compared: a distance with a
//! match threshold (CLEAR MOT, identity metrics) and a similarity in `[0, 1]`
//! (HOTA).

use crate::detection::BBox;

/// What one comparison of a ground-truth object with a hypothesis gives.
///
/// ```
/// use fusetrack::metrics::{GroundPoints, PairScore, Similarity};
/// let s = GroundPoints::new(1.0);
/// let p: PairScore = s.compare(&[0.0, 0.0], &[0.6, 0.8]);
/// assert_eq!(p.distance, Some(1.0)); // exactly on the threshold: may match
/// assert_eq!(p.similarity, 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScore {
    /// The distance when the pair may be matched by CLEAR MOT and counts for
    /// the identity metrics (within the threshold); `None` otherwise.
    /// Metres for ground points, `1 - IoU` for boxes.
    pub distance: Option<f64>,
    /// HOTA similarity in `[0, 1]` (0 = no overlap at all).
    pub similarity: f64,
}

/// A way to compare ground truth with hypotheses.
///
/// Implement it for your own object type (a 3-D point, an oriented box, ...)
/// to score it with [`MotAccumulator`](crate::metrics::MotAccumulator):
///
/// ```
/// use fusetrack::metrics::{FrameData, MotAccumulator, PairScore, Similarity};
///
/// /// Positions on a line, metres; a match needs |a - b| <= 0.5 m.
/// struct OnRail;
/// impl Similarity for OnRail {
///     type Item = f64;
///     fn compare(&self, gt: &f64, hyp: &f64) -> PairScore {
///         let d = (gt - hyp).abs();
///         PairScore { distance: (d <= 0.5).then_some(d), similarity: (1.0 - d / 0.5).max(0.0) }
///     }
///     fn invalid_reason(&self, item: &f64) -> Option<&'static str> {
///         (!item.is_finite()).then_some("position must be a finite number")
///     }
/// }
///
/// let mut acc = MotAccumulator::new(OnRail);
/// acc.push_frame(FrameData { gt_ids: &[1], gt: &[0.0], hyp_ids: &[9], hyp: &[0.25] })?;
/// let s = acc.counts()?.scores();
/// assert_eq!(s.mota, 1.0);
/// assert_eq!(s.motp, 0.25);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub trait Similarity {
    /// The object compared (a ground point, a box, ...).
    type Item;
    /// Compares one ground-truth object with one hypothesis.
    fn compare(&self, gt: &Self::Item, hyp: &Self::Item) -> PairScore;
    /// `Some(reason)` if the item cannot be scored (NaN coordinates, ...).
    fn invalid_reason(&self, item: &Self::Item) -> Option<&'static str>;
}

/// Ground-plane points `[x, y]` in metres, compared by Euclidean distance.
///
/// - CLEAR MOT and identity metrics: a pair may match when
///   `d <= threshold_m`; MOTP is then a mean distance in metres.
/// - HOTA: similarity `max(0, 1 - d / zero_similarity_m)`. By default
///   `zero_similarity_m = threshold_m`, so HOTA's loosest level
///   (alpha = 0.05) accepts `d <= 0.95 threshold_m` and its mid level
///   (alpha = 0.5) `d <= threshold_m / 2`. TrackEval's MOT15-3D setting uses
///   2 m instead (alpha = 0.5 then means 1 m); use
///   [`GroundPoints::with_zero_similarity_m`] to follow it.
///
/// ```
/// use fusetrack::metrics::{GroundPoints, Similarity};
/// let s = GroundPoints::new(1.0);
/// let p = s.compare(&[0.0, 0.0], &[0.3, 0.4]);
/// assert_eq!(p.distance, Some(0.5));
/// assert_eq!(p.similarity, 0.5);
/// assert_eq!(s.compare(&[0.0, 0.0], &[3.0, 4.0]).distance, None);
/// assert!(s.invalid_reason(&[f64::NAN, 0.0]).is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroundPoints {
    /// Largest distance at which a pair may match, metres.
    pub threshold_m: f64,
    /// Distance at which the HOTA similarity reaches 0, metres.
    pub zero_similarity_m: f64,
}

impl GroundPoints {
    /// Points matched within `threshold_m` metres; HOTA similarity reaches 0
    /// at the same distance.
    ///
    /// ```
    /// use fusetrack::metrics::{GroundPoints, Similarity};
    /// let s = GroundPoints::new(0.5);
    /// let near = s.compare(&[0.0, 0.0], &[0.4, 0.0]);
    /// assert_eq!(near.distance, Some(0.4));
    /// assert!((near.similarity - 0.2).abs() < 1e-15); // 1 - 0.4 / 0.5
    /// assert_eq!(s.compare(&[0.0, 0.0], &[0.6, 0.0]).distance, None);
    /// ```
    pub fn new(threshold_m: f64) -> Self {
        Self { threshold_m, zero_similarity_m: threshold_m }
    }

    /// Sets the distance (metres) at which the HOTA similarity reaches 0.
    ///
    /// ```
    /// use fusetrack::metrics::{GroundPoints, Similarity};
    /// let s = GroundPoints::new(1.0).with_zero_similarity_m(2.0); // TrackEval MOT15-3D
    /// assert_eq!(s.compare(&[0.0, 0.0], &[1.0, 0.0]).similarity, 0.5);
    /// ```
    pub fn with_zero_similarity_m(mut self, zero_similarity_m: f64) -> Self {
        self.zero_similarity_m = zero_similarity_m;
        self
    }
}

impl Default for GroundPoints {
    /// A 1 m threshold.
    fn default() -> Self {
        Self::new(1.0)
    }
}

impl Similarity for GroundPoints {
    type Item = [f64; 2];

    fn compare(&self, gt: &[f64; 2], hyp: &[f64; 2]) -> PairScore {
        // sqrt(dx² + dy²) rather than hypot: the same rounding as the
        // reference implementations (numpy), so that threshold decisions agree.
        let dx = gt[0] - hyp[0];
        let dy = gt[1] - hyp[1];
        let d = (dx * dx + dy * dy).sqrt();
        PairScore {
            distance: (d <= self.threshold_m).then_some(d),
            similarity: (1.0 - d / self.zero_similarity_m).max(0.0),
        }
    }

    fn invalid_reason(&self, item: &[f64; 2]) -> Option<&'static str> {
        (!(item[0].is_finite() && item[1].is_finite()))
            .then_some("ground point coordinates must be finite numbers")
    }
}

/// Image boxes compared by intersection over union (IoU).
///
/// - CLEAR MOT and identity metrics: distance `1 - IoU`, a pair may match
///   when `1 - IoU <= max_distance` (0.5 by default, i.e. IoU >= 0.5), as
///   py-motmetrics' `iou_matrix`; MOTP is a mean `1 - IoU`.
/// - HOTA: similarity = IoU, as TrackEval.
///
/// Areas and the intersection are computed from the corners
/// (`x + w` - `x`), in the same order as both references.
///
/// ```
/// use fusetrack::BBox;
/// use fusetrack::metrics::{BoxIou, Similarity};
/// let s = BoxIou::default();
/// let a = BBox { x: 0.0, y: 0.0, w: 2.0, h: 2.0 };
/// let b = BBox { x: 1.0, y: 0.0, w: 2.0, h: 2.0 };
/// let p = s.compare(&a, &b);
/// assert_eq!(p.similarity, 1.0 / 3.0);
/// assert_eq!(p.distance, None); // IoU 1/3 < 0.5
/// assert_eq!(s.compare(&a, &a).distance, Some(0.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxIou {
    /// Largest `1 - IoU` at which a pair may match.
    pub max_distance: f64,
}

impl BoxIou {
    /// Boxes match when `IoU >= min_iou`: [`BoxIou::max_distance`] is
    /// `1 - min_iou`.
    ///
    /// ```
    /// use fusetrack::BBox;
    /// use fusetrack::metrics::{BoxIou, Similarity};
    /// let a = BBox { x: 0.0, y: 0.0, w: 2.0, h: 2.0 };
    /// let b = BBox { x: 1.0, y: 0.0, w: 2.0, h: 2.0 }; // IoU 1/3
    /// assert!(BoxIou::new(0.3).compare(&a, &b).distance.is_some());
    /// assert!(BoxIou::new(0.5).compare(&a, &b).distance.is_none());
    /// assert!((BoxIou::new(0.3).max_distance - 0.7).abs() < 1e-15);
    /// ```
    pub fn new(min_iou: f64) -> Self {
        Self { max_distance: 1.0 - min_iou }
    }

    /// The IoU of two boxes `[x, y, w, h]`; 0 when they do not overlap or
    /// when the union is empty.
    ///
    /// ```
    /// use fusetrack::BBox;
    /// use fusetrack::metrics::BoxIou;
    /// let a = BBox { x: 0.0, y: 0.0, w: 4.0, h: 1.0 };
    /// let b = BBox { x: 2.0, y: 0.0, w: 4.0, h: 1.0 };
    /// assert_eq!(BoxIou::iou(&a, &b), 2.0 / 6.0);
    /// ```
    pub fn iou(a: &BBox, b: &BBox) -> f64 {
        let (ax1, ay1) = (a.x + a.w, a.y + a.h);
        let (bx1, by1) = (b.x + b.w, b.y + b.h);
        let iw = (ax1.min(bx1) - a.x.max(b.x)).max(0.0);
        let ih = (ay1.min(by1) - a.y.max(b.y)).max(0.0);
        let inter = iw * ih;
        let area_a = (ax1 - a.x).max(0.0) * (ay1 - a.y).max(0.0);
        let area_b = (bx1 - b.x).max(0.0) * (by1 - b.y).max(0.0);
        let union = area_a + area_b - inter;
        if inter <= 0.0 || union <= 0.0 { 0.0 } else { inter / union }
    }
}

impl Default for BoxIou {
    /// IoU >= 0.5.
    fn default() -> Self {
        Self::new(0.5)
    }
}

impl Similarity for BoxIou {
    type Item = BBox;

    fn compare(&self, gt: &BBox, hyp: &BBox) -> PairScore {
        let iou = Self::iou(gt, hyp);
        let d = 1.0 - iou;
        PairScore { distance: (d <= self.max_distance).then_some(d), similarity: iou }
    }

    fn invalid_reason(&self, item: &BBox) -> Option<&'static str> {
        if !(item.x.is_finite() && item.y.is_finite() && item.w.is_finite() && item.h.is_finite()) {
            Some("box coordinates must be finite numbers")
        } else if item.w < 0.0 || item.h < 0.0 {
            Some("box width and height must not be negative")
        } else {
            None
        }
    }
}
