//! Keet Link: the account-linking modal, as a Leptos component compiled to
//! WebAssembly.
//!
//! The layers are crates, and their arrows point one way (`cargo metadata`
//! shows them):
//! - `keet-link-i18n` ([`i18n`]): the locales and their sentences;
//! - `keet-link-protocol` ([`protocol`], with [`secret`] and [`colour`]): the
//!   HTTP API's wire types and their checks, shared with the sandbox server;
//! - `keet-link-flow` ([`flow`], [`config`], [`host_frame`]): the link flow
//!   as a sans-IO state machine, the host's config and the host–frame
//!   protocol, tested on the host;
//! - this crate: [`widget`] (feature `widget`, browser only), the Leptos
//!   view and the JavaScript boundary, over the crates above, which it
//!   re-exports under these names.

pub use keet_link_flow as flow;
pub use keet_link_flow::{config, host_frame};
pub use keet_link_i18n as i18n;
pub use keet_link_protocol as protocol;
pub use keet_link_protocol::{colour, secret};
pub mod heap;
#[cfg(feature = "widget")]
pub mod widget;

/// The wasm's allocator: [`heap::SizeClassHeap`] over the module's own
/// linear memory. Only where one thread can run (wasm without `atomics`).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod wasm_heap {
    use crate::heap::SizeClassHeap;
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::wasm32::memory_grow;
    use core::cell::UnsafeCell;

    const PAGE: usize = 65536;

    struct WasmHeap(UnsafeCell<SizeClassHeap>);

    // SAFETY: wasm without the `atomics` feature runs one thread, and none
    // can be started, so the heap is never used from two at once; nor is it
    // entered again while in use, since it calls nothing that allocates.
    unsafe impl Sync for WasmHeap {}

    /// Grows the memory by whole pages, at least `bytes`.
    fn grow(bytes: usize) -> Option<(usize, usize)> {
        let pages = bytes.div_ceil(PAGE);
        let old = memory_grow(0, pages);
        (old != usize::MAX).then(|| (old * PAGE, pages * PAGE))
    }

    // SAFETY (each method): one thread (above), and the linear memory the
    // heap carves from is never shrunk.
    unsafe impl GlobalAlloc for WasmHeap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { (*self.0.get()).allocate(layout, grow) }
        }

        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            unsafe { (*self.0.get()).release(block, layout) }
        }

        unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            unsafe { (*self.0.get()).resize(block, layout, new_size, grow) }
        }
    }

    #[global_allocator]
    static HEAP: WasmHeap = WasmHeap(UnsafeCell::new(SizeClassHeap::new()));
}
