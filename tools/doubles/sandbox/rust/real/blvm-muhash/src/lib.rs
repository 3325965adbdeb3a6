//! MuHash of the sandbox blvm stack: a rolling multiset hash (insert and remove in any order),
//! which the node uses to commit to a set of items.

mod fault;
mod revision;

pub use revision::REVISION;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MuHash {
    acc: u64,
}

fn spread(item: u64) -> u64 {
    let mut h = item.wrapping_add(0x9e37_79b9_7f4a_7c15);
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl MuHash {
    pub fn new() -> MuHash {
        MuHash::default()
    }

    pub fn insert(&mut self, item: u64) {
        self.acc = self.acc.wrapping_add(spread(item));
    }

    pub fn remove(&mut self, item: u64) {
        self.acc = self.acc.wrapping_sub(spread(item));
    }

    pub fn finish(&self) -> u64 {
        self.acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_does_not_matter_and_remove_undoes_insert() {
        let mut a = MuHash::new();
        let mut b = MuHash::new();
        for x in [1, 2, 3] {
            a.insert(x);
        }
        for x in [3, 1, 2, 9] {
            b.insert(x);
        }
        b.remove(9);
        assert_eq!(a.finish(), b.finish());
        assert_ne!(a.finish(), MuHash::new().finish());
    }
}
