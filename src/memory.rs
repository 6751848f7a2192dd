//! Process-wide allocator settings: large buffers (feed bodies up to `http.max_body_bytes`,
//! article pages) go back to the operating system when freed.
//!
//! glibc's malloc raises its mmap threshold (up to 32 MiB) every time a large mapped block is
//! freed; from then on multi-MiB buffers are carved from the per-thread arenas and stay there
//! after being freed, so each worker thread that once read a large body keeps that much
//! resident. A fixed threshold (which also fixes the trim threshold) keeps every block above
//! it in a mapping of its own, unmapped on free. Measured by `benches/hostile_memory.rs`.

/// Blocks at least this large get their own mapping.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 * 1024;

/// Applies the settings; call once, first thing in `main`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune_allocator() {
    // SAFETY: mallopt only changes allocator parameters (it takes the allocator's lock); no
    // pointer or memory is passed. A refused setting (return 0) leaves glibc's defaults.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// Gives free memory inside the allocator's heaps back to the operating system, after work
/// on a document of `bytes` (a feed body): documents above the mmap threshold leave a heap
/// full of freed parse results, which glibc would otherwise keep resident.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn after_large_document(bytes: usize) {
    if bytes >= MMAP_THRESHOLD as usize {
        // SAFETY: malloc_trim only returns free pages of the allocator's own heaps.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

/// Other allocators need no tuning.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune_allocator() {}

/// Other allocators return memory by their own rules.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn after_large_document(_bytes: usize) {}
