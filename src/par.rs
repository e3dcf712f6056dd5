//! Order-preserving parallel map: native threads when asked for more than
//! one, the calling thread otherwise (and always in wasm, which has no
//! threads here). Results come back in item order, so a figure never
//! depends on the thread count. No wasm here.

/// `f` over `items`, on up to `threads` threads, each with its own state
/// from `init` (scratch buffers reused from item to item). A panic in `f`
/// is re-raised on the calling thread.
pub fn map_with<T, S, R, I, F>(items: &[T], threads: usize, init: I, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &T) -> R + Sync,
{
    let threads = threads.min(items.len());
    #[cfg(target_arch = "wasm32")]
    let _ = threads;
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let next = AtomicUsize::new(0);
        let (next, init, f) = (&next, &init, &f);
        let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(move || {
                        let mut state = init();
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= items.len() {
                                break done;
                            }
                            done.push((i, f(&mut state, &items[i])));
                        }
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
        });
        let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        for (i, r) in parts.into_iter().flatten() {
            slots[i] = Some(r);
        }
        return slots.into_iter().map(|r| r.expect("every item is taken by exactly one thread")).collect();
    }
    let mut state = init();
    items.iter().map(|x| f(&mut state, x)).collect()
}

/// [`map_with`] without per-thread state.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_with(items, threads, || (), |_, x| f(x))
}

/// `f` over each of `items` by mutable reference, on up to `threads`
/// threads (each item taken by exactly one), results in item order.
pub fn map_mut<T: Send, R: Send>(items: &mut [T], threads: usize, f: impl Fn(&mut T) -> R + Sync) -> Vec<R> {
    let cells: Vec<std::sync::Mutex<&mut T>> = items.iter_mut().map(std::sync::Mutex::new).collect();
    map(&cells, threads, |cell| {
        let mut item = cell.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut item)
    })
}

/// The threads the machine offers (1 when unknown, always 1 in wasm).
pub fn available() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_item_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..1000).collect();
        let one = map(&items, 1, |x| x * x);
        for threads in [2, 3, 8, 5000] {
            assert_eq!(map(&items, threads, |x| x * x), one);
        }
        let counted = map_with(&items, 4, || 0usize, |seen, x| {
            *seen += 1;
            x + 1
        });
        assert_eq!(counted, items.iter().map(|x| x + 1).collect::<Vec<_>>());
        assert!(map(&[] as &[u8], 4, |x| *x).is_empty());
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_reaches_the_caller() {
        let items = [1, 2, 3, 4];
        map(&items, 2, |&x| if x == 3 { panic!("boom") } else { x });
    }
}
