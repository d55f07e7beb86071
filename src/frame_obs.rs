//! The distinct observations of one camera frame, to recognise a repeat
//! (the same line sent twice) as it is pushed.
//!
//! A table of the 32-byte keys themselves took ~1 MB per camera at 12 500
//! detections per frame; with 100 000 tracks over 8 cameras the tables
//! outgrew the caches, and the miss of each insert held up the push that
//! made it (16 % of the throughput at that size). Here the table maps a
//! 64-bit fingerprint of the key to the key's place in an arrival-ordered
//! list: 16 bytes per entry, and the list is written in order. Equality of
//! the keys themselves decides, so a fingerprint shared by two different
//! keys (about one chance in 2^64 per pair) costs a short scan, never a
//! wrong answer.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The exact bits of one observation (box or position).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct ObsKey(pub(crate) [u64; 4]);

/// A hasher for keys that are already hashes: passes the value through.
#[derive(Debug, Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; any other input is folded in, so that
        // the hasher stays correct (if slower) whatever it is given.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// The distinct observation keys of a camera frame.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrameObs {
    /// Every distinct key, in arrival order.
    keys: Vec<ObsKey>,
    /// Fingerprint -> position in `keys` of the first key with it.
    index: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    /// Keys whose fingerprint an earlier, different key of the frame has.
    shared: Vec<ObsKey>,
    /// Seeded per process (like SipHash's keys): fingerprints cannot be
    /// chosen in advance to collide.
    seed: foldhash::fast::RandomState,
}

impl FrameObs {
    fn fingerprint(&self, key: &ObsKey) -> u64 {
        let mut h = self.seed.build_hasher();
        for w in key.0 {
            h.write_u64(w);
        }
        h.finish()
    }

    /// Number of distinct keys.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Forgets every key (a new frame), keeping the memory.
    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.index.clear();
        self.shared.clear();
    }

    /// Whether `key` is already there.
    pub(crate) fn contains(&self, key: &ObsKey) -> bool {
        match self.index.get(&self.fingerprint(key)) {
            None => false,
            Some(&i) => self.keys[i as usize] == *key || self.shared.contains(key),
        }
    }

    /// Adds `key`; false if it was already there.
    pub(crate) fn insert(&mut self, key: ObsKey) -> bool {
        let f = self.fingerprint(&key);
        let Ok(at) = u32::try_from(self.keys.len()) else {
            // Four billion distinct observations in one frame: beyond any
            // flood limit; compare exactly, however slowly.
            if self.keys.contains(&key) {
                return false;
            }
            self.keys.push(key);
            return true;
        };
        match self.index.entry(f) {
            Entry::Vacant(e) => {
                e.insert(at);
            }
            Entry::Occupied(e) => {
                if self.keys[*e.get() as usize] == key || self.shared.contains(&key) {
                    return false;
                }
                self.shared.push(key);
            }
        }
        self.keys.push(key);
        true
    }
}

impl Serialize for FrameObs {
    /// The keys in arrival order (the same form as a set of keys).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.keys.serialize(s)
    }
}

impl<'de> Deserialize<'de> for FrameObs {
    /// From a list of keys; repeats are kept once.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let keys = Vec::<ObsKey>::deserialize(d)?;
        let mut obs = FrameObs::default();
        for k in keys {
            obs.insert(k);
        }
        Ok(obs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: u64) -> ObsKey {
        ObsKey([i, i.wrapping_mul(3), !i, 7])
    }

    #[test]
    fn repeats_are_found_and_new_keys_kept() {
        let mut obs = FrameObs::default();
        for i in 0..5000 {
            assert!(obs.insert(key(i)), "{i} is new");
        }
        for i in 0..5000 {
            assert!(!obs.insert(key(i)), "{i} is a repeat");
            assert!(obs.contains(&key(i)));
        }
        assert!(!obs.contains(&key(5000)));
        assert_eq!(obs.len(), 5000);
        obs.clear();
        assert_eq!(obs.len(), 0);
        assert!(!obs.contains(&key(3)));
        assert!(obs.insert(key(3)));
    }

    /// Different keys sharing a fingerprint (forced here by pointing the
    /// fingerprints of `b` and `c` at `a`'s place) are told apart exactly.
    #[test]
    fn a_shared_fingerprint_never_makes_a_false_repeat() {
        let mut obs = FrameObs::default();
        let (a, b, c) = (key(1), key(2), key(3));
        assert!(obs.insert(a));
        let fa = obs.fingerprint(&a);
        obs.index.insert(obs.fingerprint(&b), obs.index[&fa]);
        obs.index.insert(obs.fingerprint(&c), obs.index[&fa]);
        assert!(!obs.contains(&b), "b only shares a fingerprint");
        assert!(obs.insert(b), "b is new");
        assert!(obs.contains(&b));
        assert!(!obs.insert(b), "b is now a repeat");
        assert!(obs.insert(c), "c is new too");
        assert!(!obs.insert(c));
        assert!(!obs.insert(a));
        assert_eq!(obs.len(), 3);
    }

    #[test]
    fn serialized_as_the_list_of_keys_and_read_back() {
        let mut obs = FrameObs::default();
        for i in [4, 9, 1] {
            obs.insert(key(i));
        }
        let json = serde_json::to_string(&obs).unwrap();
        let want = serde_json::to_string(&vec![key(4), key(9), key(1)]).unwrap();
        assert_eq!(json, want);
        let back: FrameObs = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), 3);
        assert!(back.contains(&key(9)) && !back.contains(&key(2)));
        // Repeats in a hand-made snapshot are kept once.
        let twice = serde_json::to_string(&vec![key(4), key(4)]).unwrap();
        let back: FrameObs = serde_json::from_str(&twice).unwrap();
        assert_eq!(back.len(), 1);
    }
}
