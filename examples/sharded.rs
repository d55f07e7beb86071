//! Runs a scene folder through one `Tracker` and through `ShardedTracker`s
//! of 2, 3, ... shards, and prints the scores of each against the scene's
//! ground truth: what sharding costs in accuracy on a scene, next to what
//! it saves in time.
//!
//! ```text
//! cargo run --release --example sharded -- [SCENE_DIR [MAX_SHARDS]]
//! cargo run --release --example sharded -- data/city 4
//! ```
//!
//! `SCENE_DIR` defaults to `data/city`, `MAX_SHARDS` to 2 (at most the
//! number of cameras). Tracks are sampled at the ground-truth times from
//! their latest state, as `fusetrack::replay` does. Shards are compact
//! blocks of cameras by their ground coverage (`ShardedTracker::new`).
//! Lines the reader or the tracker refuses are counted and skipped (the
//! first is printed with its file, line and field); a missing scene file
//! or a bad argument exits with code 2 and a message.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use fusetrack::io::{DetectionReader, SceneDir, read_ground_truth};
use fusetrack::metrics::{TimedPoint, evaluate_points};
use fusetrack::{CameraRig, Detection, Result, ShardedTracker, Tracker, TrackerConfig};

/// The calls the comparison needs from either tracker.
trait Run {
    fn push(&mut self, det: Detection) -> Result<()>;
    fn next(&self, flush: bool) -> Option<f64>;
    fn advance(&mut self, flush: bool) -> Result<Option<f64>>;
    /// Appends the reported tracks' positions at `t_s` (ground-truth time).
    fn sample(&self, t_s: f64, out: &mut Vec<TimedPoint>);
    fn forget_events(&mut self);
}

impl Run for Tracker {
    fn push(&mut self, det: Detection) -> Result<()> {
        Tracker::push(self, det)
    }
    fn next(&self, flush: bool) -> Option<f64> {
        if flush { self.earliest_pending_t_s() } else { self.next_ready_t_s() }
    }
    fn advance(&mut self, flush: bool) -> Result<Option<f64>> {
        if flush { self.flush_step() } else { self.step() }
    }
    fn sample(&self, t_s: f64, out: &mut Vec<TimedPoint>) {
        for tr in self.confirmed_tracks() {
            let model = self.config().model(tr.kind()).motion;
            if let Ok(p) = tr.position_at(&model, t_s) {
                out.push((t_s, tr.id().0, p));
            }
        }
    }
    fn forget_events(&mut self) {
        self.drain_events();
    }
}

impl Run for ShardedTracker {
    fn push(&mut self, det: Detection) -> Result<()> {
        ShardedTracker::push(self, det)
    }
    fn next(&self, flush: bool) -> Option<f64> {
        if flush { self.earliest_pending_t_s() } else { self.next_ready_t_s() }
    }
    fn advance(&mut self, flush: bool) -> Result<Option<f64>> {
        if flush { self.flush_step() } else { self.step() }
    }
    fn sample(&self, t_s: f64, out: &mut Vec<TimedPoint>) {
        let config = self.config();
        for gt in self.confirmed_tracks() {
            let model = config.model(gt.track().kind()).motion;
            if let Ok(p) = gt.position_at(&model, t_s) {
                out.push((t_s, gt.id().0, p));
            }
        }
    }
    fn forget_events(&mut self) {
        self.drain_events();
    }
}

/// Replays `dets` (arrival order) and samples the reported tracks at each
/// ground-truth time before the capture time about to be processed (at
/// the end, up to the last one processed). Returns the samples, the
/// seconds spent in the tracker and the detections it refused.
///
/// # Errors
/// A step's error (an internal failure of the assignment solver).
fn replay(
    r: &mut impl Run,
    dets: &[Detection],
    gt_times: &[f64],
) -> Result<(Vec<TimedPoint>, f64, Vec<fusetrack::Error>)> {
    let mut at = Cursor { out: Vec::new(), gi: 0, spent: 0.0, last: None };
    let mut refused = Vec::new();
    for d in dets {
        let t0 = Instant::now();
        if let Err(e) = r.push(d.clone()) {
            refused.push(e);
        }
        at.spent += t0.elapsed().as_secs_f64();
        at.step_all(r, gt_times, false)?;
    }
    at.step_all(r, gt_times, true)?;
    if let Some(now) = at.last {
        while at.gi < gt_times.len() && gt_times[at.gi] <= now {
            r.sample(gt_times[at.gi], &mut at.out);
            at.gi += 1;
        }
    }
    Ok((at.out, at.spent, refused))
}

/// Where a replay is: samples so far, next ground-truth time, time spent.
struct Cursor {
    out: Vec<TimedPoint>,
    gi: usize,
    spent: f64,
    last: Option<f64>,
}

impl Cursor {
    /// Processes every capture time ready (all, when `flush`).
    fn step_all(&mut self, r: &mut impl Run, gt_times: &[f64], flush: bool) -> Result<()> {
        while let Some(next) = r.next(flush) {
            while self.gi < gt_times.len() && gt_times[self.gi] < next {
                r.sample(gt_times[self.gi], &mut self.out);
                self.gi += 1;
            }
            let t0 = Instant::now();
            let stepped = r.advance(flush)?;
            self.spent += t0.elapsed().as_secs_f64();
            r.forget_events();
            match stepped {
                Some(t) => self.last = Some(t),
                None => break,
            }
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().map_or("data/city", String::as_str));
    let max_shards = match args.get(1).map(|s| s.parse::<usize>()) {
        None => 2,
        Some(Ok(k)) if k >= 1 => k,
        Some(_) => {
            eprintln!("sharded: MAX_SHARDS must be a whole number >= 1, got {:?}", args[1]);
            return ExitCode::from(2);
        }
    };
    match run(&dir, max_shards) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sharded: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(dir: &std::path::Path, max_shards: usize) -> Result<()> {
    let scene = SceneDir::open(dir)?;
    let rig = CameraRig::load(scene.cameras())?;
    let (mut dets, mut bad_lines) = (Vec::new(), Vec::new());
    for item in DetectionReader::open(scene.detections(), &rig)? {
        match item {
            Ok(d) => dets.push(d),
            Err(e) => bad_lines.push(e),
        }
    }
    if let Some(first) = bad_lines.first() {
        println!("{} lines refused by the reader (skipped), the first: {first}", bad_lines.len());
    }
    let truth = read_ground_truth(scene.ground_truth())?;
    let gt: Vec<TimedPoint> = truth.iter().map(|r| (r.t_s, r.id, [r.x, r.y])).collect();
    let mut gt_times: Vec<f64> = truth.iter().map(|r| r.t_s).collect();
    gt_times.sort_by(f64::total_cmp);
    gt_times.dedup();
    println!("{}: {} cameras, {} detections", dir.display(), rig.len(), dets.len());
    let report = |name: &str, sampled: &[TimedPoint], spent: f64, extra: String| -> Result<()> {
        let s = evaluate_points(&gt, sampled, 1.0)?;
        println!(
            "{name:>10}: MOTA {:.3}  IDF1 {:.3}  HOTA {:.3}  id switches {:>3}  FP {:>5}  FN {:>5}  \
             {:.0} ms in the tracker{extra}",
            s.mota,
            s.idf1,
            s.hota,
            s.id_switches,
            s.fp,
            s.fn_,
            spent * 1e3
        );
        Ok(())
    };
    let mut plain = Tracker::new(TrackerConfig::default(), rig.clone())?;
    let (sampled, spent, refused) = replay(&mut plain, &dets, &gt_times)?;
    if let Some(first) = refused.first() {
        println!(
            "{} detections refused by the tracker (skipped), the first: {first}",
            refused.len()
        );
    }
    report("1 tracker", &sampled, spent, String::new())?;
    for k in 2..=max_shards.min(rig.len()) {
        let mut sharded = ShardedTracker::new(TrackerConfig::default(), rig.clone(), k)?;
        // The same detections are refused: a camera's checks are its shard's.
        let (sampled, spent, _) = replay(&mut sharded, &dets, &gt_times)?;
        let extra = format!(", {} links, {} splits", sharded.links(), sharded.splits());
        report(&format!("{k} shards"), &sampled, spent, extra)?;
    }
    Ok(())
}
