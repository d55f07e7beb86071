//! The reorder buffer: detections arrive in arrival order, frames leave in
//! capture-time order.
//!
//! The unit held in order is a camera frame (one camera, one capture time),
//! not a detection: a frame's detections are appended to its bucket, and only
//! the buckets' small keys go through a priority queue, so a push is normally
//! an append and a release costs one queue operation per frame.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use nalgebra::{Matrix2, Vector2};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// The capture time as a key: `-0.0` is keyed as `0.0` (they compare equal,
/// so they are one instant); anything else, NaN included, as it is, ordered
/// by [`f64::total_cmp`].
fn key_time(t_s: f64) -> f64 {
    if t_s == 0.0 { 0.0 } else { t_s }
}

/// Release order: capture time, then camera, then arrival.
fn release_order(a: &Pending, b: &Pending) -> Ordering {
    key_time(a.t_s)
        .total_cmp(&key_time(b.t_s))
        .then(a.camera.cmp(&b.camera))
        .then(a.seq.cmp(&b.seq))
}

/// The entries of one camera frame (one camera, one capture time). Empty
/// when on the free list; its `items` keep their capacity for reuse.
#[derive(Debug, Clone)]
struct Bucket {
    /// Capture time, as [`key_time`].
    t_s: f64,
    camera: CameraId,
    /// In push order.
    items: Vec<Pending>,
}

/// A held bucket in the queue.
#[derive(Debug, Clone, Copy)]
struct Key {
    /// Capture time, as [`key_time`].
    t_s: f64,
    camera: CameraId,
    /// Index into [`ReorderBuffer::buckets`].
    bucket: usize,
}

impl PartialEq for Key {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    // Reversed: BinaryHeap is a max-heap and we want the earliest first.
    fn cmp(&self, o: &Self) -> Ordering {
        o.t_s.total_cmp(&self.t_s).then(o.camera.cmp(&self.camera)).then(o.bucket.cmp(&self.bucket))
    }
}

/// Cameras with an index below this have their open bucket remembered
/// (a table of this many entries at most); others rely on the last bucket
/// pushed to, which covers a frame's lines arriving together.
const DIRECT_CAMERAS: usize = 1 << 16;

/// No bucket.
const NONE: usize = usize::MAX;

/// Holds detections until their capture time is old enough to be released
/// in order.
///
/// Detections are grouped by camera frame (camera and capture time): a push
/// appends to the frame's bucket, found in O(1) as the bucket last pushed to
/// or the camera's latest frame, and opens a new bucket otherwise; only
/// buckets go through the priority queue. Buckets are pooled, so in steady
/// state neither pushing nor releasing allocates. A push may come in any
/// order (an earlier time than the camera's latest gets a bucket of its own)
/// and the release order stays exact.
///
/// A snapshot (serde) holds the entries alone, in release order, as a field
/// `heap` (the layout of earlier versions, whose snapshots still load).
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
#[derive(Debug, Clone, Default)]
pub struct ReorderBuffer {
    /// Pool of buckets: those in `keys` hold entries, those in `free` are
    /// empty.
    buckets: Vec<Bucket>,
    /// Empty buckets, for reuse.
    free: Vec<usize>,
    /// One key per bucket holding entries.
    keys: BinaryHeap<Key>,
    /// Per camera index (below [`DIRECT_CAMERAS`]): the bucket of its latest
    /// capture time, or [`NONE`]. A hint, checked on use (the bucket may
    /// since have been released, or reused).
    open: Vec<usize>,
    /// The bucket last pushed to (a hint, checked on use).
    last: usize,
    /// Entries held.
    len: usize,
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
        let t_s = key_time(p.t_s);
        self.len += 1;
        // A frame's lines usually arrive together.
        if self.holds(self.last, t_s, p.camera) {
            self.buckets[self.last].items.push(p);
            return;
        }
        let cam = p.camera.index();
        let open = self.open.get(cam).copied().unwrap_or(NONE);
        let mut newest = true;
        if let Some(b) = self.buckets.get_mut(open) {
            if b.camera == p.camera && !b.items.is_empty() {
                match t_s.total_cmp(&b.t_s) {
                    Ordering::Equal => {
                        b.items.push(p);
                        self.last = open;
                        return;
                    }
                    // Older than the camera's latest frame: a bucket of its own.
                    Ordering::Less => newest = false,
                    Ordering::Greater => {}
                }
            }
        }
        let i = self.new_bucket(t_s, p);
        self.last = i;
        if newest && cam < DIRECT_CAMERAS {
            if self.open.len() <= cam {
                self.open.resize(cam + 1, NONE);
            }
            self.open[cam] = i;
        }
    }

    /// Whether bucket `i` holds entries of `camera` at `t_s` (a key time).
    fn holds(&self, i: usize, t_s: f64, camera: CameraId) -> bool {
        self.buckets.get(i).is_some_and(|b| {
            b.camera == camera && !b.items.is_empty() && b.t_s.total_cmp(&t_s).is_eq()
        })
    }

    /// A bucket (from the pool if one is free) holding `p` alone, queued.
    fn new_bucket(&mut self, t_s: f64, p: Pending) -> usize {
        let camera = p.camera;
        let i = match self.free.pop() {
            Some(i) => {
                let b = &mut self.buckets[i];
                b.t_s = t_s;
                b.camera = camera;
                b.items.push(p);
                i
            }
            None => {
                self.buckets.push(Bucket { t_s, camera, items: vec![p] });
                self.buckets.len() - 1
            }
        };
        self.keys.push(Key { t_s, camera, bucket: i });
        i
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
        self.keys.peek().map(|k| k.t_s)
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
        self.len
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
        self.len == 0
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
        let first = self.keys.pop()?;
        let t_s = first.t_s;
        if !self.keys.peek().is_some_and(|k| k.t_s.total_cmp(&t_s).is_eq()) {
            // One bucket holds the whole instant (one camera, or one frame
            // due): hand its buffer over instead of copying it; the bucket
            // keeps `out`'s empty one.
            let b = &mut self.buckets[first.bucket];
            self.len -= b.items.len();
            std::mem::swap(out, &mut b.items);
            self.free.push(first.bucket);
        } else {
            self.drain(first.bucket, out);
            while self.keys.peek().is_some_and(|k| k.t_s.total_cmp(&t_s).is_eq()) {
                if let Some(k) = self.keys.pop() {
                    self.drain(k.bucket, out);
                }
            }
        }
        // Buckets leave in camera order, each in push order: sorted unless
        // a frame was pushed out of sequence order or split over buckets.
        if !out.is_sorted_by(|a, b| (a.camera, a.seq) <= (b.camera, b.seq)) {
            out.sort_by(|a, b| a.camera.cmp(&b.camera).then(a.seq.cmp(&b.seq)));
        }
        Some(t_s)
    }

    /// Moves bucket `i`'s entries to `out` and frees it.
    fn drain(&mut self, i: usize, out: &mut Vec<Pending>) {
        let b = &mut self.buckets[i];
        self.len -= b.items.len();
        out.append(&mut b.items);
        self.free.push(i);
    }

    /// Every entry held, in no particular order (a snapshot's content and
    /// its checks).
    pub(crate) fn entries(&self) -> impl Iterator<Item = &Pending> {
        self.keys.iter().flat_map(|k| &self.buckets[k.bucket].items)
    }
}

impl Serialize for ReorderBuffer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<&Pending> = self.entries().collect();
        entries.sort_by(|a, b| release_order(a, b));
        let mut s = serializer.serialize_struct("ReorderBuffer", 1)?;
        s.serialize_field("heap", &entries)?;
        s.end()
    }
}

/// What a snapshot holds: the entries.
#[derive(Deserialize)]
#[serde(rename = "ReorderBuffer")]
struct Wire {
    heap: Vec<Pending>,
}

impl<'de> Deserialize<'de> for ReorderBuffer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Wire { mut heap } = Wire::deserialize(deserializer)?;
        // In release order, each frame's entries are contiguous: one bucket each.
        heap.sort_by(release_order);
        let mut b = ReorderBuffer::default();
        for p in heap {
            b.push(p);
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small seeded generator (xorshift64*).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn entry(t_s: f64, camera: u32, seq: u64) -> Pending {
        let kind = if seq % 3 == 0 {
            PendingKind::Empty
        } else {
            let z = Vector2::new(seq as f64, -(seq as f64));
            PendingKind::Ground { z, r: Matrix2::identity(), kind: ObjectKind::Person }
        };
        Pending { t_s, rx_s: t_s + 0.01 * seq as f64, camera: CameraId(camera), seq, kind }
    }

    /// The reference: everything in one list, released by sorting.
    #[derive(Default)]
    struct Reference(Vec<Pending>);
    impl Reference {
        fn earliest_t_s(&self) -> Option<f64> {
            self.0.iter().map(|p| key_time(p.t_s)).min_by(f64::total_cmp)
        }
        fn pop_time(&mut self, out: &mut Vec<Pending>) -> Option<f64> {
            out.clear();
            let t = self.earliest_t_s()?;
            let (mut now, rest): (Vec<_>, Vec<_>) =
                self.0.drain(..).partition(|p| key_time(p.t_s).total_cmp(&t).is_eq());
            self.0 = rest;
            now.sort_by(release_order);
            out.extend(now);
            Some(t)
        }
    }

    /// Seeded random pushes: cameras interleaved, frames mostly contiguous,
    /// times per camera mostly non-decreasing (as the tracker pushes) but
    /// sometimes earlier (even already released), detections of one frame
    /// sometimes out of sequence order, releases in between.
    fn random_run(seed: u64, steps: usize, mut check: impl FnMut(&mut ReorderBuffer)) {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let cameras = 1 + rng.below(6) as u32;
        let mut b = ReorderBuffer::default();
        let mut r = Reference::default();
        // Per camera: current frame (in tenths of a second).
        let mut frame: Vec<u64> = (0..cameras).map(|_| rng.below(3)).collect();
        let mut seq = 0u64;
        let (mut out_b, mut out_r) = (Vec::new(), Vec::new());
        for _ in 0..steps {
            let cam = rng.below(cameras as u64) as u32;
            let c = cam as usize;
            match rng.below(20) {
                0..=3 => frame[c] += 1 + rng.below(2),
                4 => {
                    // An earlier time than the camera's open frame.
                    let back = 1 + rng.below(4);
                    let t = frame[c].saturating_sub(back) as f64 * 0.1;
                    let p = entry(t, cam, seq);
                    seq += 1;
                    b.push(p);
                    r.0.push(p);
                }
                5..=7 => {
                    assert_eq!(b.pop_time(&mut out_b), r.pop_time(&mut out_r));
                    assert_eq!(out_b, out_r);
                }
                _ => {
                    // A run of lines of this camera's frame.
                    let t = frame[c] as f64 * 0.1;
                    let n = 1 + rng.below(4);
                    let swap = rng.below(10) == 0;
                    for k in 0..n {
                        // Sequence numbers occasionally out of arrival order.
                        let s = if swap { seq + n - 1 - k } else { seq + k };
                        let p = entry(t, cam, s);
                        b.push(p);
                        r.0.push(p);
                    }
                    seq += n;
                }
            }
            assert_eq!(b.len(), r.0.len());
            assert_eq!(b.is_empty(), r.0.is_empty());
            assert_eq!(b.earliest_t_s(), r.earliest_t_s());
            check(&mut b);
        }
        while let Some(t) = r.pop_time(&mut out_r) {
            assert_eq!(b.pop_time(&mut out_b), Some(t));
            assert_eq!(out_b, out_r);
        }
        assert_eq!(b.pop_time(&mut out_b), None);
        assert!(out_b.is_empty() && b.is_empty());
        assert_eq!(b.len(), 0);
    }

    #[test]
    fn releases_in_reference_order() {
        for seed in 0..200 {
            random_run(seed, 400, |_| {});
        }
    }

    #[test]
    fn serde_round_trip_keeps_the_content() {
        for seed in 0..40 {
            let mut step = 0;
            random_run(seed, 300, |b| {
                step += 1;
                if step % 37 != 0 {
                    return;
                }
                let json = serde_json::to_string(&*b).unwrap();
                let mut back: ReorderBuffer = serde_json::from_str(&json).unwrap();
                assert_eq!(serde_json::to_string(&back).unwrap(), json);
                assert_eq!(back.len(), b.len());
                assert_eq!(back.earliest_t_s(), b.earliest_t_s());
                // Same releases from the copy and from a clone of the original.
                let mut orig = b.clone();
                let (mut x, mut y) = (Vec::new(), Vec::new());
                loop {
                    let t = back.pop_time(&mut x);
                    assert_eq!(orig.pop_time(&mut y), t);
                    assert_eq!(x, y);
                    if t.is_none() {
                        break;
                    }
                }
                // The original goes on (its own checks continue).
            });
        }
    }

    #[test]
    fn snapshot_layout_of_earlier_versions_loads() {
        // `{"heap": [entries in any order]}`.
        let entries = [entry(2.0, 1, 5), entry(1.0, 0, 7), entry(2.0, 0, 6), entry(1.0, 0, 4)];
        let json = format!(r#"{{"heap":{}}}"#, serde_json::to_string(&entries).unwrap());
        let mut b: ReorderBuffer = serde_json::from_str(&json).unwrap();
        assert_eq!(b.len(), 4);
        let mut out = Vec::new();
        assert_eq!(b.pop_time(&mut out), Some(1.0));
        assert_eq!(out.iter().map(|p| p.seq).collect::<Vec<_>>(), [4, 7]);
        assert_eq!(b.pop_time(&mut out), Some(2.0));
        assert_eq!(out.iter().map(|p| p.seq).collect::<Vec<_>>(), [6, 5]);
        assert!(b.is_empty());
    }

    #[test]
    fn steady_state_reuses_buckets() {
        // Three cameras at 10 Hz, 20 frames held, 50 detections a frame.
        let mut b = ReorderBuffer::default();
        let mut out = Vec::new();
        let mut seq = 0;
        let mut pool = 0;
        for f in 0..200u64 {
            for cam in 0..3 {
                for _ in 0..50 {
                    b.push(entry(f as f64 * 0.1, cam, seq));
                    seq += 1;
                }
            }
            if f >= 20 {
                assert!(b.pop_time(&mut out).is_some());
                assert_eq!(out.len(), 150);
            }
            if f == 30 {
                pool = b.buckets.len();
            }
        }
        assert_eq!(pool, 63); // 21 frames x 3 cameras at the most
        assert_eq!(b.buckets.len(), pool);
        assert!(b.buckets.iter().all(|k| k.items.capacity() >= 50));
    }

    #[test]
    fn frames_interleaved_line_by_line_share_a_bucket() {
        let mut b = ReorderBuffer::default();
        for seq in 0..30 {
            b.push(entry(1.0, (seq % 3) as u32, seq));
        }
        assert_eq!(b.keys.len(), 3);
        // A push for an earlier time leaves the camera's latest frame open.
        b.push(entry(2.0, 0, 30));
        b.push(entry(0.5, 0, 31));
        b.push(entry(2.0, 1, 32));
        b.push(entry(2.0, 0, 33));
        assert_eq!(b.keys.len(), 6);
        let mut out = Vec::new();
        assert_eq!(b.pop_time(&mut out), Some(0.5));
        assert_eq!(b.pop_time(&mut out), Some(1.0));
        let order: Vec<(u32, u64)> = out.iter().map(|p| (p.camera.0, p.seq)).collect();
        let mut want = order.clone();
        want.sort();
        assert_eq!(order, want);
        assert_eq!(b.pop_time(&mut out), Some(2.0));
        assert_eq!(out.iter().map(|p| p.seq).collect::<Vec<_>>(), [30, 33, 32]);
    }

    #[test]
    fn odd_times_and_cameras_do_not_panic() {
        let mut b = ReorderBuffer::default();
        let mut out = Vec::new();
        // -0.0 and 0.0 are one instant.
        b.push(entry(0.0, 1, 0));
        b.push(entry(-0.0, 0, 1));
        b.push(entry(f64::NAN, 0, 2));
        b.push(entry(1.0, 0, 3));
        b.push(entry(f64::NAN, 0, 4));
        b.push(entry(-f64::NAN, 2, 5));
        b.push(entry(2.0, u32::MAX, 6));
        b.push(entry(2.0, u32::MAX, 7));
        assert!(b.open.len() <= DIRECT_CAMERAS);
        assert_eq!(b.len(), 8);
        // Negative NaN first, positive NaN last (total order), nothing lost.
        assert!(b.pop_time(&mut out).is_some_and(f64::is_nan));
        assert_eq!(out.iter().map(|p| p.seq).collect::<Vec<_>>(), [5]);
        assert_eq!(b.pop_time(&mut out), Some(0.0));
        assert_eq!(out.iter().map(|p| p.seq).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(b.pop_time(&mut out), Some(1.0));
        assert_eq!(b.pop_time(&mut out), Some(2.0));
        assert_eq!(out.iter().map(|p| p.seq).collect::<Vec<_>>(), [6, 7]);
        assert!(b.pop_time(&mut out).is_some_and(f64::is_nan));
        assert_eq!(out.iter().map(|p| p.seq).collect::<Vec<_>>(), [2, 4]);
        assert_eq!(b.pop_time(&mut out), None);
        assert!(b.is_empty());
    }
}
