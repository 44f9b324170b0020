//! The widget's memory allocator in its wasm: blocks in power-of-two size
//! classes, each class a free list, carved from the pages the module grows
//! its memory by.
//!
//! It replaces the standard library's dlmalloc, whose code was 2.1 KB of
//! the frame's brotli (measured against an allocator that never frees:
//! DECISIONS S8). What it gives up is dlmalloc's coalescing: a freed block
//! serves later requests of its own class only, and a block is up to twice
//! the size asked for. A modal makes the same few shapes of allocation over
//! and over, so each class's free list reaches its high-water mark in the
//! first open and the memory stops growing there (the thousand-cycle
//! memory tests hold that).
//!
//! [`SizeClassHeap`] is plain logic over addresses, tested on the host
//! against memory of its own; the wasm's `#[global_allocator]` (in
//! `lib.rs`) gives it `memory.grow`.

use core::alloc::Layout;
use core::ptr;

/// Blocks are aligned to their own size up to this many bytes, so that a
/// freed block suits any later request of its class. A layout that asks for
/// more is carved at its own alignment and never reused (nothing in this
/// crate asks for it).
pub const MAX_BLOCK_ALIGN: usize = 64;

/// The smallest block: a free block holds the address of the next one.
const MIN_BLOCK: usize = 8;

/// The allocator's state: one free list per size class, and the fresh
/// memory not yet carved into blocks.
pub struct SizeClassHeap {
    /// The first free block of each class (class `k` holds blocks of `2^k`
    /// bytes), or 0 for none; each free block starts with the next one's
    /// address.
    free: [usize; usize::BITS as usize],
    /// Where the next block may be carved from.
    next: usize,
    /// The end of the memory grown so far.
    end: usize,
}

/// The size of the block that serves `layout`: a power of two at least its
/// size and its alignment, or `None` past the largest.
fn block_size(layout: Layout) -> Option<usize> {
    layout
        .size()
        .max(layout.align())
        .max(MIN_BLOCK)
        .checked_next_power_of_two()
}

impl Default for SizeClassHeap {
    fn default() -> Self {
        Self::new()
    }
}

impl SizeClassHeap {
    pub const fn new() -> Self {
        Self {
            free: [0; usize::BITS as usize],
            next: 0,
            end: 0,
        }
    }

    /// A block for `layout`, or null when none can be had. `grow(bytes)`
    /// adds at least `bytes` of fresh memory and gives its start and length,
    /// or `None` when the memory cannot grow.
    ///
    /// # Safety
    /// Every address this heap has handed out or been given by `grow` must
    /// still be memory it may write (as the wasm's linear memory always is).
    pub unsafe fn allocate(
        &mut self,
        layout: Layout,
        grow: impl FnOnce(usize) -> Option<(usize, usize)>,
    ) -> *mut u8 {
        let Some(size) = block_size(layout) else {
            return ptr::null_mut();
        };
        let class = size.trailing_zeros() as usize;
        let head = self.free[class];
        if head != 0 && layout.align() <= MAX_BLOCK_ALIGN {
            // SAFETY: a free block starts with the next one's address,
            // written by `release`.
            self.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let align = size.min(MAX_BLOCK_ALIGN).max(layout.align());
        let mut start = align_up(self.next, align);
        if start
            .checked_add(size)
            .is_none_or(|block_end| block_end > self.end)
        {
            let Some((fresh, length)) = size.checked_add(align).and_then(grow) else {
                return ptr::null_mut();
            };
            // Memory grown right after the old end extends what is left of
            // it; anywhere else, that remainder is given up.
            if fresh != self.end {
                self.next = fresh;
            }
            self.end = fresh + length;
            start = align_up(self.next, align);
        }
        self.next = start + size;
        start as *mut u8
    }

    /// Gives `block`, allocated for `layout`, back to its class.
    ///
    /// # Safety
    /// `block` came from [`Self::allocate`] or [`Self::resize`] with this
    /// `layout`, and is not used again.
    pub unsafe fn release(&mut self, block: *mut u8, layout: Layout) {
        let Some(size) = block_size(layout) else {
            return;
        };
        if layout.align() > MAX_BLOCK_ALIGN {
            return;
        }
        let class = size.trailing_zeros() as usize;
        // SAFETY: the block is at least MIN_BLOCK bytes, aligned to at least
        // that, and no longer in use.
        unsafe { *(block as *mut usize) = self.free[class] };
        self.free[class] = block as usize;
    }

    /// `block` (allocated for `layout`) with room for `new_size` bytes and
    /// its contents up to the smaller size: the same block where its class
    /// is the same, else a new one. Null when no new block can be had, and
    /// then `block` is untouched.
    ///
    /// # Safety
    /// As [`Self::allocate`] and [`Self::release`].
    pub unsafe fn resize(
        &mut self,
        block: *mut u8,
        layout: Layout,
        new_size: usize,
        grow: impl FnOnce(usize) -> Option<(usize, usize)>,
    ) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return ptr::null_mut();
        };
        if layout.align() <= MAX_BLOCK_ALIGN && block_size(new_layout) == block_size(layout) {
            return block;
        }
        // SAFETY: as the caller promised.
        let moved = unsafe { self.allocate(new_layout, grow) };
        if !moved.is_null() {
            // SAFETY: two distinct blocks, each at least the smaller size.
            unsafe {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.release(block, layout);
            }
        }
        moved
    }
}

fn align_up(address: usize, align: usize) -> usize {
    (address + align - 1) & !(align - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wasm's page, which `memory.grow` counts in.
    const PAGE: usize = 65536;

    /// Memory for the heap to grow into: pages of a buffer of its own, as
    /// `memory.grow` gives the wasm's.
    struct Pages {
        buffer: Vec<u64>,
        grown: usize,
    }

    impl Pages {
        fn new(bytes: usize) -> Self {
            Self {
                buffer: vec![0; bytes / 8],
                grown: 0,
            }
        }

        fn base(&self) -> usize {
            self.buffer.as_ptr() as usize
        }

        fn grow(&mut self) -> impl FnOnce(usize) -> Option<(usize, usize)> + '_ {
            move |at_least| {
                let length = at_least.div_ceil(PAGE) * PAGE;
                if self.grown + length > self.buffer.len() * 8 {
                    return None;
                }
                let start = self.base() + self.grown;
                self.grown += length;
                Some((start, length))
            }
        }
    }

    /// A small deterministic generator, so that a failure repeats.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, bound: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % bound
        }
    }

    struct Live {
        block: *mut u8,
        layout: Layout,
        mark: u8,
    }

    fn fill(live: &Live) {
        // SAFETY: the block is live and at least layout.size() bytes.
        unsafe { ptr::write_bytes(live.block, live.mark, live.layout.size()) };
    }

    fn assert_intact(live: &Live) {
        // SAFETY: as in fill.
        let bytes = unsafe { std::slice::from_raw_parts(live.block, live.layout.size()) };
        assert!(
            bytes.iter().all(|&byte| byte == live.mark),
            "a block of {:?} was overwritten while in use",
            live.layout
        );
    }

    #[test]
    fn blocks_in_use_never_overlap_and_each_is_aligned_as_asked() {
        let mut pages = Pages::new(64 << 20);
        let mut heap = SizeClassHeap::new();
        let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut live: Vec<Live> = Vec::new();
        for round in 0..20_000u32 {
            match random.below(3) {
                0 | 1 => {
                    let largest = if random.below(8) == 0 { 70_000 } else { 300 };
                    let size = 1 + random.below(largest) as usize;
                    let align = 1 << random.below(8);
                    let layout = Layout::from_size_align(size, align).unwrap();
                    // SAFETY: the heap's memory is pages' buffer, alive for the test.
                    let block = unsafe { heap.allocate(layout, pages.grow()) };
                    assert!(!block.is_null(), "no block for {layout:?}");
                    assert_eq!(
                        block as usize % align,
                        0,
                        "a block for {layout:?} is not aligned"
                    );
                    let entry = Live {
                        block,
                        layout,
                        mark: round as u8 | 1,
                    };
                    fill(&entry);
                    live.push(entry);
                }
                _ if !live.is_empty() => {
                    let entry = live.swap_remove(random.below(live.len() as u64) as usize);
                    assert_intact(&entry);
                    if random.below(2) == 0 {
                        // SAFETY: allocated by this heap for this layout.
                        unsafe { heap.release(entry.block, entry.layout) };
                    } else {
                        let new_size = 1 + random.below(600) as usize;
                        // SAFETY: as above.
                        let block = unsafe {
                            heap.resize(entry.block, entry.layout, new_size, pages.grow())
                        };
                        let layout =
                            Layout::from_size_align(new_size, entry.layout.align()).unwrap();
                        let kept = entry.layout.size().min(new_size);
                        // SAFETY: the resized block is live and at least new_size bytes.
                        let bytes = unsafe { std::slice::from_raw_parts(block, kept) };
                        assert!(
                            bytes.iter().all(|&byte| byte == entry.mark),
                            "a resize lost its contents"
                        );
                        let entry = Live {
                            block,
                            layout,
                            mark: entry.mark.wrapping_add(2),
                        };
                        fill(&entry);
                        live.push(entry);
                    }
                }
                _ => {}
            }
            if round % 1000 == 0 {
                live.iter().for_each(assert_intact);
            }
        }
        live.iter().for_each(assert_intact);
    }

    #[test]
    fn opening_and_closing_the_same_shapes_again_grows_the_memory_no_further() {
        let mut pages = Pages::new(8 << 20);
        let mut heap = SizeClassHeap::new();
        let shapes: Vec<Layout> = [1, 7, 8, 24, 100, 129, 512, 3000, 40_000]
            .iter()
            .map(|&size| Layout::from_size_align(size, 8).unwrap())
            .collect();
        let one_cycle = |heap: &mut SizeClassHeap, pages: &mut Pages| {
            let blocks: Vec<*mut u8> = shapes
                .iter()
                // SAFETY: the heap's memory is pages' buffer.
                .map(|&layout| unsafe { heap.allocate(layout, pages.grow()) })
                .collect();
            for (&block, &layout) in blocks.iter().zip(&shapes).rev() {
                // SAFETY: allocated just above with this layout.
                unsafe { heap.release(block, layout) };
            }
        };
        one_cycle(&mut heap, &mut pages);
        let after_first = pages.grown;
        for _ in 0..1000 {
            one_cycle(&mut heap, &mut pages);
        }
        assert_eq!(pages.grown, after_first);
    }

    #[test]
    fn a_resize_within_the_block_keeps_it_in_place() {
        let mut pages = Pages::new(1 << 20);
        let mut heap = SizeClassHeap::new();
        let layout = Layout::from_size_align(40, 8).unwrap();
        // SAFETY: the heap's memory is pages' buffer.
        let block = unsafe { heap.allocate(layout, pages.grow()) };
        // SAFETY: allocated above with this layout.
        assert_eq!(
            unsafe { heap.resize(block, layout, 64, pages.grow()) },
            block
        );
    }

    #[test]
    fn memory_that_cannot_grow_gives_null_not_a_panic() {
        let mut pages = Pages::new(1 << 20);
        let mut heap = SizeClassHeap::new();
        let too_big = Layout::from_size_align(2 << 20, 8).unwrap();
        // SAFETY: the heap's memory is pages' buffer.
        assert!(unsafe { heap.allocate(too_big, pages.grow()) }.is_null());
        let largest = Layout::from_size_align(isize::MAX as usize, 1).unwrap();
        // SAFETY: as above.
        assert!(unsafe { heap.allocate(largest, pages.grow()) }.is_null());
        let small = Layout::from_size_align(16, 8).unwrap();
        // SAFETY: as above.
        assert!(!unsafe { heap.allocate(small, pages.grow()) }.is_null());
    }

    #[test]
    fn a_block_aligned_past_the_classes_is_aligned_and_never_handed_out_again() {
        let mut pages = Pages::new(1 << 20);
        let mut heap = SizeClassHeap::new();
        let layout = Layout::from_size_align(100, 4096).unwrap();
        // SAFETY: the heap's memory is pages' buffer.
        let block = unsafe { heap.allocate(layout, pages.grow()) };
        assert_eq!(block as usize % 4096, 0);
        // SAFETY: allocated above with this layout.
        unsafe { heap.release(block, layout) };
        let same_class = Layout::from_size_align(4096, 8).unwrap();
        // SAFETY: as above.
        assert_ne!(unsafe { heap.allocate(same_class, pages.grow()) }, block);
    }
}
