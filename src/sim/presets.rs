//! The three sample scenes of `data/`: plaza, museum, city.

use super::motion::{Leg, ObjectClass};
use super::spec::{
    ActorSpec, CrowdSpec, IncidentSpec, Lane, LookAtSpec, Paths, PeopleSpec, Rect, RigSpec,
    SceneSpec, SensorSpec, TrafficSpec, WalkGraph,
};

/// The WILDTRACK calibration, `data/plaza/cameras.json`.
const PLAZA_CAMERAS: &str = include_str!("../../data/plaza/cameras.json");

fn look(
    name: &str,
    size: [u32; 2],
    focal_px: f64,
    position_m: [f64; 3],
    target_m: [f64; 3],
) -> LookAtSpec {
    LookAtSpec { name: name.to_owned(), image_size_px: size, focal_px, position_m, target_m }
}

const HD: [u32; 2] = [1920, 1080];
const HD720: [u32; 2] = [1280, 720];
const PAL: [u32; 2] = [720, 576];

impl SceneSpec {
    /// The WILDTRACK plaza (12 m x 36 m, seven real HD cameras) with a crowd
    /// of about 30 walkers, some in groups, seen at a throttled 5 Hz per
    /// camera, 3 px noise, 0.1 ± 0.03 s latency, for 60 s.
    ///
    /// ```
    /// use fusetrack::sim::SceneSpec;
    /// let s = SceneSpec::plaza();
    /// assert_eq!(s.sensors.len(), 7);
    /// assert!(s.sensors.iter().all(|c| c.fps == 5.0));
    /// ```
    pub fn plaza() -> Self {
        let names = ["CVLab1", "CVLab2", "CVLab3", "CVLab4", "IDIAP1", "IDIAP2", "IDIAP3"];
        let sensors = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                SensorSpec::digital(*n, 5.0)
                    .with_phase(0.0283 * i as f64)
                    .with_pixel_noise(3.0)
                    .with_latency(0.1, 0.03)
            })
            .collect();
        SceneSpec {
            name: "plaza".into(),
            seed: 2018,
            duration_s: 60.0,
            area: Rect::new([-3.0, -9.0], [9.0, 27.0]),
            ground_truth_hz: 10.0,
            walls_m: Vec::new(),
            rig: RigSpec::CamerasJson(PLAZA_CAMERAS.to_owned()),
            sensors,
            people: PeopleSpec::default(),
            crowd: Some(CrowdSpec {
                count: 20,
                paths: Paths::OpenArea { waypoints: [1, 3] },
                pause_probability: 0.2,
                pause_s: [2.0, 6.0],
                group_probability: 0.25,
                group_spacing_m: 0.6,
                respawn_s: [0.0, 3.0],
            }),
            traffic: None,
            actors: Vec::new(),
            incidents: Vec::new(),
        }
    }

    /// A museum wing at night (30 m x 20 m): a corridor along the south side
    /// and three rooms north of it (west room, the jewel room in the middle,
    /// east room with a window in the outer east wall). Four digital cameras
    /// (1280x720, 10-25 Hz) and two old analog ones (720x576, 4 Hz, 7 px,
    /// 0.7-0.8 s latency). Two guards on rounds; two intruders climb in
    /// through the window at about t = 40 s, walk to the display case in
    /// the jewel room, stay about 20 s and run out the same way.
    ///
    /// ```
    /// use fusetrack::sim::SceneSpec;
    /// let s = SceneSpec::museum();
    /// assert_eq!(s.actors.len(), 4);
    /// assert_eq!(s.incidents[0].zone.as_deref(), Some("jewel-room"));
    /// ```
    pub fn museum() -> Self {
        let cams = vec![
            look("corridor-east", HD720, 640.0, [29.6, 0.4, 3.0], [14.0, 4.0, 0.0]),
            look("corridor-west", HD720, 640.0, [0.4, 0.4, 3.0], [16.0, 4.0, 0.0]),
            look("jewel-north", HD720, 640.0, [15.0, 19.6, 3.2], [15.0, 11.0, 0.0]),
            look("east-room", HD720, 640.0, [20.4, 6.4, 3.0], [26.0, 14.0, 0.0]),
            look("west-room-analog", PAL, 430.0, [0.4, 19.6, 3.0], [6.0, 11.0, 0.0]),
            look("jewel-analog", PAL, 430.0, [19.6, 6.4, 3.0], [14.0, 14.0, 0.0]),
        ];
        let sensors = vec![
            SensorSpec::digital("corridor-east", 25.0).with_phase(0.011),
            SensorSpec::digital("corridor-west", 10.0).with_phase(0.047),
            SensorSpec::digital("jewel-north", 25.0).with_phase(0.023),
            SensorSpec::digital("east-room", 15.0).with_phase(0.031),
            SensorSpec::analog("west-room-analog", 4.0).with_phase(0.09).with_latency(0.7, 0.15),
            SensorSpec::analog("jewel-analog", 4.0)
                .with_phase(0.17)
                .with_latency(0.8, 0.2)
                .with_pixel_noise(8.0),
        ];
        let walls = vec![
            // Outer walls; the east wall has the window at y 13.2..14.8.
            [[0.0, 0.0], [30.0, 0.0]],
            [[0.0, 20.0], [30.0, 20.0]],
            [[0.0, 0.0], [0.0, 20.0]],
            [[30.0, 0.0], [30.0, 13.2]],
            [[30.0, 14.8], [30.0, 20.0]],
            // Corridor wall with three doors (x 4-6, 14-16, 24-26).
            [[0.0, 6.0], [4.0, 6.0]],
            [[6.0, 6.0], [14.0, 6.0]],
            [[16.0, 6.0], [24.0, 6.0]],
            [[26.0, 6.0], [30.0, 6.0]],
            // West room | jewel room: no door.
            [[10.0, 6.0], [10.0, 20.0]],
            // Jewel room | east room: door at y 12-14.
            [[20.0, 6.0], [20.0, 12.0]],
            [[20.0, 14.0], [20.0, 20.0]],
        ];
        let g = 1.1;
        let guard_round = vec![
            Leg::new([15.0, 3.0], g),
            Leg::new([15.0, 8.0], g),
            Leg::new([12.5, 16.0], g).with_pause(3.0),
            Leg::new([17.5, 16.0], g),
            Leg::new([15.0, 8.0], g),
            Leg::new([15.0, 3.0], g),
            Leg::new([25.0, 3.0], g),
            Leg::new([25.0, 9.0], g),
            Leg::new([27.0, 17.0], g).with_pause(4.0),
            Leg::new([22.0, 17.0], g),
            Leg::new([25.0, 9.0], g),
            Leg::new([25.0, 3.0], g),
            Leg::new([5.0, 3.0], g),
            Leg::new([5.0, 9.0], g),
            Leg::new([3.0, 16.0], g).with_pause(3.0),
            Leg::new([8.0, 17.0], g),
            Leg::new([5.0, 9.0], g),
            Leg::new([5.0, 3.0], g),
        ];
        let mut guard2 = guard_round.clone();
        guard2.rotate_left(12);
        let intruder = |start: [f64; 2], case: [f64; 2], stay_s: f64| -> Vec<Leg> {
            let y = start[1];
            vec![
                Leg::new([30.6, y], 1.0),
                Leg::new([29.0, y], 0.6),
                Leg::new([21.5, 13.0], 1.3),
                Leg::new([18.5, 13.0], 1.2),
                Leg::new(case, 1.2).with_pause(stay_s),
                Leg::new([18.5, 13.0], 3.2),
                Leg::new([21.5, 13.0], 3.5),
                Leg::new([29.0, y], 3.5),
                Leg::new([30.6, y], 1.0),
                Leg::new([34.0, y + 2.0], 3.0),
                Leg::new([40.0, y + 8.0], 3.5),
            ]
        };
        let person =
            |name: &str, start_s: f64, start_m: [f64; 2], legs: Vec<Leg>, repeat: bool, h: f64| {
                ActorSpec {
                    name: name.to_owned(),
                    class: ObjectClass::Person,
                    start_s,
                    start_m,
                    legs,
                    repeat,
                    height_m: h,
                }
            };
        let actors = vec![
            person("guard-1", 0.0, [5.0, 3.0], guard_round, true, 1.78),
            // Guard 2 starts where its round does (the end of the leg to
            // (25, 3)), not across the walls from it.
            person("guard-2", 0.0, [25.0, 3.0], guard2, true, 1.69),
            person(
                "intruder-a",
                37.0,
                [33.0, 13.7],
                intruder([33.0, 13.7], [14.6, 14.6], 20.0),
                false,
                1.82,
            ),
            person(
                "intruder-b",
                37.8,
                [33.5, 14.3],
                intruder([33.5, 14.3], [15.8, 14.9], 19.0),
                false,
                1.71,
            ),
        ];
        SceneSpec {
            name: "museum".into(),
            seed: 1911,
            duration_s: 100.0,
            area: Rect::new([-2.0, -2.0], [34.0, 22.0]),
            ground_truth_hz: 10.0,
            walls_m: walls,
            rig: RigSpec::LookAt(cams),
            sensors,
            people: PeopleSpec::default(),
            crowd: None,
            traffic: None,
            actors,
            incidents: vec![IncidentSpec {
                kind: "intrusion".into(),
                actors: vec![2, 3],
                region: Rect::new([0.0, 0.0], [30.0, 20.0]),
                zone: Some("jewel-room".into()),
            }],
        }
    }

    /// A street block at night (120 m x 80 m, 85 s): an east-west and a
    /// north-south road crossing at (60, 40), sidewalks along both, zebra
    /// crossings at the junction and mid-block, a building facade along the
    /// north sidewalk east of the junction. About 20-25 pedestrians and a
    /// few cars; eight cameras of mixed quality: two HD 1920x1080 at 6 Hz,
    /// four 1280x720 (two throttled to 2 Hz), two analog 720x576 with
    /// 0.6-0.9 s latency. The east camera has a 10 s outage.
    ///
    /// The incident (actors 0-2, ground-truth ids 1-3): a car pulls over at
    /// the kerb in front of the facade at about t = 9 s, stands there 65 s
    /// while two people who got out of it hang about between it and the
    /// facade, and drives off.
    ///
    /// ```
    /// use fusetrack::sim::{ObjectClass, SceneSpec};
    /// let s = SceneSpec::city();
    /// assert_eq!(s.sensors.len(), 8);
    /// assert!(s.sensors.iter().any(|c| !c.outages_s.is_empty()));
    /// assert_eq!(s.actors[0].class, ObjectClass::Car);
    /// assert_eq!(s.incidents[0].actors, [0, 1, 2]);
    /// assert_eq!(s.incidents[0].zone.as_deref(), Some("facade-north"));
    /// ```
    pub fn city() -> Self {
        let cams = vec![
            look("junction-ne-hd", HD, 1150.0, [70.0, 50.0, 7.0], [58.0, 39.0, 0.0]),
            look("junction-sw-hd", HD, 1150.0, [50.0, 30.0, 7.0], [62.0, 41.0, 0.0]),
            look("west-block", HD720, 700.0, [12.0, 49.0, 6.0], [28.0, 39.0, 0.0]),
            look("east-block", HD720, 700.0, [108.0, 31.0, 6.0], [92.0, 41.0, 0.0]),
            look("north-street", HD720, 800.0, [68.0, 76.0, 8.0], [60.0, 55.0, 0.0]),
            look("south-street", HD720, 800.0, [52.0, 4.0, 8.0], [60.0, 25.0, 0.0]),
            look("west-analog", PAL, 450.0, [46.0, 49.0, 5.0], [34.0, 40.0, 0.0]),
            look("east-analog", PAL, 450.0, [74.0, 31.0, 5.0], [86.0, 40.0, 0.0]),
        ];
        let sensors = vec![
            SensorSpec::digital("junction-ne-hd", 6.0).with_phase(0.013),
            SensorSpec::digital("junction-sw-hd", 6.0).with_phase(0.061),
            SensorSpec::digital("west-block", 5.0).with_phase(0.037),
            SensorSpec::digital("east-block", 5.0).with_phase(0.121).with_outage(30.0, 40.0),
            SensorSpec::digital("north-street", 2.0).with_phase(0.25),
            SensorSpec::digital("south-street", 2.0).with_phase(0.41),
            SensorSpec::analog("west-analog", 4.0).with_phase(0.07).with_latency(0.9, 0.2),
            SensorSpec::analog("east-analog", 3.0)
                .with_phase(0.19)
                .with_latency(0.6, 0.12)
                .with_pixel_noise(6.0),
        ];
        // Sidewalk centrelines: y = 35 and 45, x = 55 and 65.
        let nodes_m = vec![
            [0.0, 35.0],   // 0 west end, south walk
            [25.0, 35.0],  // 1 mid-block crossing, south
            [55.0, 35.0],  // 2 SW corner
            [65.0, 35.0],  // 3 SE corner
            [95.0, 35.0],  // 4 mid-block crossing, south
            [120.0, 35.0], // 5 east end, south walk
            [0.0, 45.0],   // 6 west end, north walk
            [25.0, 45.0],  // 7
            [55.0, 45.0],  // 8 NW corner
            [65.0, 45.0],  // 9 NE corner
            [95.0, 45.0],  // 10
            [120.0, 45.0], // 11 east end, north walk
            [55.0, 0.0],   // 12 south end, west walk
            [65.0, 0.0],   // 13 south end, east walk
            [55.0, 80.0],  // 14 north end, west walk
            [65.0, 80.0],  // 15 north end, east walk
        ];
        let edges = vec![
            [0, 1],
            [1, 2],
            [2, 3],
            [3, 4],
            [4, 5],
            [6, 7],
            [7, 8],
            [8, 9],
            [9, 10],
            [10, 11],
            [1, 7],
            [4, 10],
            [2, 8],
            [3, 9],
            [12, 2],
            [13, 3],
            [8, 14],
            [9, 15],
        ];
        let lanes = vec![
            Lane { from_m: [-6.0, 38.25], to_m: [126.0, 38.25], stop_m: Some([53.5, 38.25]) },
            Lane { from_m: [126.0, 41.75], to_m: [-6.0, 41.75], stop_m: Some([66.5, 41.75]) },
            Lane { from_m: [61.75, -6.0], to_m: [61.75, 86.0], stop_m: Some([61.75, 33.5]) },
            Lane { from_m: [58.25, 86.0], to_m: [58.25, -6.0], stop_m: Some([58.25, 46.5]) },
        ];
        // The incident: a car comes in from the east on the westbound lane
        // (y = 41.75), pulls over at the north kerb (y = 43.5) in front of
        // the facade, two wheels on the pavement, and stops for 65 s;
        // two people get out on the pavement side, hang about between the
        // car and the facade (standing, pacing a few metres), get back in,
        // and the car drives off west.
        // The car brakes to a stop about 1.4 m short of its target: it rests at
        // about (88.0, 43.58), its body over x 85.8..90.3, y 42.7..44.5 (3 cm clear
        // of westbound traffic, 1 m onto the 3 m pavement).
        let stop_m = [86.6, 43.66];
        let car = ActorSpec {
            name: "car-at-facade".into(),
            class: ObjectClass::Car,
            start_s: 6.0,
            start_m: [126.0, 41.75],
            legs: vec![
                Leg::new([104.0, 41.75], 10.0),
                Leg::new([94.0, 43.35], 5.0),
                Leg::new(stop_m, 3.0).with_pause(65.0),
                Leg::new([82.0, 42.4], 4.0),
                Leg::new([72.0, 41.75], 8.0),
                Leg::new([-6.0, 41.75], 11.0),
            ],
            repeat: false,
            height_m: 1.5,
        };
        let walker =
            |name: &str, start_s: f64, start_m: [f64; 2], legs: Vec<Leg>, h: f64| ActorSpec {
                name: name.to_owned(),
                class: ObjectClass::Person,
                start_s,
                start_m,
                legs,
                repeat: false,
                height_m: h,
            };
        // Out of the front passenger door, over to the facade, pacing 3 m
        // along it; back in at the end.
        let front_door = [88.7, 44.85];
        let a = walker(
            "loiterer-a",
            15.0,
            front_door,
            vec![
                Leg::new([89.6, 46.0], 1.0).with_pause(12.0),
                Leg::new([92.0, 46.1], 0.7).with_pause(9.0),
                Leg::new([90.0, 45.9], 0.7).with_pause(10.0),
                Leg::new([91.5, 46.1], 0.7).with_pause(7.0),
                Leg::new([89.5, 45.6], 0.8).with_pause(5.0),
                Leg::new(front_door, 1.0),
            ],
            1.81,
        );
        // Out of the rear door, standing by the car's tail, then at the
        // facade, looking along it.
        let rear_door = [87.0, 44.85];
        let b = walker(
            "loiterer-b",
            16.0,
            rear_door,
            vec![
                Leg::new([85.2, 45.2], 0.8).with_pause(10.0),
                Leg::new([86.4, 46.1], 0.8).with_pause(13.0),
                Leg::new([84.2, 46.0], 0.7).with_pause(10.0),
                Leg::new([86.6, 46.0], 0.7).with_pause(10.0),
                Leg::new(rear_door, 0.9),
            ],
            1.72,
        );
        SceneSpec {
            name: "city".into(),
            seed: 4242,
            duration_s: 85.0,
            area: Rect::new([0.0, 0.0], [120.0, 80.0]),
            ground_truth_hz: 10.0,
            walls_m: Vec::new(),
            rig: RigSpec::LookAt(cams),
            sensors,
            people: PeopleSpec::default(),
            crowd: Some(CrowdSpec {
                count: 16,
                paths: Paths::Network(WalkGraph {
                    nodes_m,
                    edges,
                    entries: vec![0, 5, 6, 11, 12, 13, 14, 15],
                    lateral_spread_m: 1.0,
                }),
                pause_probability: 0.1,
                pause_s: [2.0, 5.0],
                group_probability: 0.2,
                group_spacing_m: 0.6,
                respawn_s: [0.0, 4.0],
            }),
            traffic: Some(TrafficSpec {
                lanes,
                speed_m_per_s: [8.0, 14.0],
                stop_probability: 0.4,
                stop_s: [2.0, 5.0],
                gap_s: [2.0, 9.0],
                size_m: [4.5, 1.8, 1.5],
            }),
            actors: vec![car, a, b],
            incidents: vec![IncidentSpec {
                kind: "vehicle_stopped_with_loitering".into(),
                actors: vec![0, 1, 2],
                // At the kerb in front of the facade: the car's centre more
                // than 1.25 m off its lane's centre line (two wheels on the
                // pavement); the people are on the pavement.
                region: Rect::new([68.0, 43.0], [118.0, 48.0]),
                zone: Some("facade-north".into()),
            }],
        }
    }
}
