//! Findings reduced to small integers, made beside them during adjudication,
//! so that verification counts over millions of them without touching a report.

/// A finding reduced to small integers, made beside it during adjudication.
#[derive(Copy, Clone, Debug)]
pub struct FindingKey {
    /// Index of the incident (its report).
    pub incident: u32,
    /// The incident's date span, as day numbers (kept here so counting never touches the reports).
    pub first: i32,
    pub last: i32,
    pub clause: u16,
    /// Index of the responsible party, or [`NO_PARTY`].
    pub party: u16,
    pub violation: bool,
    /// The party is certainly the one responsible.
    pub certain: bool,
    /// The clause was certainly broken, by one of the `responsible` parties.
    pub breach_certain: bool,
    /// Bit `p` set: party `p` may be responsible ([`party_mask`]).
    pub responsible: u32,
    /// The agreement's counting filter leaves the incident out of counts over days.
    pub set_aside: bool,
}

/// Bit 31 stands for every party past the 31st: a set holding it is never taken
/// for a subset of a condition's parties.
const OVERFLOW: u32 = 1 << 31;

/// The parties as a bit set (see [`FindingKey::responsible`]).
pub fn party_mask(parties: &[usize]) -> u32 {
    parties
        .iter()
        .fold(0, |mask, &p| mask | (1u32 << p.min(31)))
}

/// Whether every party of `responsible` is one of `wanted`.
pub(crate) fn within(responsible: u32, wanted: u32) -> bool {
    responsible & OVERFLOW == 0 && responsible & !wanted == 0
}

/// The party of a finding no party is responsible for.
pub const NO_PARTY: u16 = u16::MAX;
