// Splitting CPU-bound work over the cores: normalising a million indicators
// takes a second on one core and half that on two.
#pragma once

#include <algorithm>
#include <cstddef>
#include <future>
#include <vector>

namespace jaga {

// Runs fn(begin, end) over [0, count) in `threads` parts at once; small
// counts in the calling thread.
template <class Fn>
void in_parallel(size_t count, int threads, Fn fn) {
  if (threads <= 1 || count < 10000) return fn(size_t{0}, count);
  std::vector<std::future<void>> parts;
  size_t step = (count + threads - 1) / threads;
  for (size_t begin = 0; begin < count; begin += step)
    parts.push_back(std::async(std::launch::async, fn, begin, std::min(count, begin + step)));
  for (auto& part : parts) part.get();
}

}  // namespace jaga
