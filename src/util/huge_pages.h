// An allocator for big tables read at random (the matcher's hash table and
// keys): blocks of 2 MiB and more are aligned on 2 MiB and the kernel is
// asked to back them with huge pages, so that a lookup does not also miss
// the TLB. With 4 KiB pages a 50 MB table spans 12,000 pages, more than the
// TLB holds, and every probe walks the page table. Where the kernel says no
// (transparent huge pages off), the memory is ordinary memory.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace jaga {

template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHugePage = size_t{2} << 20;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(size_t count) {
    size_t bytes = count * sizeof(T);
    if (bytes < kHugePage) return static_cast<T*>(::operator new(bytes));
    bytes = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, bytes);
    if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, bytes, MADV_HUGEPAGE);  // advice: refused or not, the memory is usable
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t count) {
    if (count * sizeof(T) < kHugePage)
      ::operator delete(p);
    else
      std::free(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace jaga
