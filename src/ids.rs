//! Identifier newtypes.

use serde::{Deserialize, Serialize};

/// Index of a camera in a [`CameraRig`](crate::CameraRig), in the order of
/// `cameras.json`. Cheap to copy; the camera's name is in the rig.
///
/// ```
/// use fusetrack::CameraId;
/// let c = CameraId(3);
/// assert_eq!(c.index(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CameraId(pub u32);

impl CameraId {
    /// The index as `usize`, for indexing per-camera tables laid out in
    /// rig order.
    ///
    /// ```
    /// use fusetrack::CameraId;
    /// let names = ["east", "west", "lobby"];
    /// assert_eq!(names.get(CameraId(2).index()), Some(&"lobby"));
    /// ```
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Identifier of a track: unique within one tracker's run, never reused.
///
/// ```
/// use fusetrack::TrackId;
/// assert!(TrackId(1) < TrackId(2));
/// assert_eq!(TrackId(7).to_string(), "7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TrackId(pub u64);

impl std::fmt::Display for TrackId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
