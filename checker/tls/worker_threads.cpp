// Starts worker threads with pthread attributes (std::thread cannot set a stack size) and joins them.
#include "tls/worker_threads.h"

#include <pthread.h>

#include <vector>

namespace tlsdoctor::tls {
namespace {

void* call_work(void* work) {
  (*static_cast<const std::function<void()>*>(work))();
  return nullptr;
}

}  // namespace

void run_on_workers(std::size_t count, const std::function<void()>& work) {
  if (count == 0) return;
  pthread_attr_t attributes;
  const bool have_attributes = pthread_attr_init(&attributes) == 0;
  if (have_attributes) (void)pthread_attr_setstacksize(&attributes, kWorkerStackBytes);
  std::vector<pthread_t> threads;
  threads.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    pthread_t thread{};
    // The work is shared by reference: it outlives every thread, since all are joined below.
    void* argument = const_cast<std::function<void()>*>(&work);
    if (pthread_create(&thread, have_attributes ? &attributes : nullptr, call_work, argument) != 0) break;
    threads.push_back(thread);
  }
  if (have_attributes) pthread_attr_destroy(&attributes);
  if (threads.empty()) work();
  for (const pthread_t thread : threads) pthread_join(thread, nullptr);
}

}  // namespace tlsdoctor::tls
