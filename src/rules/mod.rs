//! Zones, rules and alerts: what turns tracks into "someone is in the jewel
//! room at night".
//!
//! TODO: schema documentation.

mod engine;
mod normality;
mod scene;
mod schedule;
mod sink;

pub use engine::{Alert, AlertEngine, AlertPhase};
pub use normality::{DIRECTION_BINS, MAX_CELLS, NormalityModel};
pub use scene::{
    Condition, ConditionKind, CrossingDirection, Hysteresis, Rule, SCENE_VERSION, SceneRules,
    Severity, Tripwire, Zone,
};
pub use schedule::{DAY_S, DailyWindow, SceneClock, Schedule, TimeOfDay};
pub use sink::{AlertSink, AlertsJsonlWriter};
