//! A small, fixed pseudo-random number generator, so that a scene made from
//! a seed never changes with a dependency upgrade.
//!
//! xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
//! generators", 2018), seeded through splitmix64 as its authors recommend;
//! normal deviates by the Box–Muller transform; Poisson counts by Knuth's
//! product-of-uniforms method (fine for the small rates used here).

/// A seeded xoshiro256** generator.
///
/// ```
/// use fusetrack::sim::Rng;
/// let mut a = Rng::new(7);
/// let mut b = Rng::new(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// let u = a.uniform();
/// assert!((0.0..1.0).contains(&u));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

/// One step of splitmix64 (Steele, Lea and Flood, 2014): a good mixer for seeds.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator seeded with `seed` (any value, zero included): the four
    /// state words are the first four outputs of splitmix64 started at `seed`,
    /// so the state is never all zero.
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// // The same seed gives the same stream; another seed another one.
    /// let a: Vec<u64> = { let mut r = Rng::new(2024); (0..4).map(|_| r.next_u64()).collect() };
    /// let b: Vec<u64> = { let mut r = Rng::new(2024); (0..4).map(|_| r.next_u64()).collect() };
    /// assert_eq!(a, b);
    /// assert_ne!(Rng::new(2025).next_u64(), a[0]);
    /// // Seed 0 is fine: not the all-zero state that would output only zeros.
    /// let mut z = Rng::new(0);
    /// assert!((0..4).any(|_| z.next_u64() != 0));
    /// ```
    pub fn new(seed: u64) -> Self {
        let mut st = seed;
        let s =
            [splitmix64(&mut st), splitmix64(&mut st), splitmix64(&mut st), splitmix64(&mut st)];
        Self { s }
    }

    /// An independent generator for sub-stream `stream` of `seed` (e.g. one
    /// per camera), so that adding a camera does not change the others.
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// assert_ne!(Rng::substream(1, 0).next_u64(), Rng::substream(1, 1).next_u64());
    /// ```
    pub fn substream(seed: u64, stream: u64) -> Self {
        let mut st = seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Self::new(splitmix64(&mut st))
    }

    /// The next 64 random bits (the xoshiro256** output function
    /// `rotl(s1 * 5, 7) * 9`, then the state transition).
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// // Reference values from an independent Python implementation of
    /// // splitmix64 seeding + xoshiro256** (Blackman and Vigna's C code).
    /// let mut r = Rng::new(0);
    /// assert_eq!(r.next_u64(), 0x99ec_5f36_cb75_f2b4);
    /// assert_eq!(r.next_u64(), 0xbf6e_1f78_4956_452a);
    /// assert_eq!(r.next_u64(), 0x1a5f_849d_4933_e6e0);
    /// let mut r = Rng::new(42);
    /// assert_eq!(r.next_u64(), 0x1578_0b2e_0c2e_c716);
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)` (53 random bits): the top 53 bits of
    /// [`Rng::next_u64`] divided by 2^53, so every value is a multiple of
    /// 2^-53 and 1 is never reached.
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// let mut r = Rng::new(9);
    /// let bits = r.clone().next_u64();
    /// let u = r.uniform();
    /// assert_eq!(u, (bits >> 11) as f64 / 2f64.powi(53));
    /// assert!((0.0..1.0).contains(&u));
    /// ```
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// let x = Rng::new(1).range(2.0, 3.0);
    /// assert!((2.0..3.0).contains(&x));
    /// ```
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// A uniform index in `0..n` (0 when `n` is 0).
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// assert!(Rng::new(3).index(5) < 5);
    /// ```
    pub fn index(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((self.uniform() * n as f64) as usize).min(n - 1)
    }

    /// True with probability `p` (never for `p <= 0`, always for `p >= 1`).
    /// Uses one uniform draw.
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// let mut r = Rng::new(3);
    /// // A camera that detects 85 % of the people in view.
    /// let hits = (0..10_000).filter(|_| r.chance(0.85)).count();
    /// assert!((hits as f64 / 10_000.0 - 0.85).abs() < 0.02);
    /// assert!((0..100).all(|_| !r.chance(0.0) && r.chance(1.0)));
    /// ```
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// A standard normal deviate (Box–Muller, one of the pair).
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// let mut r = Rng::new(11);
    /// let n = 20_000;
    /// let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
    /// let mean = xs.iter().sum::<f64>() / n as f64;
    /// let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
    /// assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05);
    /// ```
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A normal deviate with mean `mean` and standard deviation `sd`:
    /// `mean + sd * normal()`.
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// let mut r = Rng::new(17);
    /// // Walking speeds around 1.3 m/s, spread 0.2 m/s.
    /// let n = 20_000;
    /// let v: Vec<f64> = (0..n).map(|_| r.gauss(1.3, 0.2)).collect();
    /// let mean = v.iter().sum::<f64>() / n as f64;
    /// let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    /// assert!((mean - 1.3).abs() < 0.01 && (sd - 0.2).abs() < 0.01);
    /// // A zero spread gives the mean exactly.
    /// assert_eq!(r.gauss(1.3, 0.0), 1.3);
    /// ```
    pub fn gauss(&mut self, mean: f64, sd: f64) -> f64 {
        mean + sd * self.normal()
    }

    /// A Poisson count with mean `lambda` (Knuth's method; `lambda` up to ~30).
    ///
    /// ```
    /// use fusetrack::sim::Rng;
    /// let mut r = Rng::new(5);
    /// let total: u32 = (0..10_000).map(|_| r.poisson(0.3)).sum();
    /// assert!((total as f64 / 10_000.0 - 0.3).abs() < 0.03);
    /// ```
    pub fn poisson(&mut self, lambda: f64) -> u32 {
        if lambda.is_nan() || lambda <= 0.0 {
            return 0;
        }
        let l = (-lambda.min(30.0)).exp();
        let mut k = 0u32;
        let mut p = self.uniform();
        while p > l {
            k += 1;
            p *= self.uniform();
        }
        k
    }
}
