//! The scene clock and daily schedules.
//!
//! A scene's capture times are seconds on the detections' clock; rules that
//! depend on the time of day (a room closed at night) need to know what time
//! of day `t = 0 s` is. [`SceneClock`] says it; a [`Schedule`] is a list of
//! daily windows such as `"22:00-06:00"` (crossing midnight) or
//! `"09:00:30-17:45"`, and is active when the time of day of `t` falls in
//! any of them.

use serde::{Deserialize, Serialize};

/// Seconds in a day: times of day wrap around at this.
///
/// ```
/// use fusetrack::rules::{TimeOfDay, DAY_S};
/// assert_eq!(DAY_S, 24.0 * 3600.0);
/// assert_eq!(TimeOfDay::from_seconds(DAY_S + 90.0).to_string(), "00:01:30");
/// ```
pub const DAY_S: f64 = 86_400.0;

/// A time of day, seconds since midnight in `[0, 86 400)`.
///
/// Parsed from `"HH:MM"` or `"HH:MM:SS"` (24-hour clock, `SS` may carry a
/// decimal fraction); `"24:00"` is accepted only as the end of a window.
///
/// ```
/// use fusetrack::rules::TimeOfDay;
/// assert_eq!(TimeOfDay::parse("23:10:00").unwrap().seconds(), 83_400.0);
/// assert_eq!(TimeOfDay::parse("06:30").unwrap().to_string(), "06:30:00");
/// assert!(TimeOfDay::parse("25:00").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct TimeOfDay(f64);

impl TimeOfDay {
    /// Midnight, `00:00:00` (0 s into the day): the default start of a
    /// [`SceneClock`].
    ///
    /// ```
    /// use fusetrack::rules::{SceneClock, TimeOfDay};
    /// assert_eq!(TimeOfDay::MIDNIGHT.seconds(), 0.0);
    /// assert_eq!(TimeOfDay::MIDNIGHT.to_string(), "00:00:00");
    /// assert_eq!(SceneClock::default().start(), TimeOfDay::MIDNIGHT);
    /// ```
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0.0);

    /// Parses `"HH:MM"` or `"HH:MM:SS[.fff]"`.
    ///
    /// # Errors
    /// A message saying what is wrong (used inside the crate's errors).
    ///
    /// ```
    /// use fusetrack::rules::TimeOfDay;
    /// assert_eq!(TimeOfDay::parse("00:00:01.5").unwrap().seconds(), 1.5);
    /// assert!(TimeOfDay::parse("7h").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<TimeOfDay, String> {
        let t = parse_hms(s, false)?;
        Ok(TimeOfDay(t))
    }

    /// From seconds since midnight (wrapped into one day).
    ///
    /// ```
    /// use fusetrack::rules::TimeOfDay;
    /// assert_eq!(TimeOfDay::from_seconds(86_400.0 + 60.0).seconds(), 60.0);
    /// assert_eq!(TimeOfDay::from_seconds(-60.0).to_string(), "23:59:00");
    /// ```
    pub fn from_seconds(s: f64) -> TimeOfDay {
        let w = s.rem_euclid(DAY_S);
        TimeOfDay(if w.is_finite() && w < DAY_S { w } else { 0.0 })
    }

    /// Seconds since midnight.
    ///
    /// ```
    /// use fusetrack::rules::TimeOfDay;
    /// assert_eq!(TimeOfDay::parse("01:00").unwrap().seconds(), 3600.0);
    /// ```
    pub fn seconds(self) -> f64 {
        self.0
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_hms(self.0, f)
    }
}

fn fmt_hms(s: f64, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    let whole = s.floor();
    let frac = s - whole;
    let whole = whole as u64;
    let (h, m, sec) = (whole / 3600, (whole / 60) % 60, whole % 60);
    if frac > 0.0 {
        // Up to millisecond precision, trailing zeros trimmed.
        let ms = format!("{frac:.3}");
        let ms = ms.trim_start_matches('0').trim_end_matches('0');
        write!(f, "{h:02}:{m:02}:{sec:02}{ms}")
    } else {
        write!(f, "{h:02}:{m:02}:{sec:02}")
    }
}

/// `HH:MM[:SS[.fff]]` to seconds; `24:00[:00]` allowed when `allow_24`.
fn parse_hms(s: &str, allow_24: bool) -> Result<f64, String> {
    let bad = || format!("`{s}` is not a time of day (expected HH:MM or HH:MM:SS, 24-hour clock)");
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(parts.len() == 2 || parts.len() == 3) {
        return Err(bad());
    }
    let int = |p: &str| -> Result<u32, String> {
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        p.parse::<u32>().map_err(|_| bad())
    };
    let h = int(parts[0])?;
    let m = int(parts[1])?;
    let sec = match parts.get(2) {
        None => 0.0,
        Some(p) => {
            let (w, frac) = match p.split_once('.') {
                Some((w, f)) => (w, Some(f)),
                None => (*p, None),
            };
            let mut v = f64::from(int(w)?);
            if let Some(f) = frac {
                if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                v += format!("0.{f}").parse::<f64>().map_err(|_| bad())?;
            }
            v
        }
    };
    if m > 59 || sec >= 60.0 {
        return Err(bad());
    }
    let t = f64::from(h) * 3600.0 + f64::from(m) * 60.0 + sec;
    if h > 24 || (h == 24 && !(allow_24 && t == DAY_S)) {
        return Err(format!("`{s}`: hours must be 00-23 (24:00 only as the end of a window)"));
    }
    Ok(t)
}

/// What time of day the scene's `t = 0 s` is: the `clock` block of
/// `scene.json`. Time of day of a scene time `t` (seconds) is
/// `(start_time_of_day + t) mod 24 h`; negative times count back before
/// the start.
///
/// ```
/// use fusetrack::rules::SceneClock;
/// let c = SceneClock::starting_at("23:10:00").unwrap();
/// assert_eq!(c.time_of_day(0.0).to_string(), "23:10:00");
/// assert_eq!(c.time_of_day(3000.0).to_string(), "00:00:00"); // 50 min later
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SceneClock {
    start: TimeOfDay,
}

impl Default for SceneClock {
    /// `t = 0 s` is midnight.
    fn default() -> Self {
        Self { start: TimeOfDay::MIDNIGHT }
    }
}

impl SceneClock {
    /// A clock whose `t = 0 s` is `start_time_of_day` (`"HH:MM[:SS]"`).
    ///
    /// # Errors
    /// As [`TimeOfDay::parse`].
    ///
    /// ```
    /// use fusetrack::rules::SceneClock;
    /// assert!(SceneClock::starting_at("noon").is_err());
    /// ```
    pub fn starting_at(start_time_of_day: &str) -> Result<Self, String> {
        Ok(Self { start: TimeOfDay::parse(start_time_of_day)? })
    }

    /// The time of day of `t = 0 s`.
    ///
    /// ```
    /// use fusetrack::rules::SceneClock;
    /// assert_eq!(SceneClock::default().start().seconds(), 0.0);
    /// ```
    pub fn start(&self) -> TimeOfDay {
        self.start
    }

    /// The time of day of scene time `t_s`.
    ///
    /// ```
    /// use fusetrack::rules::SceneClock;
    /// let c = SceneClock::starting_at("00:00:30").unwrap();
    /// assert_eq!(c.time_of_day(-60.0).to_string(), "23:59:30");
    /// ```
    pub fn time_of_day(&self, t_s: f64) -> TimeOfDay {
        TimeOfDay::from_seconds(self.start.0 + t_s)
    }
}

/// One daily window `start-end`, e.g. `"22:00-06:00"`. When `end` is before
/// `start` the window crosses midnight. The start is inside the window, the
/// end is not (`"22:00-06:00"` is active at 22:00:00 and at 05:59:59, not
/// at 06:00:00). `"00:00-24:00"` is the whole day; a window whose start
/// equals its end is refused (empty or whole day: say which).
///
/// ```
/// use fusetrack::rules::{DailyWindow, TimeOfDay};
/// let w = DailyWindow::parse("22:00-06:00").unwrap();
/// let at = |s| w.contains(TimeOfDay::parse(s).unwrap());
/// assert!(at("23:30") && at("00:00") && at("05:59:59") && at("22:00"));
/// assert!(!at("06:00") && !at("12:00"));
/// assert_eq!(w.to_string(), "22:00:00-06:00:00");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DailyWindow {
    start_s: f64,
    end_s: f64,
}

impl DailyWindow {
    /// Parses `"HH:MM[:SS]-HH:MM[:SS]"`.
    ///
    /// # Errors
    /// A message saying what is wrong.
    ///
    /// ```
    /// use fusetrack::rules::DailyWindow;
    /// assert!(DailyWindow::parse("22:00").is_err());
    /// assert!(DailyWindow::parse("08:00-08:00").is_err());
    /// assert!(DailyWindow::parse("00:00-24:00").is_ok());
    /// ```
    pub fn parse(s: &str) -> Result<DailyWindow, String> {
        let Some((a, b)) = s.split_once('-') else {
            return Err(format!("`{s}` is not a daily window (expected \"HH:MM-HH:MM\")"));
        };
        let start_s = parse_hms(a, false)?;
        let end_s = parse_hms(b, true)?;
        if start_s == end_s {
            return Err(format!(
                "`{s}`: start and end are equal (write \"00:00-24:00\" for the whole day)"
            ));
        }
        Ok(DailyWindow { start_s, end_s })
    }

    /// True when the time of day is in the window.
    ///
    /// ```
    /// use fusetrack::rules::{DailyWindow, TimeOfDay};
    /// let w = DailyWindow::parse("09:00-17:00").unwrap();
    /// assert!(w.contains(TimeOfDay::parse("12:00").unwrap()));
    /// ```
    pub fn contains(&self, tod: TimeOfDay) -> bool {
        let t = tod.0;
        if self.start_s < self.end_s {
            t >= self.start_s && t < self.end_s
        } else {
            t >= self.start_s || t < self.end_s
        }
    }

    /// Seconds since the latest start of this window at or before `tod`
    /// (in `[0, 24 h)`), meaningful when [`DailyWindow::contains`] is true.
    fn elapsed_since_start(&self, tod: TimeOfDay) -> f64 {
        (tod.0 - self.start_s).rem_euclid(DAY_S)
    }
}

impl std::fmt::Display for DailyWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_hms(self.start_s, f)?;
        f.write_str("-")?;
        fmt_hms(self.end_s, f)
    }
}

/// A daily schedule: active when the time of day is in any of its windows.
/// Serialised as the list of window strings, `["22:00-06:00", ...]`.
///
/// ```
/// use fusetrack::rules::{SceneClock, Schedule};
/// let closed = Schedule::parse(&["18:00-08:00"]).unwrap();
/// let clock = SceneClock::starting_at("07:59:00").unwrap();
/// assert!(closed.is_active(&clock, 0.0));
/// assert!(!closed.is_active(&clock, 60.0)); // 08:00:00
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct Schedule {
    windows: Vec<DailyWindow>,
}

impl Schedule {
    /// Parses a list of windows.
    ///
    /// # Errors
    /// `(index, message)` of the first window that does not parse, or of
    /// an empty list (index 0).
    ///
    /// ```
    /// use fusetrack::rules::Schedule;
    /// let e = Schedule::parse(&["22:00-06:00", "25:00-01:00"]).unwrap_err();
    /// assert_eq!(e.0, 1);
    /// ```
    pub fn parse<S: AsRef<str>>(windows: &[S]) -> Result<Schedule, (usize, String)> {
        if windows.is_empty() {
            return Err((0, "a schedule needs at least one window".into()));
        }
        let windows = windows
            .iter()
            .enumerate()
            .map(|(i, w)| DailyWindow::parse(w.as_ref()).map_err(|e| (i, e)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Schedule { windows })
    }

    /// The windows.
    ///
    /// ```
    /// use fusetrack::rules::Schedule;
    /// assert_eq!(Schedule::parse(&["01:00-02:00"]).unwrap().windows().len(), 1);
    /// ```
    pub fn windows(&self) -> &[DailyWindow] {
        &self.windows
    }

    /// True when scene time `t_s` falls in a window on `clock`.
    ///
    /// ```
    /// use fusetrack::rules::{SceneClock, Schedule};
    /// let s = Schedule::parse(&["23:00-01:00"]).unwrap();
    /// let c = SceneClock::starting_at("22:59:00").unwrap();
    /// assert!(!s.is_active(&c, 0.0));
    /// assert!(s.is_active(&c, 60.0) && s.is_active(&c, 3600.0));
    /// assert!(!s.is_active(&c, 2.0 * 3600.0 + 60.0)); // 01:00:00
    /// ```
    pub fn is_active(&self, clock: &SceneClock, t_s: f64) -> bool {
        let tod = clock.time_of_day(t_s);
        self.windows.iter().any(|w| w.contains(tod))
    }

    /// When active at `t_s`: the scene time at which the current activity
    /// began (the latest start of a window containing `t_s`, looking
    /// through adjacent windows is not attempted).
    ///
    /// ```
    /// use fusetrack::rules::{SceneClock, Schedule};
    /// let s = Schedule::parse(&["22:00-06:00"]).unwrap();
    /// let c = SceneClock::starting_at("21:00").unwrap();
    /// assert_eq!(s.active_since_s(&c, 2.0 * 3600.0), Some(3600.0));
    /// assert_eq!(s.active_since_s(&c, 0.0), None);
    /// ```
    pub fn active_since_s(&self, clock: &SceneClock, t_s: f64) -> Option<f64> {
        let tod = clock.time_of_day(t_s);
        self.windows
            .iter()
            .filter(|w| w.contains(tod))
            .map(|w| t_s - w.elapsed_since_start(tod))
            .min_by(f64::total_cmp)
    }
}

impl TryFrom<Vec<String>> for Schedule {
    type Error = String;
    fn try_from(v: Vec<String>) -> Result<Self, String> {
        Schedule::parse(&v).map_err(|(i, e)| format!("window {i}: {e}"))
    }
}

impl From<Schedule> for Vec<String> {
    fn from(s: Schedule) -> Self {
        s.windows.iter().map(|w| w.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_round_trips_through_text() {
        for s in ["22:00:00-06:00:00", "00:00:00-24:00:00", "09:15:30.5-17:00:00"] {
            assert_eq!(DailyWindow::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn whole_day_window_contains_everything() {
        let w = DailyWindow::parse("00:00-24:00").unwrap();
        for s in [0.0, 1.0, 43_200.0, 86_399.9] {
            assert!(w.contains(TimeOfDay::from_seconds(s)));
        }
    }

    #[test]
    fn malformed_times_are_refused() {
        for s in
            ["", "1:2:3:4", "aa:00", "12:60", "12:00:60", "-1:00", "24:01", "12:00:1.", "123:00"]
        {
            assert!(TimeOfDay::parse(s).is_err(), "{s}");
        }
        assert!(TimeOfDay::parse("24:00").is_err());
        assert!(DailyWindow::parse("22:00-24:00").is_ok());
    }
}
