// Tests for checker/tls/worker_threads.cpp: all workers run at once, all are joined, none for zero.
#include <catch2/catch.hpp>

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "tls/worker_threads.h"

using namespace tlsdoctor;

TEST_CASE("run_on_workers runs every worker at the same time and returns when all are done", "[worker_threads]") {
  constexpr std::size_t kWorkers = 8;
  std::mutex mutex;
  std::condition_variable all_arrived;
  std::size_t arrived = 0;
  std::atomic<std::size_t> finished{0};
  bool everyone_met = true;
  const std::function<void()> work = [&] {
    std::unique_lock lock(mutex);
    ++arrived;
    all_arrived.notify_all();
    // Only possible if all kWorkers run concurrently: each waits for the last to arrive.
    if (!all_arrived.wait_for(lock, std::chrono::seconds(10), [&] { return arrived == kWorkers; })) {
      everyone_met = false;
    }
    lock.unlock();
    ++finished;
  };
  tls::run_on_workers(kWorkers, work);
  CHECK(finished == kWorkers);
  CHECK(everyone_met);
}

TEST_CASE("run_on_workers with no workers runs nothing", "[worker_threads]") {
  std::atomic<int> calls{0};
  tls::run_on_workers(0, [&] { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("workers get kWorkerStackBytes of stack, not glibc's 8 MiB default", "[worker_threads]") {
  std::atomic<std::size_t> stack_size{0};
  tls::run_on_workers(1, [&] {
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0) return;
    std::size_t size = 0;
    if (pthread_attr_getstacksize(&attributes, &size) == 0) stack_size = size;
    pthread_attr_destroy(&attributes);
  });
  CHECK(stack_size == tls::kWorkerStackBytes);
}
