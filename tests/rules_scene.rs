//! `scene.json`: errors that name the file and the entry, version and
//! unknown-field checks, serde round trips, the sample scenes' files.

use fusetrack::rules::{ConditionKind, CrossingDirection, SceneRules, Severity};
use fusetrack::{Error, Location};

fn load(text: &str) -> Result<SceneRules, Error> {
    SceneRules::from_json_str(text, &Location::file("data/x/scene.json"))
}

fn err(text: &str) -> String {
    load(text).expect_err("must be refused").to_string()
}

const ZONES: &str = r#""zones": [
    {"name": "jewel-room", "polygon": [[10, 6], [20, 6], [20, 20], [10, 20]]},
    {"name": "window", "polygon": [[29, 13], [31, 13], [31, 15], [29, 15]]}]"#;

fn with_rules(rules: &str) -> String {
    format!(
        r#"{{"version": 1, {ZONES}, "tripwires": [{{"name": "sill", "from": [30, 12], "to": [30, 16]}}], "rules": [{rules}]}}"#
    )
}

const OK_RULE: &str =
    r#"{"name": "first", "severity": "low", "kind": "loitering", "zone": "window", "for_s": 5}"#;

#[test]
fn unknown_zone_names_file_field_and_rule() {
    let text = with_rules(&format!(
        r#"{OK_RULE}, {OK_RULE}, {{"name": "jewel-after-hours", "severity": "high", "kind": "zone_entry", "zone": "jewel-rom"}}"#
    )
    .replacen("\"first\"", "\"second\"", 1));
    assert_eq!(
        err(&text),
        "data/x/scene.json: field `rules[2].zone`: rule \"jewel-after-hours\": unknown zone \"jewel-rom\""
    );
    let e = load(&text).unwrap_err();
    assert!(matches!(e, Error::InvalidField { ref field, .. } if field == "rules[2].zone"));
}

#[test]
fn unknown_rule_kind() {
    let text =
        with_rules(r#"{"name": "r", "severity": "low", "kind": "zone_entyr", "zone": "window"}"#);
    let e = err(&text);
    assert!(
        e.starts_with("data/x/scene.json: field `rules[0].kind`: rule \"r\": unknown rule kind \"zone_entyr\" (expected one of zone_entry,"),
        "{e}"
    );
}

#[test]
fn bad_schedules() {
    let text = with_rules(
        r#"{"name": "night", "severity": "low", "kind": "zone_entry", "zone": "window", "schedule": ["22:00-06:00", "25:00-06:00"]}"#,
    );
    let e = err(&text);
    assert!(
        e.starts_with("data/x/scene.json: field `rules[0].schedule[1]`: rule \"night\": `25:00`"),
        "{e}"
    );
    let text = with_rules(
        r#"{"name": "n", "severity": "low", "kind": "zone_entry", "zone": "window", "schedule": ["10pm-6am"]}"#,
    );
    assert!(
        err(&text)
            .contains("field `rules[0].schedule[0]`: rule \"n\": `10pm` is not a time of day")
    );
    let text = with_rules(
        r#"{"name": "n", "severity": "low", "kind": "zone_entry", "zone": "window", "schedule": ["08:00-08:00"]}"#,
    );
    assert!(err(&text).contains("start and end are equal"));
    let text = with_rules(
        r#"{"name": "n", "severity": "low", "kind": "zone_entry", "zone": "window", "schedule": []}"#,
    );
    assert!(err(&text).contains("at least one window"));
    // In a sub-condition: the path goes down to it.
    let text = with_rules(
        r#"{"name": "n", "severity": "low", "kind": "all_of", "conditions": [
            {"kind": "zone_entry", "zone": "window"}, {"kind": "zone_entry", "zone": "window", "schedule": ["22:00"]}]}"#,
    );
    assert!(err(&text).contains(
        "field `rules[0].conditions[1].schedule[0]`: rule \"n\": `22:00` is not a daily window"
    ));
    // A zone's schedule and the clock.
    let text = r#"{"version": 1, "zones": [{"name": "z", "polygon": [[0, 0], [1, 0], [0, 1]], "schedule": ["xx"]}]}"#;
    assert!(err(text).contains("field `zones[0].schedule[0]`: zone \"z\":"));
    assert!(
        err(r#"{"version": 1, "clock": {"start_time_of_day": "23:61"}}"#)
            .contains("field `clock.start_time_of_day`")
    );
}

#[test]
fn bad_polygons_name_the_zone() {
    let bow_tie = r#"{"version": 1, "zones": [{"name": "ok", "polygon": [[0, 0], [1, 0], [0, 1]]},
        {"name": "bow-tie", "polygon": [[0, 0], [2, 2], [2, 0], [0, 1]]}]}"#;
    assert_eq!(
        err(bow_tie),
        "data/x/scene.json: field `zones[1].polygon`: zone \"bow-tie\": edges 0 and 2 cross: the polygon is self-intersecting"
    );
    let two = r#"{"version": 1, "zones": [{"name": "line", "polygon": [[0, 0], [1, 0]]}]}"#;
    assert_eq!(
        err(two),
        "data/x/scene.json: field `zones[0].polygon`: zone \"line\": a polygon needs at least 3 vertices, got 2"
    );
    let dup = r#"{"version": 1, "zones": [{"name": "a", "polygon": [[0, 0], [1, 0], [0, 1]]}, {"name": "a", "polygon": [[0, 0], [1, 0], [0, 1]]}]}"#;
    assert!(err(dup).contains("field `zones[1].name`: zone \"a\": duplicate zone name"));
}

#[test]
fn versions_and_unknown_fields_are_refused() {
    assert_eq!(err(r#"{"zones": []}"#), "data/x/scene.json: missing field `version`");
    assert_eq!(
        err(r#"{"version": 2, "something_new": true}"#),
        "data/x/scene.json: field `version`: unsupported scene.json version 2: this fusetrack reads version 1"
    );
    let e = err(r#"{"version": 1, "zonez": []}"#);
    assert!(e.contains("unknown field `zonez`"), "{e}");
    let text = with_rules(
        r#"{"name": "r", "severity": "low", "kind": "loitering", "zone": "window", "for_s": 5, "radius": 3}"#,
    );
    let e = err(&text);
    assert!(e.contains("rules[0]") && e.contains("unknown field `radius`"), "{e}");
    // A known field that does not apply to the kind.
    let text = with_rules(
        r#"{"name": "r", "severity": "low", "kind": "loitering", "zone": "window", "for_s": 5, "radius_m": 3}"#,
    );
    assert_eq!(
        err(&text),
        "data/x/scene.json: field `rules[0].radius_m`: rule \"r\": field `radius_m` does not apply to kind \"loitering\""
    );
    let text = with_rules(
        r#"{"name": "r", "severity": "urgent", "kind": "loitering", "zone": "window", "for_s": 5}"#,
    );
    let e = err(&text);
    assert!(
        e.contains("field `rules[0].severity`") && e.contains("unknown variant `urgent`"),
        "{e}"
    );
    assert!(err("{\"version\": 1,").starts_with("data/x/scene.json:1: malformed input"));
}

#[test]
fn missing_and_out_of_range_fields() {
    let text =
        with_rules(r#"{"name": "r", "severity": "low", "kind": "loitering", "zone": "window"}"#);
    assert_eq!(
        err(&text),
        "data/x/scene.json: field `rules[0].for_s`: rule \"r\": missing: kind \"loitering\" needs `for_s`"
    );
    let text = with_rules(
        r#"{"name": "r", "severity": "low", "kind": "running", "min_speed_m_per_s": -1}"#,
    );
    assert!(err(&text).contains(
        "field `rules[0].min_speed_m_per_s`: rule \"r\": must be a finite number > 0, got -1"
    ));
    let text = with_rules(
        r#"{"name": "r", "severity": "low", "kind": "converging", "min_tracks": 1, "radius_m": 3}"#,
    );
    assert!(err(&text).contains("field `rules[0].min_tracks`: rule \"r\": must be >= 2, got 1"));
    let text = with_rules(
        r#"{"name": "r", "severity": "low", "kind": "tripwire_crossed", "tripwire": "door", "direction": "any"}"#,
    );
    assert!(
        err(&text).contains("field `rules[0].tripwire`: rule \"r\": unknown tripwire \"door\"")
    );
    let text = with_rules(
        r#"{"name": "r", "severity": "low", "kind": "zone_entry", "zone": "jewel-room", "from_zone": ["window", "roof"]}"#,
    );
    assert!(
        err(&text).contains("field `rules[0].from_zone[1]`: rule \"r\": unknown zone \"roof\"")
    );
    let text = with_rules(r#"{"name": "r", "kind": "zone_entry", "zone": "window"}"#);
    assert!(err(&text).contains("field `rules[0].severity`: rule \"r\": missing"));
    let text = with_rules(&format!("{OK_RULE}, {OK_RULE}"));
    assert!(err(&text).contains("field `rules[1].name`: rule \"first\": duplicate rule name"));
    let text = with_rules(
        r#"{"name": "r", "severity": "low", "kind": "any_of", "conditions": [{"name": "inner", "kind": "zone_entry", "zone": "window"}]}"#,
    );
    assert!(
        err(&text).contains(
            "field `rules[0].conditions[0].name`: rule \"r\": only a rule has this field"
        )
    );
    let text = with_rules(
        r#"{"name": "r", "severity": "low", "kind": "unusual_movement", "model": "no-such-model.json", "threshold_nats": 5}"#,
    );
    let e = err(&text);
    assert!(e.contains("field `rules[0].model`: rule \"r\": data/x/no-such-model.json"), "{e}");
}

#[test]
fn a_full_scene_parses_to_the_expected_rules() {
    let text = with_rules(
        r#"{"name": "in", "severity": "critical", "kind": "tripwire_crossed", "tripwire": "sill", "direction": "right_to_left"},
           {"name": "via", "severity": "high", "alert": "intrusion", "kind": "zone_entry", "zone": "jewel-room", "from_zone": "window", "objects": ["person"]},
           {"name": "run", "severity": "medium", "kind": "running", "min_speed_m_per_s": 2.5}"#,
    );
    let s = load(&text).unwrap();
    assert_eq!(s.rules().len(), 3);
    assert!(matches!(
        s.rules()[0].condition.kind,
        ConditionKind::TripwireCrossed { direction: CrossingDirection::RightToLeft, .. }
    ));
    let via = &s.rules()[1];
    assert_eq!((via.severity, via.alert_kind.as_deref()), (Severity::High, Some("intrusion")));
    match &via.condition.kind {
        ConditionKind::ZoneEntry { zone, from_zones, from_within_s } => {
            assert_eq!(
                (zone.as_str(), from_zones.as_slice(), *from_within_s),
                ("jewel-room", &["window".to_string()][..], 5.0)
            );
        }
        other => panic!("{other:?}"),
    }
    // running's default duration is 1 s.
    assert_eq!(s.rules()[2].condition.for_s, 1.0);
}

#[test]
fn scene_json_round_trips() {
    for scene in ["museum", "city"] {
        let path = format!("{}/data/{scene}/scene.json", env!("CARGO_MANIFEST_DIR"));
        let s = SceneRules::load(&path).unwrap();
        assert!(!s.rules().is_empty());
        let text = s.to_json_string();
        let back = SceneRules::from_json_str(&text, &Location::none()).unwrap();
        assert_eq!(back, s, "{scene}");
        // Through serde as a value, too (what an engine snapshot does).
        let v: SceneRules = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(v, s);
    }
    // Every kind, nested, with defaults written back explicitly.
    let text = with_rules(
        r#"{"name": "a", "severity": "low", "kind": "all_of", "schedule": ["22:00-06:00"], "conditions": [
             {"kind": "any_of", "conditions": [{"kind": "running", "min_speed_m_per_s": 2, "zone": "window"},
                                              {"kind": "converging", "min_tracks": 3, "radius_m": 4}]},
             {"kind": "vehicle_stopped", "zone": "window", "for_s": 10},
             {"kind": "tripwire_crossed", "tripwire": "sill", "direction": "any", "objects": ["vehicle"]}]}"#,
    );
    let s = load(&text).unwrap();
    assert_eq!(SceneRules::from_json_str(&s.to_json_string(), &Location::none()).unwrap(), s);
}
