//! What the tracker tells its users: track lifecycle and input health.

use serde::{Deserialize, Serialize};

use crate::ids::{CameraId, TrackId};

/// Why a track ended.
///
/// ```
/// use fusetrack::{EndReason, TrackId};
/// let r = EndReason::Merged { into: TrackId(3) };
/// assert_ne!(r, EndReason::Unobserved);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EndReason {
    /// A tentative track was not confirmed in time.
    NotConfirmed,
    /// Unobserved for too long (inside or outside coverage).
    Unobserved,
    /// Its position became too uncertain.
    TooUncertain,
    /// It was a duplicate of another track and was merged into it.
    Merged {
        /// The track that absorbed it.
        into: TrackId,
    },
    /// Its filter failed numerically.
    NumericalFailure,
}

/// An event raised by the tracker, in the order things happened.
///
/// ```
/// use fusetrack::{Event, TrackId};
/// let e = Event::TrackConfirmed { track: TrackId(1), t_s: 2.0 };
/// assert_eq!(e.track(), Some(TrackId(1)));
/// assert_eq!(e.t_s(), 2.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// A tentative track was started from an unassociated detection.
    TrackBorn {
        /// The new track.
        track: TrackId,
        /// Capture time of its first detection, seconds.
        t_s: f64,
        /// Where, metres.
        position_m: [f64; 2],
    },
    /// A tentative track got enough hits and is now reported.
    TrackConfirmed {
        /// The track.
        track: TrackId,
        /// Capture time of the confirming detection, seconds.
        t_s: f64,
    },
    /// A track was updated with a detection from a camera.
    TrackUpdated {
        /// The track.
        track: TrackId,
        /// Capture time of the detection, seconds.
        t_s: f64,
        /// The camera.
        camera: CameraId,
    },
    /// A confirmed track has not been observed for `coast_after_s` and coasts.
    TrackLost {
        /// The track.
        track: TrackId,
        /// Capture time at which it was declared lost, seconds.
        t_s: f64,
    },
    /// A coasting track was observed again.
    TrackRecovered {
        /// The track.
        track: TrackId,
        /// Capture time of the detection, seconds.
        t_s: f64,
    },
    /// A track ended; its id is never used again in this run.
    TrackEnded {
        /// The track.
        track: TrackId,
        /// Capture time at which it ended, seconds.
        t_s: f64,
        /// Why.
        reason: EndReason,
        /// Whether it had been confirmed (reported to users) before.
        was_confirmed: bool,
    },
    /// A detection arrived after its frame's time had been processed and
    /// could not be used (dropped by policy, older than `max_oosm_age_s` or
    /// than the kept history). Late detections that were used count in
    /// [`TrackerStats::late_used`](crate::TrackerStats::late_used).
    LateDetection {
        /// The camera.
        camera: CameraId,
        /// Its capture time, seconds.
        t_s: f64,
        /// Its arrival time, seconds.
        rx_s: f64,
    },
    /// A camera has sent nothing (not even empty-frame markers) for several
    /// of its frame intervals: its coverage no longer counts as observed.
    CameraDown {
        /// The camera.
        camera: CameraId,
        /// Arrival time of its last frame, seconds.
        last_rx_s: f64,
        /// Arrival-clock time at which it was declared down, seconds.
        rx_s: f64,
    },
    /// A camera reported down sends again.
    CameraUp {
        /// The camera.
        camera: CameraId,
        /// Arrival time of the frame that brought it back, seconds.
        rx_s: f64,
    },
    /// A camera's detections consistently lead or lag the tracks fed by the
    /// other cameras, as if its clock were off by `offset_s` (camera clock
    /// minus true time), or it has come back within bounds (`suspect` false).
    CameraClockOffset {
        /// The camera.
        camera: CameraId,
        /// Estimated offset, seconds.
        offset_s: f64,
        /// True when the offset exceeds `clock_offset_alarm_s`.
        suspect: bool,
        /// Arrival-clock time of the report, seconds.
        rx_s: f64,
    },
    /// A detection repeated one already received (same camera, time and
    /// box); it was counted and ignored.
    DuplicateDetection {
        /// The camera.
        camera: CameraId,
        /// Its capture time, seconds.
        t_s: f64,
    },
}

impl Event {
    /// The track the event is about, if any: `Some` for the track lifecycle
    /// events, `None` for input and camera health events.
    ///
    /// ```
    /// use fusetrack::{CameraId, EndReason, Event, TrackId};
    /// let events = [
    ///     Event::TrackBorn { track: TrackId(4), t_s: 1.0, position_m: [2.0, 3.0] },
    ///     Event::CameraUp { camera: CameraId(1), rx_s: 1.1 },
    ///     Event::TrackEnded {
    ///         track: TrackId(4),
    ///         t_s: 9.5,
    ///         reason: EndReason::Merged { into: TrackId(2) },
    ///         was_confirmed: false,
    ///     },
    /// ];
    /// // The history of track 4, ignoring camera events.
    /// let of_4: Vec<f64> =
    ///     events.iter().filter(|e| e.track() == Some(TrackId(4))).map(|e| e.t_s()).collect();
    /// assert_eq!(of_4, [1.0, 9.5]);
    /// assert_eq!(events[1].track(), None);
    /// ```
    pub fn track(&self) -> Option<TrackId> {
        match *self {
            Event::TrackBorn { track, .. }
            | Event::TrackConfirmed { track, .. }
            | Event::TrackUpdated { track, .. }
            | Event::TrackLost { track, .. }
            | Event::TrackRecovered { track, .. }
            | Event::TrackEnded { track, .. } => Some(track),
            Event::LateDetection { .. }
            | Event::DuplicateDetection { .. }
            | Event::CameraDown { .. }
            | Event::CameraUp { .. }
            | Event::CameraClockOffset { .. } => None,
        }
    }

    /// The capture time the event refers to, seconds (for camera health
    /// events, the arrival-clock time).
    ///
    /// ```
    /// use fusetrack::{CameraId, Event, TrackId};
    /// // A late detection is dated by its capture time, not its arrival...
    /// let late = Event::LateDetection { camera: CameraId(2), t_s: 10.0, rx_s: 11.3 };
    /// assert_eq!(late.t_s(), 10.0);
    /// // ... a camera going down by the arrival clock when it was noticed.
    /// let down = Event::CameraDown { camera: CameraId(2), last_rx_s: 11.3, rx_s: 12.5 };
    /// assert_eq!(down.t_s(), 12.5);
    /// let lost = Event::TrackLost { track: TrackId(1), t_s: 7.25 };
    /// assert_eq!(lost.t_s(), 7.25);
    /// ```
    pub fn t_s(&self) -> f64 {
        match *self {
            Event::TrackBorn { t_s, .. }
            | Event::TrackConfirmed { t_s, .. }
            | Event::TrackUpdated { t_s, .. }
            | Event::TrackLost { t_s, .. }
            | Event::TrackRecovered { t_s, .. }
            | Event::TrackEnded { t_s, .. }
            | Event::LateDetection { t_s, .. }
            | Event::DuplicateDetection { t_s, .. } => t_s,
            Event::CameraDown { rx_s, .. }
            | Event::CameraUp { rx_s, .. }
            | Event::CameraClockOffset { rx_s, .. } => rx_s,
        }
    }
}
