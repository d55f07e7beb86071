//! Thread pools for the parallel parts of fusetrack, with each worker
//! pinned to a CPU of its own.
//!
//! The parallel sections of a step are short (a few milliseconds at city
//! scale) and start by waking a sleeping worker. Linux tends to queue a
//! woken thread on the CPU of the thread that woke it, which is busy with
//! its own half of the section; the woken worker then waits for the
//! scheduler's next load balancing (a timer tick, 4 ms at the usual 250 Hz)
//! and the section runs on one core. On the 2-vCPU test machine a quarter
//! of the `ShardedTracker`'s sections ran that way (the second shard
//! started only after the first had finished, or 4 ms late). With every
//! worker pinned, none did, and two threads went from 1.45x to 1.78x one
//! thread on the city-scale scene (medians of interleaved rounds,
//! `benches/RESULTS.md`).
//!
//! Pinning is a deployment choice, so fusetrack never configures a pool
//! itself: the application builds one with [`pinned_pool_builder`] (the
//! global pool, or a pool of its own and [`rayon::ThreadPool::install`])
//! and fusetrack's parallel code runs on whichever pool it is called from.
//! Do not pin on a machine whose cores are shared with other busy
//! programs: a pinned worker cannot move away from a loaded core.
//!
//! Available with the `parallel` feature (the default).

/// A rayon pool builder for `threads` workers (0: rayon's default, the
/// number of CPUs or `RAYON_NUM_THREADS`), worker `i` pinned to the
/// `i`-th CPU this process may run on, cycling when there are more workers
/// than CPUs. Where the operating system does not let threads be pinned
/// (or reports no CPU), the workers run unpinned, as with
/// [`rayon::ThreadPoolBuilder::new`].
///
/// ```
/// use fusetrack::pool::pinned_pool_builder;
/// use fusetrack::{Camera, CameraRig, ShardedTracker, TrackerConfig};
/// let pool = pinned_pool_builder(2).build()?;
/// let rig = CameraRig::new(vec![Camera::world_sensor("a"), Camera::world_sensor("b")])?;
/// let mut tracker = ShardedTracker::new(TrackerConfig::default(), rig, 2)?;
/// // Everything the tracker does in parallel inside `install` runs on the pool.
/// let stepped = pool.install(|| tracker.step())?;
/// assert_eq!(stepped, None); // nothing pushed yet
/// assert_eq!(pool.current_num_threads(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn pinned_pool_builder(threads: usize) -> rayon::ThreadPoolBuilder {
    let builder = rayon::ThreadPoolBuilder::new().num_threads(threads);
    match core_affinity::get_core_ids() {
        Some(cores) if !cores.is_empty() => builder.start_handler(move |i| {
            // A refusal leaves the worker unpinned: slower, never wrong.
            let _ = core_affinity::set_for_current(cores[i % cores.len()]);
        }),
        _ => builder,
    }
}
