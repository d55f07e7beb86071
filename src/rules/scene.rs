//! `scene.json`: zones, tripwires and rules, parsed and checked.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::normality::NormalityModel;
use super::schedule::{SceneClock, Schedule};
use crate::config::ObjectKind;
use crate::error::{Error, Location, Result};
use crate::geometry::Polygon;

/// The only `scene.json` version this build reads; a file with another
/// `version` is refused with an error that says which one.
///
/// ```
/// use fusetrack::rules::{SceneRules, SCENE_VERSION};
/// use fusetrack::Location;
/// let ok = format!(r#"{{"version": {SCENE_VERSION}}}"#);
/// assert!(SceneRules::from_json_str(&ok, &Location::none()).is_ok());
/// let newer = format!(r#"{{"version": {}}}"#, SCENE_VERSION + 1);
/// let e = SceneRules::from_json_str(&newer, &Location::file("scene.json")).unwrap_err();
/// assert!(e.to_string().contains("unsupported scene.json version 2"));
/// ```
pub const SCENE_VERSION: u32 = 1;

/// How bad an alert is.
///
/// ```
/// use fusetrack::rules::Severity;
/// assert!(Severity::Critical > Severity::High);
/// assert_eq!(Severity::Medium.as_str(), "medium");
/// assert_eq!(serde_json::to_string(&Severity::Low).unwrap(), "\"low\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look when convenient.
    Low,
    /// Worth a look soon.
    Medium,
    /// Look now.
    High,
    /// Look now and call someone.
    Critical,
}

impl Severity {
    /// The name used in the files (`low`, `medium`, `high`, `critical`).
    ///
    /// ```
    /// use fusetrack::rules::Severity;
    /// assert_eq!(Severity::Critical.as_str(), "critical");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way across a [`Tripwire`] a rule is about. "Left" is the left-hand
/// side for someone walking along the tripwire from its `from` end to its
/// `to` end (in a right-handed world seen from above: the side where
/// `cross(to - from, p - from) > 0`).
///
/// ```
/// use fusetrack::rules::CrossingDirection;
/// let d: CrossingDirection = serde_json::from_str("\"right_to_left\"").unwrap();
/// assert_eq!(d, CrossingDirection::RightToLeft);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrossingDirection {
    /// From the left side to the right side.
    LeftToRight,
    /// From the right side to the left side.
    RightToLeft,
    /// Either way.
    Any,
}

/// Hysteresis settings: how the engine keeps noise at a border from
/// turning into a stream of alerts (`hysteresis` block of `scene.json`).
///
/// ```
/// use fusetrack::rules::Hysteresis;
/// let h = Hysteresis::default();
/// assert_eq!((h.exit_hold_s, h.exit_margin_m), (1.0, 0.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Hysteresis {
    /// A track that was inside a zone counts as still inside until it has
    /// been outside for longer than this, seconds...
    pub exit_hold_s: f64,
    /// ... or is farther than this outside the border, metres.
    pub exit_margin_m: f64,
    /// A track changes side of a tripwire once it is this far past the
    /// line, metres (the crossing time is when it first passed the line).
    pub tripwire_margin_m: f64,
    /// A speed condition (running, stopped, converging) and an unusual
    /// movement score, once raised, end only after failing for longer than
    /// this, seconds.
    pub hold_s: f64,
    /// `running` and `converging` judge a speed by its filtered value less
    /// this many standard deviations (from the track's velocity
    /// covariance, along its direction of motion), so that a track built
    /// from a few far-apart detections, whose velocity is a guess, does not
    /// count as fast.
    pub speed_sigmas: f64,
}

impl Default for Hysteresis {
    fn default() -> Self {
        Self {
            exit_hold_s: 1.0,
            exit_margin_m: 0.5,
            tripwire_margin_m: 0.3,
            hold_s: 1.0,
            speed_sigmas: 1.0,
        }
    }
}

/// A named ground polygon, optionally armed only during a schedule.
///
/// ```
/// use fusetrack::rules::SceneRules;
/// let s = SceneRules::from_json_str(r#"{"version": 1, "zones": [
///   {"name": "vault", "polygon": [[0, 0], [2, 0], [2, 2], [0, 2]], "schedule": ["22:00-06:00"]}]}"#,
///   &fusetrack::Location::none())?;
/// assert_eq!(s.zones()[0].name, "vault");
/// assert!(s.zones()[0].schedule.is_some());
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Zone {
    /// Its name (unique in the scene).
    pub name: String,
    /// Its outline, metres (a point on the border is inside).
    pub polygon: Polygon,
    /// When set, conditions on this zone hold only while it is active.
    pub schedule: Option<Schedule>,
}

impl Zone {
    /// A zone with no schedule.
    ///
    /// ```
    /// use fusetrack::geometry::Polygon;
    /// use fusetrack::rules::{Schedule, Zone};
    /// let z = Zone::new("hall", Polygon::new(vec![[0.0, 0.0], [5.0, 0.0], [5.0, 5.0]])?)
    ///     .with_schedule(Schedule::parse(&["20:00-07:00"]).unwrap());
    /// assert!(z.schedule.is_some());
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn new(name: impl Into<String>, polygon: Polygon) -> Self {
        Self { name: name.into(), polygon, schedule: None }
    }
    /// Arms the zone only while `schedule` is active (times of day on the
    /// scene's clock); a zone without a schedule is always armed.
    ///
    /// ```
    /// use fusetrack::geometry::Polygon;
    /// use fusetrack::rules::{SceneClock, Schedule, Zone};
    /// let night = Schedule::parse(&["20:00-07:00"]).unwrap();
    /// let z = Zone::new("hall", Polygon::new(vec![[0.0, 0.0], [5.0, 0.0], [5.0, 5.0]])?)
    ///     .with_schedule(night);
    /// let clock = SceneClock::starting_at("19:00").unwrap();
    /// let s = z.schedule.as_ref().unwrap();
    /// assert!(!s.is_active(&clock, 0.0)); // 19:00: disarmed
    /// assert!(s.is_active(&clock, 3600.0)); // 20:00: armed
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    #[must_use]
    pub fn with_schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = Some(schedule);
        self
    }
}

/// A directed segment on the ground; rules say which crossing direction
/// raises an alert ([`CrossingDirection`]).
///
/// ```
/// use fusetrack::rules::SceneRules;
/// let s = SceneRules::from_json_str(r#"{"version": 1, "tripwires": [
///   {"name": "sill", "from": [30, 13], "to": [30, 15]}]}"#, &fusetrack::Location::none())?;
/// assert_eq!(s.tripwires()[0].to_m, [30.0, 15.0]);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Tripwire {
    /// Its name (unique in the scene).
    pub name: String,
    /// One end, metres.
    pub from_m: [f64; 2],
    /// The other end, metres.
    pub to_m: [f64; 2],
}

impl Tripwire {
    /// A tripwire from `from_m` to `to_m` (metres); "left" is on the left
    /// walking from `from_m` to `to_m`.
    ///
    /// ```
    /// use fusetrack::rules::Tripwire;
    /// assert_eq!(Tripwire::new("gate", [0.0, 0.0], [0.0, 2.0]).from_m, [0.0, 0.0]);
    /// ```
    pub fn new(name: impl Into<String>, from_m: [f64; 2], to_m: [f64; 2]) -> Self {
        Self { name: name.into(), from_m, to_m }
    }
}

/// A rule: a condition on one track and what to call it when it holds.
///
/// ```
/// use fusetrack::rules::{ConditionKind, SceneRules, Severity};
/// let s = SceneRules::from_json_str(r#"{"version": 1,
///   "zones": [{"name": "z", "polygon": [[0, 0], [2, 0], [2, 2]]}],
///   "rules": [{"name": "r", "severity": "high", "kind": "loitering", "zone": "z", "for_s": 30}]}"#,
///   &fusetrack::Location::none())?;
/// let r = &s.rules()[0];
/// assert_eq!((r.name.as_str(), r.severity), ("r", Severity::High));
/// assert!(matches!(r.condition.kind, ConditionKind::Loitering { .. }));
/// assert_eq!(r.condition.for_s, 30.0);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rule {
    /// Its name (unique in the scene); alerts carry it.
    pub name: String,
    /// Severity of its alerts.
    pub severity: Severity,
    /// The alert kind written in `alerts.jsonl`; `None` takes it from the
    /// condition that raised the alert (`zone_entered`, `loitering`, ...).
    pub alert_kind: Option<String>,
    /// What must hold.
    pub condition: Condition,
}

impl Rule {
    /// A rule named `name` raising alerts of `severity` when `condition`
    /// holds.
    ///
    /// ```
    /// use fusetrack::rules::{Condition, ConditionKind, Rule, Severity};
    /// let r = Rule::new("lurking", Severity::Low, Condition::new(ConditionKind::Loitering { zone: "z".into() }).for_s(60.0))
    ///     .with_alert_kind("loitering_long");
    /// assert_eq!(r.alert_kind.as_deref(), Some("loitering_long"));
    /// ```
    pub fn new(name: impl Into<String>, severity: Severity, condition: Condition) -> Self {
        Self { name: name.into(), severity, alert_kind: None, condition }
    }
    /// Sets the alert kind written in `alerts.jsonl` (the `kind` field);
    /// without it the kind is that of the condition (`loitering`, ...).
    ///
    /// ```
    /// use fusetrack::rules::{Condition, ConditionKind, Rule, Severity};
    /// let c = Condition::new(ConditionKind::Loitering { zone: "lobby".into() });
    /// let plain = Rule::new("lobby-loiter", Severity::Low, c.clone());
    /// assert_eq!(plain.alert_kind, None);
    /// let named = Rule::new("lobby-loiter", Severity::Low, c).with_alert_kind("lobby_loitering");
    /// assert_eq!(named.alert_kind.as_deref(), Some("lobby_loitering"));
    /// ```
    #[must_use]
    pub fn with_alert_kind(mut self, kind: impl Into<String>) -> Self {
        self.alert_kind = Some(kind.into());
        self
    }
}

/// A condition on one track: a kind, optional filters, and how long it
/// must hold before it counts.
///
/// ```
/// use fusetrack::rules::{Condition, ConditionKind};
/// let c = Condition::new(ConditionKind::Running { min_speed_m_per_s: 2.5, zone: None }).for_s(1.0);
/// assert_eq!(c.for_s, 1.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Condition {
    /// What is tested.
    pub kind: ConditionKind,
    /// Holds only while this schedule is active.
    pub schedule: Option<Schedule>,
    /// Holds only for tracks of these kinds (`None`: any kind).
    pub objects: Option<Vec<ObjectKind>>,
    /// Must have held continuously this long, seconds, before it counts;
    /// the alert's time is still the start of the episode.
    pub for_s: f64,
}

impl Condition {
    /// A condition of `kind` with no filter and no duration.
    ///
    /// ```
    /// use fusetrack::rules::{Condition, ConditionKind};
    /// let c = Condition::new(ConditionKind::Loitering { zone: "z".into() });
    /// assert!(c.schedule.is_none() && c.objects.is_none() && c.for_s == 0.0);
    /// ```
    pub fn new(kind: ConditionKind) -> Self {
        Self { kind, schedule: None, objects: None, for_s: 0.0 }
    }
    /// Sets the duration, seconds.
    ///
    /// ```
    /// use fusetrack::rules::{Condition, ConditionKind};
    /// assert_eq!(Condition::new(ConditionKind::Loitering { zone: "z".into() }).for_s(8.0).for_s, 8.0);
    /// ```
    #[must_use]
    pub fn for_s(mut self, for_s: f64) -> Self {
        self.for_s = for_s;
        self
    }
}

/// What a [`Condition`] tests on a track. See the [module
/// documentation](crate::rules) for the exact semantics of each.
///
/// ```
/// use fusetrack::rules::ConditionKind;
/// let k = ConditionKind::ZoneEntry { zone: "jewel-room".into(), from_zones: vec!["window".into()], from_within_s: 5.0 };
/// assert_eq!(k.name(), "zone_entry");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ConditionKind {
    /// The track entered `zone` (or appeared in it), and holds while it
    /// stays in; with `from_zones`, only if at the moment of entry it was
    /// in one of them or had left one at most `from_within_s` before.
    ZoneEntry {
        /// The zone.
        zone: String,
        /// Zones it must come from (empty: anywhere).
        from_zones: Vec<String>,
        /// How recently it must have been in a `from_zones` zone, seconds.
        from_within_s: f64,
    },
    /// The track crossed `tripwire` in `direction` and has not crossed back.
    TripwireCrossed {
        /// The tripwire.
        tripwire: String,
        /// The direction that raises the alert.
        direction: CrossingDirection,
    },
    /// The track has stayed in `zone` for the condition's `for_s`.
    Loitering {
        /// The zone.
        zone: String,
    },
    /// The track's filtered speed is at least `min_speed_m_per_s`
    /// (optionally while in `zone`).
    Running {
        /// Speed threshold, m/s.
        min_speed_m_per_s: f64,
        /// Only inside this zone.
        zone: Option<String>,
    },
    /// A vehicle track's filtered speed is at most `max_speed_m_per_s`
    /// inside `zone`.
    VehicleStopped {
        /// The zone where stopping is forbidden.
        zone: String,
        /// Speed below which the vehicle counts as stopped, m/s.
        max_speed_m_per_s: f64,
    },
    /// At least `min_tracks` tracks, this one included, within `radius_m`
    /// of this track's position, every other one of them moving towards
    /// that point at `min_closing_speed_m_per_s` or more.
    Converging {
        /// Group size, this track included (>= 2).
        min_tracks: u32,
        /// Radius around this track, metres.
        radius_m: f64,
        /// Closing speed of each other member, m/s.
        min_closing_speed_m_per_s: f64,
        /// Only inside this zone.
        zone: Option<String>,
    },
    /// The track's mean negative log-probability under a learned
    /// [`NormalityModel`] over the last `window_s` exceeds `threshold_nats`.
    UnusualMovement {
        /// The model.
        model: Box<NormalityModel>,
        /// Where it was loaded from (kept to write the scene back).
        model_path: Option<String>,
        /// Score threshold, nats per sample.
        threshold_nats: f64,
        /// Sliding window, seconds.
        window_s: f64,
    },
    /// Every sub-condition holds; the episode starts when the last of them
    /// started.
    AllOf(Vec<Condition>),
    /// At least one sub-condition holds; the episode starts with the
    /// earliest of those holding.
    AnyOf(Vec<Condition>),
}

impl ConditionKind {
    /// The `kind` string of `scene.json`.
    ///
    /// ```
    /// use fusetrack::rules::ConditionKind;
    /// assert_eq!(ConditionKind::AnyOf(vec![]).name(), "any_of");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            ConditionKind::ZoneEntry { .. } => "zone_entry",
            ConditionKind::TripwireCrossed { .. } => "tripwire_crossed",
            ConditionKind::Loitering { .. } => "loitering",
            ConditionKind::Running { .. } => "running",
            ConditionKind::VehicleStopped { .. } => "vehicle_stopped",
            ConditionKind::Converging { .. } => "converging",
            ConditionKind::UnusualMovement { .. } => "unusual_movement",
            ConditionKind::AllOf(_) => "all_of",
            ConditionKind::AnyOf(_) => "any_of",
        }
    }

    /// The alert kind written when this condition raises an alert
    /// (`zone_entered`, `tripwire_crossed`, `loitering`, `running`,
    /// `vehicle_stopped`, `converging`, `unusual_movement`).
    ///
    /// ```
    /// use fusetrack::rules::ConditionKind;
    /// let k = ConditionKind::ZoneEntry { zone: "z".into(), from_zones: vec![], from_within_s: 5.0 };
    /// assert_eq!(k.alert_kind(), "zone_entered");
    /// ```
    pub fn alert_kind(&self) -> &'static str {
        match self {
            ConditionKind::ZoneEntry { .. } => "zone_entered",
            other => other.name(),
        }
    }

    /// The zone the condition is about, if any.
    ///
    /// ```
    /// use fusetrack::rules::ConditionKind;
    /// assert_eq!(ConditionKind::Loitering { zone: "z".into() }.zone(), Some("z"));
    /// ```
    pub fn zone(&self) -> Option<&str> {
        match self {
            ConditionKind::ZoneEntry { zone, .. }
            | ConditionKind::Loitering { zone }
            | ConditionKind::VehicleStopped { zone, .. } => Some(zone),
            ConditionKind::Running { zone, .. } | ConditionKind::Converging { zone, .. } => {
                zone.as_deref()
            }
            _ => None,
        }
    }
}

/// The contents of a `scene.json`: clock, hysteresis, zones, tripwires and
/// rules, checked (see the [module documentation](crate::rules) for the
/// schema).
///
/// Serialises back to `scene.json` (models of `unusual_movement` rules are
/// written inline); deserialising checks as [`SceneRules::from_json_str`]
/// does, with model paths relative to the working directory.
///
/// ```
/// use fusetrack::rules::SceneRules;
/// let s = SceneRules::load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/museum/scene.json"))?;
/// assert!(s.zone("jewel-room").is_some());
/// let back: SceneRules = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
/// assert_eq!(back, s);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "SceneFile", into = "SceneFile")]
pub struct SceneRules {
    clock: SceneClock,
    hysteresis: Hysteresis,
    zones: Vec<Zone>,
    tripwires: Vec<Tripwire>,
    rules: Vec<Rule>,
}

impl SceneRules {
    /// Rules from their parts; checks them as [`SceneRules::from_json_str`].
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming the entry at fault (no file).
    ///
    /// ```
    /// use fusetrack::rules::{Condition, ConditionKind, Hysteresis, Rule, SceneClock, SceneRules, Severity};
    /// let run = Condition::new(ConditionKind::Running { min_speed_m_per_s: 2.5, zone: Some("hall".into()) });
    /// let rule = Rule::new("run", Severity::Medium, run);
    /// let e = SceneRules::new(SceneClock::default(), Hysteresis::default(), vec![], vec![], vec![rule]).unwrap_err();
    /// assert!(e.to_string().contains("unknown zone \"hall\""));
    /// ```
    pub fn new(
        clock: SceneClock,
        hysteresis: Hysteresis,
        zones: Vec<Zone>,
        tripwires: Vec<Tripwire>,
        rules: Vec<Rule>,
    ) -> Result<Self> {
        let s = Self { clock, hysteresis, zones, tripwires, rules };
        let file = SceneFile::from(s);
        compile(file, &Location::none(), None)
    }

    /// Parses and checks `scene.json` text; `at` names the file in errors
    /// and its folder is where relative model paths are read from.
    ///
    /// # Errors
    /// [`Error::Malformed`] for invalid JSON; [`Error::MissingField`] /
    /// [`Error::InvalidField`] naming the file and the field path (e.g.
    /// `rules[2].zone`) and, inside a rule, the rule's name: an unknown or
    /// missing `version`, an unknown field or rule kind, a polygon with
    /// fewer than 3 points or self-intersecting, a schedule that does not
    /// parse, a rule naming an unknown zone or tripwire, a duplicate name, a
    /// number out of range, a model file that cannot be read.
    ///
    /// ```
    /// use fusetrack::{rules::SceneRules, Location};
    /// let text = r#"{"version": 1,
    ///   "zones": [{"name": "jewel-room", "polygon": [[10, 6], [20, 6], [20, 20], [10, 20]]}],
    ///   "rules": [{"name": "jewel-after-hours", "severity": "high", "kind": "zone_entry", "zone": "jewel-rom"}]}"#;
    /// let e = SceneRules::from_json_str(text, &Location::file("scene.json")).unwrap_err();
    /// assert_eq!(e.to_string(),
    ///     "scene.json: field `rules[0].zone`: rule \"jewel-after-hours\": unknown zone \"jewel-rom\"");
    /// ```
    pub fn from_json_str(text: &str, at: &Location) -> Result<Self> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: Option<serde_json::Value>,
        }
        let v: VersionOnly = serde_json::from_str(text).map_err(|e| Error::Malformed {
            at: Location { file: at.file.clone(), line: (e.line() > 0).then_some(e.line() as u64) },
            reason: e.to_string(),
        })?;
        match v.version {
            None => return Err(Error::MissingField { at: at.clone(), field: "version".into() }),
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(SCENE_VERSION)) => {}
            Some(other) => {
                return Err(Error::InvalidField {
                    at: at.clone(),
                    field: "version".into(),
                    reason: format!(
                        "unsupported scene.json version {other}: this fusetrack reads version {SCENE_VERSION}"
                    ),
                });
            }
        }
        let de = &mut serde_json::Deserializer::from_str(text);
        let file: SceneFile =
            serde_path_to_error::deserialize(de).map_err(|e| schema_error(at, e))?;
        let base = at.file.as_ref().and_then(|f| f.parent()).map(Path::to_path_buf);
        compile(file, at, base.as_deref())
    }

    /// Reads and checks a `scene.json` file.
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; otherwise as
    /// [`SceneRules::from_json_str`] with the file's path.
    ///
    /// ```
    /// use fusetrack::rules::SceneRules;
    /// assert!(SceneRules::load("/nonexistent/scene.json").is_err());
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        Self::from_json_str(&text, &Location::file(path))
    }

    /// The rules as `scene.json` text (pretty-printed).
    ///
    /// ```
    /// use fusetrack::{rules::SceneRules, Location};
    /// let s = SceneRules::from_json_str(r#"{"version": 1}"#, &Location::none())?;
    /// assert!(s.to_json_string().contains("\"version\": 1"));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The scene clock.
    ///
    /// ```
    /// use fusetrack::{rules::SceneRules, Location};
    /// let s = SceneRules::from_json_str(r#"{"version": 1, "clock": {"start_time_of_day": "23:10:00"}}"#, &Location::none())?;
    /// assert_eq!(s.clock().start().to_string(), "23:10:00");
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn clock(&self) -> &SceneClock {
        &self.clock
    }
    /// The hysteresis settings.
    ///
    /// ```
    /// use fusetrack::rules::{Hysteresis, SceneRules};
    /// assert_eq!(*SceneRules::default().hysteresis(), Hysteresis::default());
    /// ```
    pub fn hysteresis(&self) -> &Hysteresis {
        &self.hysteresis
    }
    /// The zones, in file order.
    ///
    /// ```
    /// use fusetrack::rules::SceneRules;
    /// assert!(SceneRules::default().zones().is_empty());
    /// ```
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }
    /// The zone with this name.
    ///
    /// ```
    /// use fusetrack::rules::SceneRules;
    /// assert!(SceneRules::default().zone("x").is_none());
    /// ```
    pub fn zone(&self, name: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.name == name)
    }
    /// The tripwires, in file order.
    ///
    /// ```
    /// use fusetrack::rules::SceneRules;
    /// assert!(SceneRules::default().tripwires().is_empty());
    /// ```
    pub fn tripwires(&self) -> &[Tripwire] {
        &self.tripwires
    }
    /// The rules, in file order.
    ///
    /// ```
    /// use fusetrack::rules::SceneRules;
    /// assert!(SceneRules::default().rules().is_empty());
    /// ```
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

impl TryFrom<SceneFile> for SceneRules {
    type Error = Error;
    fn try_from(f: SceneFile) -> Result<Self> {
        if f.version != SCENE_VERSION {
            return Err(Error::InvalidField {
                at: Location::none(),
                field: "version".into(),
                reason: format!(
                    "unsupported scene.json version {}: this fusetrack reads version {SCENE_VERSION}",
                    f.version
                ),
            });
        }
        compile(f, &Location::none(), None)
    }
}

// ---------------------------------------------------------------------------
// The file as serde sees it
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SceneFile {
    version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clock: Option<ClockJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hysteresis: Option<Hysteresis>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    zones: Vec<ZoneJson>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tripwires: Vec<TripwireJson>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rules: Vec<EntryJson>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockJson {
    start_time_of_day: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneJson {
    name: String,
    /// Unchecked here so that the error can name the zone.
    polygon: Vec<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schedule: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TripwireJson {
    name: String,
    from: [f64; 2],
    to: [f64; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum ModelJson {
    Path(String),
    Inline(Box<NormalityModel>),
}

/// A rule, or a sub-condition of `all_of` / `any_of` (which then has no
/// `name`, `severity` nor `alert`). Every kind-specific field is optional
/// here; [`compile`] checks which ones a kind needs and allows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alert: Option<String>,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schedule: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    objects: Option<Vec<ObjectKind>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    for_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from_zone: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from_within_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tripwire: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    direction: Option<CrossingDirection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_speed_m_per_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_speed_m_per_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_tracks: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    radius_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_closing_speed_m_per_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    model: Option<ModelJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    threshold_nats: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    window_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conditions: Option<Vec<EntryJson>>,
}

/// Default `from_within_s` of `zone_entry`, seconds.
const DEFAULT_FROM_WITHIN_S: f64 = 5.0;
/// Default `for_s` of `running`, seconds.
const DEFAULT_RUNNING_FOR_S: f64 = 1.0;
/// Default `max_speed_m_per_s` of `vehicle_stopped`.
const DEFAULT_STOPPED_SPEED_M_PER_S: f64 = 0.5;
/// Default `min_closing_speed_m_per_s` of `converging`.
const DEFAULT_CLOSING_M_PER_S: f64 = 0.2;
/// Default `window_s` of `unusual_movement`.
const DEFAULT_WINDOW_S: f64 = 5.0;
/// Deepest nesting of `all_of` / `any_of`.
const MAX_DEPTH: usize = 8;

impl From<SceneRules> for SceneFile {
    fn from(s: SceneRules) -> Self {
        let clock = (s.clock != SceneClock::default())
            .then(|| ClockJson { start_time_of_day: s.clock.start().to_string() });
        let hysteresis = (s.hysteresis != Hysteresis::default()).then_some(s.hysteresis);
        SceneFile {
            version: SCENE_VERSION,
            clock,
            hysteresis,
            zones: s
                .zones
                .into_iter()
                .map(|z| ZoneJson {
                    name: z.name,
                    polygon: z.polygon.vertices().to_vec(),
                    schedule: z.schedule.map(Vec::from),
                })
                .collect(),
            tripwires: s
                .tripwires
                .into_iter()
                .map(|t| TripwireJson { name: t.name, from: t.from_m, to: t.to_m })
                .collect(),
            rules: s
                .rules
                .into_iter()
                .map(|r| {
                    let mut e = entry_of(r.condition);
                    e.name = Some(r.name);
                    e.severity = Some(r.severity);
                    e.alert = r.alert_kind;
                    e
                })
                .collect(),
        }
    }
}

fn entry_of(c: Condition) -> EntryJson {
    let mut e = EntryJson {
        kind: c.kind.name().to_string(),
        schedule: c.schedule.map(Vec::from),
        objects: c.objects,
        for_s: (c.for_s != 0.0).then_some(c.for_s),
        ..EntryJson::default()
    };
    match c.kind {
        ConditionKind::ZoneEntry { zone, from_zones, from_within_s } => {
            e.zone = Some(zone);
            if !from_zones.is_empty() {
                e.from_zone = Some(OneOrMany::Many(from_zones));
                e.from_within_s = Some(from_within_s);
            }
        }
        ConditionKind::TripwireCrossed { tripwire, direction } => {
            e.tripwire = Some(tripwire);
            e.direction = Some(direction);
        }
        ConditionKind::Loitering { zone } => e.zone = Some(zone),
        ConditionKind::Running { min_speed_m_per_s, zone } => {
            e.min_speed_m_per_s = Some(min_speed_m_per_s);
            e.zone = zone;
            e.for_s = Some(c.for_s);
        }
        ConditionKind::VehicleStopped { zone, max_speed_m_per_s } => {
            e.zone = Some(zone);
            e.max_speed_m_per_s = Some(max_speed_m_per_s);
        }
        ConditionKind::Converging { min_tracks, radius_m, min_closing_speed_m_per_s, zone } => {
            e.min_tracks = Some(min_tracks);
            e.radius_m = Some(radius_m);
            e.min_closing_speed_m_per_s = Some(min_closing_speed_m_per_s);
            e.zone = zone;
        }
        ConditionKind::UnusualMovement { model, model_path: _, threshold_nats, window_s } => {
            e.model = Some(ModelJson::Inline(model));
            e.threshold_nats = Some(threshold_nats);
            e.window_s = Some(window_s);
        }
        ConditionKind::AllOf(v) | ConditionKind::AnyOf(v) => {
            e.conditions = Some(v.into_iter().map(entry_of).collect());
        }
    }
    e
}

// ---------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------

struct Ctx<'a> {
    at: &'a Location,
    base: Option<&'a Path>,
    zones: &'a [Zone],
    tripwires: &'a [Tripwire],
    /// `rule "name": ` or empty.
    label: String,
}

impl Ctx<'_> {
    fn err(&self, field: &str, reason: impl std::fmt::Display) -> Error {
        Error::InvalidField {
            at: self.at.clone(),
            field: field.to_string(),
            reason: format!("{}{reason}", self.label),
        }
    }
}

fn finite_at_least(ctx: &Ctx<'_>, field: &str, v: f64, min: f64, strict: bool) -> Result<f64> {
    let ok = v.is_finite() && if strict { v > min } else { v >= min };
    if ok {
        Ok(v)
    } else {
        let op = if strict { ">" } else { ">=" };
        Err(ctx.err(field, format!("must be a finite number {op} {min}, got {v}")))
    }
}

fn compile(f: SceneFile, at: &Location, base: Option<&Path>) -> Result<SceneRules> {
    let mut ctx = Ctx { at, base, zones: &[], tripwires: &[], label: String::new() };
    let clock = match &f.clock {
        None => SceneClock::default(),
        Some(c) => SceneClock::starting_at(&c.start_time_of_day)
            .map_err(|e| ctx.err("clock.start_time_of_day", e))?,
    };
    let hysteresis = f.hysteresis.unwrap_or_default();
    for (name, v) in [
        ("hysteresis.exit_hold_s", hysteresis.exit_hold_s),
        ("hysteresis.exit_margin_m", hysteresis.exit_margin_m),
        ("hysteresis.tripwire_margin_m", hysteresis.tripwire_margin_m),
        ("hysteresis.hold_s", hysteresis.hold_s),
        ("hysteresis.speed_sigmas", hysteresis.speed_sigmas),
    ] {
        finite_at_least(&ctx, name, v, 0.0, false)?;
    }
    let mut zones: Vec<Zone> = Vec::with_capacity(f.zones.len());
    for (i, z) in f.zones.into_iter().enumerate() {
        let zctx = Ctx { label: format!("zone \"{}\": ", z.name), ..ctx_ref(&ctx) };
        if z.name.is_empty() {
            return Err(zctx.err(&format!("zones[{i}].name"), "a zone needs a non-empty name"));
        }
        if zones.iter().any(|o| o.name == z.name) {
            return Err(zctx.err(&format!("zones[{i}].name"), "duplicate zone name"));
        }
        let polygon = Polygon::new(z.polygon)
            .map_err(|e| zctx.err(&format!("zones[{i}].polygon"), reason_of(e)))?;
        let schedule = match z.schedule {
            None => None,
            Some(w) => Some(
                Schedule::parse(&w)
                    .map_err(|(j, e)| zctx.err(&format!("zones[{i}].schedule[{j}]"), e))?,
            ),
        };
        zones.push(Zone { name: z.name, polygon, schedule });
    }
    let mut tripwires: Vec<Tripwire> = Vec::with_capacity(f.tripwires.len());
    for (i, t) in f.tripwires.into_iter().enumerate() {
        let tctx = Ctx { label: format!("tripwire \"{}\": ", t.name), ..ctx_ref(&ctx) };
        if t.name.is_empty() {
            return Err(
                tctx.err(&format!("tripwires[{i}].name"), "a tripwire needs a non-empty name")
            );
        }
        if tripwires.iter().any(|o| o.name == t.name) {
            return Err(tctx.err(&format!("tripwires[{i}].name"), "duplicate tripwire name"));
        }
        if !(t.from.iter().chain(&t.to).all(|v| v.is_finite())) {
            return Err(tctx.err(&format!("tripwires[{i}]"), "coordinates must be finite"));
        }
        if (t.to[0] - t.from[0]).hypot(t.to[1] - t.from[1]) < 1e-6 {
            return Err(tctx.err(&format!("tripwires[{i}].to"), "the two ends are the same point"));
        }
        tripwires.push(Tripwire { name: t.name, from_m: t.from, to_m: t.to });
    }
    ctx.zones = &zones;
    ctx.tripwires = &tripwires;
    let mut rules: Vec<Rule> = Vec::with_capacity(f.rules.len());
    for (i, r) in f.rules.into_iter().enumerate() {
        let path = format!("rules[{i}]");
        let name = r.name.clone().unwrap_or_default();
        let rctx = Ctx { label: format!("rule \"{name}\": "), ..ctx_ref(&ctx) };
        if name.is_empty() {
            return Err(rctx.err(&format!("{path}.name"), "a rule needs a non-empty name"));
        }
        if rules.iter().any(|o| o.name == name) {
            return Err(rctx.err(&format!("{path}.name"), "duplicate rule name"));
        }
        let Some(severity) = r.severity else {
            return Err(rctx
                .err(&format!("{path}.severity"), "missing (one of low, medium, high, critical)"));
        };
        if matches!(&r.alert, Some(a) if a.is_empty()) {
            return Err(rctx.err(&format!("{path}.alert"), "must not be empty"));
        }
        let alert_kind = r.alert.clone();
        let condition = compile_condition(&rctx, &path, r, 0)?;
        rules.push(Rule { name, severity, alert_kind, condition });
    }
    Ok(SceneRules { clock, hysteresis, zones, tripwires, rules })
}

fn ctx_ref<'a>(c: &Ctx<'a>) -> Ctx<'a> {
    Ctx { at: c.at, base: c.base, zones: c.zones, tripwires: c.tripwires, label: c.label.clone() }
}

fn reason_of(e: Error) -> String {
    match e {
        Error::InvalidField { reason, .. } => reason,
        other => other.to_string(),
    }
}

const KINDS: &str = "zone_entry, tripwire_crossed, loitering, running, vehicle_stopped, converging, unusual_movement, all_of, any_of";

fn compile_condition(ctx: &Ctx<'_>, path: &str, e: EntryJson, depth: usize) -> Result<Condition> {
    if depth > MAX_DEPTH {
        return Err(ctx.err(path, format!("conditions nested deeper than {MAX_DEPTH}")));
    }
    if depth > 0 {
        for (field, present) in [
            ("name", e.name.is_some()),
            ("severity", e.severity.is_some()),
            ("alert", e.alert.is_some()),
        ] {
            if present {
                return Err(ctx.err(
                    &format!("{path}.{field}"),
                    "only a rule has this field, not a sub-condition",
                ));
            }
        }
    }
    // Which kind-specific fields each kind takes.
    let present: [(&str, bool); 14] = [
        ("zone", e.zone.is_some()),
        ("from_zone", e.from_zone.is_some()),
        ("from_within_s", e.from_within_s.is_some()),
        ("tripwire", e.tripwire.is_some()),
        ("direction", e.direction.is_some()),
        ("min_speed_m_per_s", e.min_speed_m_per_s.is_some()),
        ("max_speed_m_per_s", e.max_speed_m_per_s.is_some()),
        ("min_tracks", e.min_tracks.is_some()),
        ("radius_m", e.radius_m.is_some()),
        ("min_closing_speed_m_per_s", e.min_closing_speed_m_per_s.is_some()),
        ("model", e.model.is_some()),
        ("threshold_nats", e.threshold_nats.is_some()),
        ("window_s", e.window_s.is_some()),
        ("conditions", e.conditions.is_some()),
    ];
    let allowed: &[&str] = match e.kind.as_str() {
        "zone_entry" => &["zone", "from_zone", "from_within_s"],
        "tripwire_crossed" => &["tripwire", "direction"],
        "loitering" => &["zone"],
        "running" => &["min_speed_m_per_s", "zone"],
        "vehicle_stopped" => &["zone", "max_speed_m_per_s"],
        "converging" => &["min_tracks", "radius_m", "min_closing_speed_m_per_s", "zone"],
        "unusual_movement" => &["model", "threshold_nats", "window_s"],
        "all_of" | "any_of" => &["conditions"],
        other => {
            return Err(ctx.err(
                &format!("{path}.kind"),
                format!("unknown rule kind \"{other}\" (expected one of {KINDS})"),
            ));
        }
    };
    if let Some((field, _)) = present.iter().find(|(f, p)| *p && !allowed.contains(f)) {
        return Err(ctx.err(
            &format!("{path}.{field}"),
            format!("field `{field}` does not apply to kind \"{}\"", e.kind),
        ));
    }
    let need = |field: &str| {
        ctx.err(&format!("{path}.{field}"), format!("missing: kind \"{}\" needs `{field}`", e.kind))
    };
    let zone_ref = |field: &str, name: &str| -> Result<String> {
        if ctx.zones.iter().any(|z| z.name == name) {
            Ok(name.to_string())
        } else {
            Err(ctx.err(&format!("{path}.{field}"), format!("unknown zone \"{name}\"")))
        }
    };
    let num = |field: &str, v: f64, min: f64, strict: bool| {
        finite_at_least(ctx, &format!("{path}.{field}"), v, min, strict)
    };
    let schedule = match &e.schedule {
        None => None,
        Some(w) => Some(
            Schedule::parse(w).map_err(|(j, m)| ctx.err(&format!("{path}.schedule[{j}]"), m))?,
        ),
    };
    if let Some(o) = &e.objects {
        if o.is_empty() {
            return Err(ctx.err(&format!("{path}.objects"), "an empty list matches no track"));
        }
    }
    let mut for_s = match e.for_s {
        Some(v) => num("for_s", v, 0.0, false)?,
        None => 0.0,
    };
    let kind = match e.kind.as_str() {
        "zone_entry" => {
            let zone = zone_ref("zone", e.zone.as_deref().ok_or_else(|| need("zone"))?)?;
            let from: Vec<String> = match e.from_zone {
                None => Vec::new(),
                Some(OneOrMany::One(s)) => vec![s],
                Some(OneOrMany::Many(v)) => v,
            };
            let mut from_zones = Vec::with_capacity(from.len());
            for (j, f) in from.iter().enumerate() {
                let field = if from.len() == 1 {
                    "from_zone".to_string()
                } else {
                    format!("from_zone[{j}]")
                };
                from_zones.push(zone_ref(&field, f)?);
            }
            let from_within_s = match e.from_within_s {
                Some(v) => num("from_within_s", v, 0.0, false)?,
                None => DEFAULT_FROM_WITHIN_S,
            };
            ConditionKind::ZoneEntry { zone, from_zones, from_within_s }
        }
        "tripwire_crossed" => {
            let name = e.tripwire.ok_or_else(|| need("tripwire"))?;
            if !ctx.tripwires.iter().any(|t| t.name == name) {
                return Err(
                    ctx.err(&format!("{path}.tripwire"), format!("unknown tripwire \"{name}\""))
                );
            }
            let direction = e.direction.ok_or_else(|| need("direction"))?;
            ConditionKind::TripwireCrossed { tripwire: name, direction }
        }
        "loitering" => {
            let zone = zone_ref("zone", e.zone.as_deref().ok_or_else(|| need("zone"))?)?;
            if e.for_s.is_none() {
                return Err(need("for_s"));
            }
            ConditionKind::Loitering { zone }
        }
        "running" => {
            let v = e.min_speed_m_per_s.ok_or_else(|| need("min_speed_m_per_s"))?;
            let min_speed_m_per_s = num("min_speed_m_per_s", v, 0.0, true)?;
            let zone = e.zone.as_deref().map(|z| zone_ref("zone", z)).transpose()?;
            if e.for_s.is_none() {
                for_s = DEFAULT_RUNNING_FOR_S;
            }
            ConditionKind::Running { min_speed_m_per_s, zone }
        }
        "vehicle_stopped" => {
            let zone = zone_ref("zone", e.zone.as_deref().ok_or_else(|| need("zone"))?)?;
            let max_speed_m_per_s = match e.max_speed_m_per_s {
                Some(v) => num("max_speed_m_per_s", v, 0.0, true)?,
                None => DEFAULT_STOPPED_SPEED_M_PER_S,
            };
            if e.for_s.is_none() {
                return Err(need("for_s"));
            }
            ConditionKind::VehicleStopped { zone, max_speed_m_per_s }
        }
        "converging" => {
            let n = e.min_tracks.ok_or_else(|| need("min_tracks"))?;
            if n < 2 {
                return Err(
                    ctx.err(&format!("{path}.min_tracks"), format!("must be >= 2, got {n}"))
                );
            }
            let r = e.radius_m.ok_or_else(|| need("radius_m"))?;
            let radius_m = num("radius_m", r, 0.0, true)?;
            let min_closing_speed_m_per_s = match e.min_closing_speed_m_per_s {
                Some(v) => num("min_closing_speed_m_per_s", v, 0.0, false)?,
                None => DEFAULT_CLOSING_M_PER_S,
            };
            let zone = e.zone.as_deref().map(|z| zone_ref("zone", z)).transpose()?;
            ConditionKind::Converging { min_tracks: n, radius_m, min_closing_speed_m_per_s, zone }
        }
        "unusual_movement" => {
            let (model, model_path) = match e.model.ok_or_else(|| need("model"))? {
                ModelJson::Inline(m) => {
                    m.check().map_err(|r| ctx.err(&format!("{path}.model"), r))?;
                    (m, None)
                }
                ModelJson::Path(p) => {
                    let full: PathBuf = match ctx.base {
                        Some(b) if Path::new(&p).is_relative() => b.join(&p),
                        _ => PathBuf::from(&p),
                    };
                    let m = NormalityModel::load(&full)
                        .map_err(|err| ctx.err(&format!("{path}.model"), err))?;
                    (Box::new(m), Some(p))
                }
            };
            let t = e.threshold_nats.ok_or_else(|| need("threshold_nats"))?;
            let threshold_nats = num("threshold_nats", t, 0.0, false)?;
            let window_s = match e.window_s {
                Some(v) => num("window_s", v, 0.0, true)?,
                None => DEFAULT_WINDOW_S,
            };
            ConditionKind::UnusualMovement { model, model_path, threshold_nats, window_s }
        }
        // all_of / any_of (the kind was checked above).
        kind => {
            let subs = e.conditions.ok_or_else(|| need("conditions"))?;
            if subs.is_empty() {
                return Err(ctx.err(&format!("{path}.conditions"), "needs at least one condition"));
            }
            let mut v = Vec::with_capacity(subs.len());
            for (j, s) in subs.into_iter().enumerate() {
                v.push(compile_condition(ctx, &format!("{path}.conditions[{j}]"), s, depth + 1)?);
            }
            if kind == "all_of" { ConditionKind::AllOf(v) } else { ConditionKind::AnyOf(v) }
        }
    };
    Ok(Condition { kind, schedule, objects: e.objects, for_s })
}

/// Turns a serde error into a crate error naming the field path.
fn schema_error(at: &Location, e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.inner();
    let at = Location {
        file: at.file.clone(),
        line: if inner.line() > 0 { Some(inner.line() as u64) } else { at.line },
    };
    if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        return Error::Malformed { at, reason: inner.to_string() };
    }
    let msg = inner.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let prefix = if path == "." { String::new() } else { format!("{path}.") };
        return Error::MissingField { at, field: format!("{prefix}{name}") };
    }
    Error::InvalidField { at, field: if path == "." { "scene".into() } else { path }, reason: msg }
}
