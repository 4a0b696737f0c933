//! A small shared cache for work that repeats from letter to letter of a
//! batch: the same font subset, the same paragraph broken into lines.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, LazyLock, Mutex};

use super::font::Style;

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

/// `break_lines(text, style, size, width)`, remembered: the letters of a
/// batch share most of their paragraphs (all but the ones that name the
/// signer), and breaking one into lines is a third of a letter's layout.
/// Texts longer than a paragraph are broken each time, so what is kept stays
/// small (at most 1,024 texts of 4 KB).
pub fn lines(
    text: &str,
    style: Style,
    size: f32,
    width: f32,
    break_lines: fn(&str, Style, f32, f32) -> Vec<String>,
) -> Vec<String> {
    type Key = (String, Style, u32, u32);
    static LINES: LazyLock<Memo<Key, Arc<Vec<String>>>> = LazyLock::new(|| Memo::new(1024));
    if text.len() > 4096 {
        return break_lines(text, style, size, width);
    }
    let key = (text.to_string(), style, size.to_bits(), width.to_bits());
    let lines = LINES.get_or_insert(key, || Arc::new(break_lines(text, style, size, width)));
    lines.to_vec()
}

#[cfg(test)]
mod tests {
    use super::{Memo, Style};

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

    #[test]
    fn a_text_is_broken_into_lines_once_unless_it_is_longer_than_a_paragraph() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static BROKEN: AtomicUsize = AtomicUsize::new(0);
        fn halves(text: &str, _: Style, _: f32, width: f32) -> Vec<String> {
            BROKEN.fetch_add(1, Ordering::SeqCst);
            let (a, b) = text.split_at(text.len() / 2);
            vec![a.to_string(), b.to_string(), width.to_string()]
        }
        let text = "a paragraph every letter of the batch has";
        let first = super::lines(text, Style::Regular, 11.0, 400.25, halves);
        assert_eq!(
            super::lines(text, Style::Regular, 11.0, 400.25, halves),
            first
        );
        assert_eq!(BROKEN.load(Ordering::SeqCst), 1);
        // Another width, size or face is another key.
        let narrower = super::lines(text, Style::Regular, 11.0, 300.0, halves);
        assert_eq!(narrower[2], "300");
        super::lines(text, Style::Bold, 11.0, 400.25, halves);
        super::lines(text, Style::Regular, 10.0, 400.25, halves);
        assert_eq!(BROKEN.load(Ordering::SeqCst), 4);
        let long = "word ".repeat(1_000);
        super::lines(&long, Style::Regular, 11.0, 400.25, halves);
        super::lines(&long, Style::Regular, 11.0, 400.25, halves);
        assert_eq!(BROKEN.load(Ordering::SeqCst), 6);
    }
}
