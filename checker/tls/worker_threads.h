// Runs one piece of work on several threads with small stacks and joins them all: the probe engine's workers.
#pragma once

#include <cstddef>
#include <functional>

namespace tlsdoctor::tls {

// A probe's deepest stack is OpenSSL's handshake or libcurl's CONNECT: every tls, lab and e2e
// test passed with 96 KiB stacks in the unoptimised dev build (tried 2026-11-22). glibc's
// default of 8 MiB per thread has 64 workers map 512 MiB, beyond the 40 MiB of stacks glibc
// keeps for reuse, so every batch paid for mapping, touching and unmapping fresh stacks; 64
// stacks of 512 KiB fit in that cache with a fivefold margin. Sanitizer builds have frames
// several times larger.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TLSDOCTOR_WORKERS_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(TLSDOCTOR_WORKERS_UNDER_ASAN)
inline constexpr std::size_t kWorkerStackBytes = 4 * 1024 * 1024;
#else
inline constexpr std::size_t kWorkerStackBytes = 512 * 1024;
#endif

// Calls `work` on `count` threads at once (none when `count` is 0) (each with kWorkerStackBytes of stack) and returns
// when all have returned. When the system refuses a thread, the ones already started (or, if
// none, the calling thread) carry the work: fewer workers, never lost work. `work` must not
// throw.
void run_on_workers(std::size_t count, const std::function<void()>& work);

}  // namespace tlsdoctor::tls
