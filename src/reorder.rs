//! The reorder buffer: detections arrive in arrival order, frames leave in
//! capture-time order.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use nalgebra::{Matrix2, Vector2};
use serde::{Deserialize, Serialize};

use crate::config::ObjectKind;
use crate::ids::CameraId;

/// A detection already mapped to the ground, waiting for its frame to be released.
///
/// ```
/// use fusetrack::reorder::{Pending, PendingKind};
/// use fusetrack::CameraId;
/// let p = Pending { t_s: 1.0, rx_s: 1.2, camera: CameraId(0), seq: 0, kind: PendingKind::Empty };
/// assert!(matches!(p.kind, PendingKind::Empty));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Capture time, seconds.
    pub t_s: f64,
    /// Arrival time, seconds.
    pub rx_s: f64,
    /// The camera.
    pub camera: CameraId,
    /// Arrival sequence number (ties broken by arrival).
    pub seq: u64,
    /// The measurement.
    pub kind: PendingKind,
}

/// What a pending entry carries.
///
/// ```
/// use fusetrack::reorder::PendingKind;
/// use fusetrack::ObjectKind;
/// use nalgebra::{Matrix2, Vector2};
/// let k = PendingKind::Ground { z: Vector2::new(1.0, 2.0), r: Matrix2::identity(), kind: ObjectKind::Person };
/// assert!(matches!(k, PendingKind::Ground { .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum PendingKind {
    /// A ground position `z` (metres) with covariance `r` (m²).
    Ground {
        /// Position.
        z: Vector2<f64>,
        /// Covariance.
        r: Matrix2<f64>,
        /// What kind of object.
        kind: ObjectKind,
    },
    /// An empty-frame marker.
    Empty,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ByTime(Pending);

impl PartialEq for ByTime {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for ByTime {}
impl PartialOrd for ByTime {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for ByTime {
    // Reversed: BinaryHeap is a max-heap and we want the earliest first.
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.t_s
            .total_cmp(&self.0.t_s)
            .then(o.0.camera.cmp(&self.0.camera))
            .then(o.0.seq.cmp(&self.0.seq))
    }
}

/// Holds detections until their capture time is old enough to be released
/// in order.
///
/// ```
/// use fusetrack::reorder::{Pending, PendingKind, ReorderBuffer};
/// use fusetrack::CameraId;
/// let mut b = ReorderBuffer::default();
/// for (t, cam) in [(2.0, 0), (1.0, 1), (1.0, 0)] {
///     b.push(Pending { t_s: t, rx_s: 2.0, camera: CameraId(cam), seq: 0, kind: PendingKind::Empty });
/// }
/// assert_eq!(b.earliest_t_s(), Some(1.0));
/// let mut out = Vec::new();
/// b.pop_time(&mut out);
/// let cams: Vec<u32> = out.iter().map(|p| p.camera.0).collect();
/// assert_eq!(cams, vec![0, 1]); // same instant, camera order
/// assert_eq!(b.len(), 1);
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReorderBuffer {
    heap: BinaryHeap<ByTime>,
}

impl ReorderBuffer {
    /// Adds an entry. Entries may be pushed in any order; they leave in
    /// capture-time order.
    ///
    /// ```
    /// use fusetrack::reorder::{Pending, PendingKind, ReorderBuffer};
    /// use fusetrack::CameraId;
    /// let mut b = ReorderBuffer::default();
    /// let at = |t_s: f64| Pending { t_s, rx_s: 5.0, camera: CameraId(0), seq: 0, kind: PendingKind::Empty };
    /// b.push(at(4.5));
    /// b.push(at(3.0)); // arrived later, captured earlier
    /// assert_eq!(b.len(), 2);
    /// assert_eq!(b.earliest_t_s(), Some(3.0));
    /// ```
    pub fn push(&mut self, p: Pending) {
        self.heap.push(ByTime(p));
    }
    /// Capture time of the earliest entry, seconds; `None` when empty. The
    /// tracker releases it once the arrival clock is `max_lateness_s` past it.
    ///
    /// ```
    /// use fusetrack::reorder::{Pending, PendingKind, ReorderBuffer};
    /// use fusetrack::CameraId;
    /// let mut b = ReorderBuffer::default();
    /// assert_eq!(b.earliest_t_s(), None);
    /// for t_s in [2.4, 2.2, 2.6] {
    ///     b.push(Pending { t_s, rx_s: 2.7, camera: CameraId(0), seq: 0, kind: PendingKind::Empty });
    /// }
    /// assert_eq!(b.earliest_t_s(), Some(2.2));
    /// ```
    pub fn earliest_t_s(&self) -> Option<f64> {
        self.heap.peek().map(|b| b.0.t_s)
    }
    /// Number of entries held.
    ///
    /// ```
    /// use fusetrack::reorder::{Pending, PendingKind, ReorderBuffer};
    /// use fusetrack::CameraId;
    /// let mut b = ReorderBuffer::default();
    /// for (cam, t_s) in [(0, 1.0), (1, 1.0), (0, 1.1)] {
    ///     b.push(Pending { t_s, rx_s: 1.2, camera: CameraId(cam), seq: 0, kind: PendingKind::Empty });
    /// }
    /// assert_eq!(b.len(), 3);
    /// b.pop_time(&mut Vec::new()); // releases the two entries at 1.0 s
    /// assert_eq!(b.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.heap.len()
    }
    /// True when nothing is held.
    ///
    /// ```
    /// use fusetrack::reorder::{Pending, PendingKind, ReorderBuffer};
    /// use fusetrack::CameraId;
    /// let mut b = ReorderBuffer::default();
    /// assert!(b.is_empty());
    /// b.push(Pending { t_s: 0.5, rx_s: 0.6, camera: CameraId(0), seq: 0, kind: PendingKind::Empty });
    /// assert!(!b.is_empty());
    /// b.pop_time(&mut Vec::new());
    /// assert!(b.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
    /// Moves every entry with the earliest capture time into `out` (cleared
    /// first), ordered by camera then arrival; returns that time, or `None`
    /// (and `out` empty) when nothing is held.
    ///
    /// ```
    /// use fusetrack::reorder::{Pending, PendingKind, ReorderBuffer};
    /// use fusetrack::CameraId;
    /// let mut b = ReorderBuffer::default();
    /// // (capture time, camera, arrival sequence number)
    /// for (t_s, cam, seq) in [(1.0, 1, 0), (0.9, 0, 1), (1.0, 0, 3), (1.0, 0, 2)] {
    ///     b.push(Pending { t_s, rx_s: 1.2, camera: CameraId(cam), seq, kind: PendingKind::Empty });
    /// }
    /// let mut out = Vec::new();
    /// assert_eq!(b.pop_time(&mut out), Some(0.9));
    /// assert_eq!(out.len(), 1);
    /// assert_eq!(b.pop_time(&mut out), Some(1.0));
    /// let order: Vec<(u32, u64)> = out.iter().map(|p| (p.camera.0, p.seq)).collect();
    /// assert_eq!(order, [(0, 2), (0, 3), (1, 0)]);
    /// assert_eq!(b.pop_time(&mut out), None);
    /// assert!(out.is_empty());
    /// ```
    pub fn pop_time(&mut self, out: &mut Vec<Pending>) -> Option<f64> {
        out.clear();
        let t = self.earliest_t_s()?;
        while let Some(top) = self.heap.peek() {
            if top.0.t_s != t {
                break;
            }
            if let Some(ByTime(p)) = self.heap.pop() {
                out.push(p);
            }
        }
        Some(t)
    }
}
