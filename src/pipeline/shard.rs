//! `--shard K/N`: a deterministic share of a batch, for splitting one run over machines.
//!
//! A contract belongs to shard `1 + (h mod N)`, where `h` is the first 8 bytes of the
//! SHA-256 of `vendor/customer` (`vendor/-` for the vendor's own documents). The share
//! depends only on those names, not on the order of files or on the other customers, so a
//! customer stays on the same shard when others are added or removed, and all documents of
//! one customer land on the same shard.

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 2/8");
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    pub fn contains(&self, vendor: &str, customer: Option<&str>) -> bool {
        let key = format!("{vendor}/{}", customer.unwrap_or("-"));
        let digest = Sha256::digest(key.as_bytes());
        let mut h = [0u8; 8];
        h.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(h) % u64::from(self.count)) as u32 + 1 == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1/0", "x/2", "3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_and_balance() {
        let n = 4;
        let mut counts = [0; 4];
        for c in 0..4000 {
            let name = format!("klant-{c}");
            let owners: Vec<u32> = (1..=n)
                .filter(|k| {
                    Shard {
                        index: *k,
                        count: n,
                    }
                    .contains("acme", Some(&name))
                })
                .collect();
            assert_eq!(owners.len(), 1, "{name} belongs to exactly one shard");
            counts[owners[0] as usize - 1] += 1;
        }
        assert!(counts.iter().all(|c| (850..1150).contains(c)), "{counts:?}");
    }
}
