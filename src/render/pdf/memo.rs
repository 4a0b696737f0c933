//! A small shared cache for work that repeats from letter to letter of a
//! batch: the same font subset, the same paragraph broken into lines.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Bounded: when full it starts again, which keeps memory flat and costs
/// little, since a batch's letters mostly share a handful of glyph sets.
pub struct Memo<K, V> {
    map: Mutex<HashMap<K, V>>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    pub fn new(capacity: usize) -> Memo<K, V> {
        Memo {
            map: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// The value for `key`, made by `make` on a miss. `make` runs outside the
    /// lock, so threads never wait on each other's work.
    pub fn get_or_insert(&self, key: K, make: impl FnOnce() -> V) -> V {
        if let Some(value) = self.lock().get(&key) {
            return value.clone();
        }
        let value = make();
        let mut map = self.lock();
        if map.len() >= self.capacity {
            map.clear();
        }
        map.insert(key, value.clone());
        value
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, V>> {
        // A panic elsewhere cannot leave a half-made entry: values are inserted whole.
        self.map
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn makes_each_value_once_and_stays_bounded() {
        let memo: Memo<u32, u32> = Memo::new(2);
        let mut made = 0;
        for key in [1, 1, 2, 1, 3, 3] {
            let value = memo.get_or_insert(key, || {
                made += 1;
                key * 10
            });
            assert_eq!(value, key * 10);
        }
        assert_eq!(made, 3);
        assert!(memo.lock().len() <= 2);
    }
}
