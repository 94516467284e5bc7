// Concurrent check execution: one task per check, results kept in report order.
#include "checks/runner.h"

#include <chrono>
#include <future>
#include <mutex>

namespace tlsdoctor::checks {

std::vector<CheckResult> run_checks(const std::vector<const Check*>& selected, const Context& ctx,
                                    const CheckDone& on_done) {
  using Clock = std::chrono::steady_clock;
  std::mutex reporting;  // declared before the tasks that lock it, so it outlives them
  std::vector<std::future<CheckResult>> pending;
  pending.reserve(selected.size());
  for (const Check* check : selected) {
    pending.push_back(std::async(std::launch::async, [check, &ctx, &on_done, &reporting] {
      const auto start = Clock::now();
      CheckResult result = check->run(ctx);
      result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      result.id = std::string(check->id());
      if (result.title.empty()) result.title = std::string(check->title());
      if (on_done) {
        const std::lock_guard lock(reporting);
        on_done(result);
      }
      return result;
    }));
  }
  std::vector<CheckResult> results;
  results.reserve(pending.size());
  for (auto& f : pending) results.push_back(f.get());
  return results;
}

}  // namespace tlsdoctor::checks
