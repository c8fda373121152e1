// wait_for: the blocking form of an asynchronous Store call, for the CLI and tests.
#pragma once

#include <future>

namespace jaga {

template <class T, class Fn>
Result<T> wait_for(Fn&& call) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  call([&promise](Result<T> result) { promise.set_value(std::move(result)); });
  return future.get();
}

}  // namespace jaga
