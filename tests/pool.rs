//! `fusetrack::pool`: the workers of a pinned pool each run on one CPU of
//! their own.
#![cfg(feature = "parallel")]

/// The CPUs the calling thread may run on, from `/proc` (Linux), e.g.
/// `"0-3,6"` -> [0, 1, 2, 3, 6].
#[cfg(target_os = "linux")]
fn allowed_cpus() -> Vec<usize> {
    let status = std::fs::read_to_string("/proc/thread-self/status").expect("proc status");
    let list = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .expect("Cpus_allowed_list line")
        .trim();
    let mut cpus = Vec::new();
    for part in list.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
        cpus.extend(a..=b);
    }
    cpus
}

#[cfg(target_os = "linux")]
#[test]
fn each_worker_runs_on_one_cpu_of_its_own() {
    let available = allowed_cpus();
    assert!(!available.is_empty());
    let threads = available.len().min(4);
    let pool = fusetrack::pool::pinned_pool_builder(threads).build().unwrap();
    let mut per_worker = pool.broadcast(|ctx| (ctx.index(), allowed_cpus()));
    per_worker.sort();
    assert_eq!(per_worker.len(), threads);
    for (i, cpus) in &per_worker {
        // Worker i on the i-th CPU the process may use, and only there.
        assert_eq!(cpus, &vec![available[*i]], "worker {i}");
    }
    // The calling thread is left as it was.
    assert_eq!(allowed_cpus(), available);
    // More workers than CPUs: they cycle over the CPUs.
    let pool = fusetrack::pool::pinned_pool_builder(available.len() + 1).build().unwrap();
    let mut per_worker = pool.broadcast(|ctx| (ctx.index(), allowed_cpus()));
    per_worker.sort();
    assert_eq!(per_worker.last().unwrap().1, vec![available[0]]);
}
