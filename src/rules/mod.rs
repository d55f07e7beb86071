//! Zones, rules and alerts: what turns tracks into "someone climbed in
//! through the window at 23:50", seconds after the first evidence, once.
//!
//! - [`SceneRules`]: the scene's `scene.json` (schema below), checked;
//! - [`AlertEngine`]: judges the tracker's tracks after every step and
//!   raises [`Alert`]s, once per incident, with an `ended` notice;
//! - [`AlertSink`]: where alerts go (closures, channels,
//!   [`AlertsJsonlWriter`] for `alerts.jsonl`);
//! - [`NormalityModel`]: where tracks usually go and which way, learned
//!   from earlier recordings, for `unusual_movement` rules;
//! - scoring against `incidents.jsonl`: [`metrics::alerts`](crate::metrics::alerts).
//!
//! # `scene.json`, version 1
//!
//! The schema belongs to fusetrack. Unknown fields are refused (a typo in a
//! rule must not silently disable it), and so is any `version` but 1.
//! Units are in the field names; coordinates are world metres.
//!
//! ```json
//! {
//!   "version": 1,
//!   "clock": { "start_time_of_day": "23:10:00" },
//!   "hysteresis": { "exit_hold_s": 1.0, "exit_margin_m": 0.5, "tripwire_margin_m": 0.3,
//!                   "hold_s": 1.0, "speed_sigmas": 1.0 },
//!   "zones": [
//!     { "name": "jewel-room", "polygon": [[10, 6], [20, 6], [20, 20], [10, 20]] },
//!     { "name": "window", "polygon": [[29, 13], [31, 13], [31, 15], [29, 15]] },
//!     { "name": "display-case", "polygon": [[13.5, 13.5], [17, 13.5], [17, 17], [13.5, 17]],
//!       "schedule": ["18:00-08:00"] },
//!     { "name": "loading-bay", "polygon": [[40, 0], [52, 0], [52, 6], [40, 6]] }
//!   ],
//!   "tripwires": [
//!     { "name": "window-sill", "from": [30, 12.6], "to": [30, 15.4] }
//!   ],
//!   "rules": [
//!     { "name": "climbing-in", "severity": "critical", "kind": "tripwire_crossed",
//!       "tripwire": "window-sill", "direction": "right_to_left", "schedule": ["18:00-08:00"] },
//!     { "name": "jewel-room-via-window", "severity": "critical", "kind": "zone_entry",
//!       "zone": "jewel-room", "from_zone": ["window"], "from_within_s": 30 },
//!     { "name": "lingering-at-case", "severity": "high", "kind": "loitering",
//!       "zone": "display-case", "for_s": 8, "objects": ["person"] },
//!     { "name": "running", "severity": "medium", "kind": "running",
//!       "min_speed_m_per_s": 2.2, "for_s": 1.0, "zone": "jewel-room" },
//!     { "name": "van-at-night", "severity": "high", "kind": "vehicle_stopped",
//!       "zone": "loading-bay", "max_speed_m_per_s": 0.5, "for_s": 20, "schedule": ["22:00-06:00"] },
//!     { "name": "crowding", "severity": "medium", "kind": "converging",
//!       "min_tracks": 3, "radius_m": 4, "min_closing_speed_m_per_s": 0.3, "for_s": 2 },
//!     { "name": "odd-path", "severity": "low", "kind": "unusual_movement",
//!       "model": "normality.json", "threshold_nats": 9.0, "window_s": 5 },
//!     { "name": "person-in-bay-at-night", "severity": "high", "alert": "intrusion",
//!       "kind": "all_of", "schedule": ["22:00-06:00"], "objects": ["person"],
//!       "conditions": [
//!         { "kind": "zone_entry", "zone": "loading-bay" },
//!         { "kind": "any_of", "conditions": [
//!           { "kind": "running", "min_speed_m_per_s": 2.0 },
//!           { "kind": "loitering", "zone": "loading-bay", "for_s": 30 } ] } ] }
//!   ]
//! }
//! ```
//!
//! ## Top level
//! - `version` (required): `1`.
//! - `clock.start_time_of_day`: the time of day, `"HH:MM[:SS]"`, of scene
//!   time `t = 0 s`. Time of day of `t` = `(start + t) mod 24 h` (negative
//!   `t` counts back). Default `"00:00:00"`. See [`SceneClock`].
//! - `hysteresis`: see [`Hysteresis`]; every field optional.
//! - `zones`: `name` (unique), `polygon` (`[[x, y], ...]`, at least 3
//!   points, not self-intersecting; a point on the border is inside),
//!   optional `schedule`: conditions about the zone hold only while the
//!   schedule is active.
//! - `tripwires`: `name` (unique), `from`, `to` (metres). "Left" is the
//!   left-hand side walking from `from` to `to`.
//! - `rules`: see below.
//!
//! A **schedule** is a list of daily windows `"HH:MM[:SS]-HH:MM[:SS]"`; a
//! window whose end is before its start crosses midnight (`"22:00-06:00"`);
//! the start is inside, the end is not; `"00:00-24:00"` is the whole day.
//!
//! ## Rules and conditions
//! A rule is `name` (unique), `severity` (`low`, `medium`, `high`,
//! `critical`), optional `alert` (the `kind` written in `alerts.jsonl`;
//! default: from the condition that raised it, `zone_entry` writing
//! `zone_entered`) and a **condition**: `kind` plus the fields of that kind.
//! Every condition (a rule's own, or a sub-condition of `all_of` /
//! `any_of`) may also have:
//! - `schedule`: holds only while the schedule is active;
//! - `objects`: holds only for tracks of these kinds (`person`, `vehicle`);
//! - `for_s`: must have held continuously for this long, seconds, before it
//!   counts.
//!
//! | kind | fields (required in bold) | holds while |
//! | --- | --- | --- |
//! | `zone_entry` | **`zone`**, `from_zone` (a name or a list), `from_within_s` (5) | the track is in the zone, having entered it (or appeared in it); with `from_zone`, only if at that moment it was in one of those zones or had left one at most `from_within_s` before |
//! | `tripwire_crossed` | **`tripwire`**, **`direction`** (`left_to_right`, `right_to_left`, `any`) | the track crossed the line that way and has not crossed back (with `any`, each crossing is a new incident) |
//! | `loitering` | **`zone`**, **`for_s`** | the track has been in the zone for `for_s` |
//! | `running` | **`min_speed_m_per_s`**, `zone`, `for_s` (1) | the filtered speed, less `speed_sigmas` standard deviations, has been at least the threshold for `for_s` (noise: a dip below ends an episode not yet established) |
//! | `vehicle_stopped` | **`zone`**, **`for_s`**, `max_speed_m_per_s` (0.5) | a vehicle track in the zone has had a filtered speed at most the threshold for `for_s` |
//! | `converging` | **`min_tracks`** (>= 2), **`radius_m`**, `min_closing_speed_m_per_s` (0.2), `zone` | at least `min_tracks` tracks, this one included, are within `radius_m` of its position and every other one moves towards that point at that speed or more (its velocity along the direction to the point, less `speed_sigmas` deviations) |
//! | `unusual_movement` | **`model`** (a file path, relative to `scene.json`, or the model inline), **`threshold_nats`**, `window_s` (5) | the mean surprise of the track's samples over the last `window_s` (at least half covered) is above the threshold; a track is sampled every `sample_period_s` of the model once it is [`MIN_SAMPLED_AGE_S`] old and its velocity is known to [`MAX_SAMPLED_SPEED_STD_M_PER_S`] |
//! | `all_of` | **`conditions`** | every sub-condition holds; the episode starts when the last one started |
//! | `any_of` | **`conditions`** | some sub-condition holds; the episode starts with the earliest holding one |
//!
//! A field that does not apply to the kind is refused, as is an unknown
//! kind, a zone or tripwire that does not exist, a schedule that does not
//! parse, a number out of range. Errors name the file, the field path and
//! the rule:
//!
//! ```text
//! scene.json: field `rules[2].zone`: rule "jewel-after-hours": unknown zone "jewel-rom"
//! ```
//!
//! # Alerts
//! An [`Alert`] is raised **once** per rule, track and episode: when the
//! rule's condition starts holding (after its `for_s`). Its `t_s` is the
//! capture time of the first evidence (when the track entered the zone,
//! crossed the line, started running: the start of the episode), `x`, `y`
//! the track's position then, `emitted_s` the tracker's arrival clock
//! ([`Tracker::now_rx_s`](crate::Tracker::now_rx_s)) at the step that made
//! it certain. When the condition stops holding, or the track ends, an
//! `ended` notice follows ([`AlertPhase::Ended`]).
//!
//! **Hysteresis** ([`Hysteresis`]) keeps noise at a border from repeating
//! alerts: a track is in a zone from the first state inside, and out again
//! only once it has been outside for more than `exit_hold_s` (1 s) or is
//! more than `exit_margin_m` (0.5 m) beyond the border; a track changes side
//! of a tripwire only once it is `tripwire_margin_m` (0.3 m) past the
//! line; a speed or score condition, once established, ends only after
//! failing for more than `hold_s` (1 s).
//!
//! Only reported tracks (confirmed, currently observed) are judged; a
//! coasting track keeps its open incidents until it is seen again or ends.
//! A `converging` group raises one alert: a member whose neighbour within
//! `radius_m` already has the rule's incident open does not raise again.
//!
//! ```
//! use fusetrack::rules::{AlertEngine, SceneRules};
//! use fusetrack::Location;
//! let text = r#"{"version": 1, "clock": {"start_time_of_day": "23:10:00"},
//!   "zones": [{"name": "vault", "polygon": [[0, 0], [4, 0], [4, 4], [0, 4]], "schedule": ["22:00-06:00"]}],
//!   "rules": [{"name": "vault-at-night", "severity": "critical", "kind": "zone_entry", "zone": "vault"}]}"#;
//! let rules = SceneRules::from_json_str(text, &Location::file("scene.json"))?;
//! let engine = AlertEngine::new(rules);
//! assert_eq!(engine.scene().rules()[0].name, "vault-at-night");
//! # Ok::<(), fusetrack::Error>(())
//! ```

mod engine;
mod normality;
mod scene;
mod schedule;
mod sink;

pub use engine::{
    Alert, AlertEngine, AlertPhase, MAX_SAMPLED_SPEED_STD_M_PER_S, MIN_SAMPLED_AGE_S,
};
pub use normality::{DIRECTION_BINS, MAX_CELLS, NormalityModel};
pub use scene::{
    Condition, ConditionKind, CrossingDirection, Hysteresis, Rule, SCENE_VERSION, SceneRules,
    Severity, Tripwire, Zone,
};
pub use schedule::{DAY_S, DailyWindow, SceneClock, Schedule, TimeOfDay};
pub use sink::{AlertSink, AlertsJsonlWriter};
