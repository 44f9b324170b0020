//! The wasm's allocator (`keet_link::heap`) under any sequence of
//! allocations, releases and resizes of any size and alignment, over memory
//! that grows by pages until it cannot: every block it hands out is aligned
//! as asked, lies in memory it was given, and is never overwritten by
//! another while in use (each live block holds its own byte pattern, checked
//! before it goes). The sanitizer catches any write outside the buffer.
#![no_main]

use arbitrary::Arbitrary;
use keet_link::heap::SizeClassHeap;
use libfuzzer_sys::fuzz_target;
use std::alloc::Layout;

const PAGE: usize = 65536;
const MEMORY: usize = 64 * PAGE;

#[derive(Arbitrary, Debug)]
enum Step {
    Allocate { size: u32, align_log2: u8 },
    Release { which: u16 },
    Resize { which: u16, size: u32 },
}

struct Live {
    block: *mut u8,
    layout: Layout,
    mark: u8,
}

fn intact(live: &Live) -> bool {
    // SAFETY: a live block of at least layout.size() bytes.
    unsafe { std::slice::from_raw_parts(live.block, live.layout.size()) }
        .iter()
        .all(|&byte| byte == live.mark)
}

fn fill(live: &Live) {
    // SAFETY: as above.
    unsafe { std::ptr::write_bytes(live.block, live.mark, live.layout.size()) };
}

fuzz_target!(|steps: Vec<Step>| {
    let memory = vec![0u64; MEMORY / 8];
    let base = memory.as_ptr() as usize;
    let mut grown = 0usize;
    let mut grow = |at_least: usize| {
        let length = at_least.checked_next_multiple_of(PAGE)?;
        if grown + length > MEMORY {
            return None;
        }
        let start = base + grown;
        grown += length;
        Some((start, length))
    };
    let mut heap = SizeClassHeap::new();
    let mut live: Vec<Live> = Vec::new();
    let within = |block: *mut u8, size: usize| {
        let start = block as usize;
        start >= base && start + size <= base + MEMORY
    };
    for (index, step) in steps.into_iter().enumerate() {
        match step {
            Step::Allocate { size, align_log2 } => {
                let Ok(layout) =
                    Layout::from_size_align((size % 200_000) as usize + 1, 1 << (align_log2 % 13))
                else {
                    continue;
                };
                // SAFETY: the heap's memory is `memory`, alive for the run.
                let block = unsafe { heap.allocate(layout, &mut grow) };
                if block.is_null() {
                    continue;
                }
                assert_eq!(block as usize % layout.align(), 0, "{layout:?} misaligned");
                assert!(
                    within(block, layout.size()),
                    "{layout:?} outside the memory"
                );
                let entry = Live {
                    block,
                    layout,
                    mark: index as u8 | 1,
                };
                fill(&entry);
                live.push(entry);
            }
            Step::Release { which } if !live.is_empty() => {
                let entry = live.swap_remove(which as usize % live.len());
                assert!(
                    intact(&entry),
                    "{:?} overwritten while in use",
                    entry.layout
                );
                // SAFETY: allocated by this heap for this layout.
                unsafe { heap.release(entry.block, entry.layout) };
            }
            Step::Resize { which, size } if !live.is_empty() => {
                let at = which as usize % live.len();
                let size = (size % 200_000) as usize + 1;
                let old = &live[at];
                assert!(intact(old), "{:?} overwritten while in use", old.layout);
                // SAFETY: as above.
                let block = unsafe { heap.resize(old.block, old.layout, size, &mut grow) };
                if block.is_null() {
                    continue;
                }
                let layout = Layout::from_size_align(size, old.layout.align()).unwrap();
                assert!(within(block, size), "{layout:?} outside the memory");
                assert_eq!(block as usize % layout.align(), 0, "{layout:?} misaligned");
                let kept = old.layout.size().min(size);
                // SAFETY: the resized block is live and at least `size` bytes.
                let bytes = unsafe { std::slice::from_raw_parts(block, kept) };
                assert!(
                    bytes.iter().all(|&byte| byte == old.mark),
                    "a resize lost its contents"
                );
                let entry = Live {
                    block,
                    layout,
                    mark: old.mark.wrapping_add(2) | 1,
                };
                fill(&entry);
                live[at] = entry;
            }
            _ => {}
        }
    }
    for entry in &live {
        assert!(intact(entry), "{:?} overwritten while in use", entry.layout);
    }
});
