#include "store/sqlite/wal_buffer.h"

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>

namespace jaga::sqlite {

namespace {

// The system VFS writes at most 0x1ffff bytes in one call (it masks larger
// counts), so the buffer stays under that: 31 frames of 4 KiB pages, one
// call where there were 62.
constexpr int kBufferBytes = 127 * 1024;

sqlite3_vfs* system_vfs = nullptr;

// A WAL as this VFS opens it: the system VFS's file sits after this header.
struct WalFile {
  sqlite3_file base;
  sqlite3_file* real;
  char* buffer;
  int used;
  sqlite3_int64 start;  // the file offset of buffer[0]
};

constexpr size_t kRealOffset = (sizeof(WalFile) + 15) & ~size_t{15};

WalFile& wal(sqlite3_file* file) { return *reinterpret_cast<WalFile*>(file); }
sqlite3_file* real(sqlite3_file* file) { return wal(file).real; }

// Writes out what the buffer holds. A failed write loses it and says so: the
// commit it belonged to fails at its sync, as it would have at the write.
int flush(WalFile& file) {
  if (file.used == 0) return SQLITE_OK;
  int rc = file.real->pMethods->xWrite(file.real, file.buffer, file.used, file.start);
  file.used = 0;
  return rc;
}

int wal_close(sqlite3_file* file) {
  WalFile& w = wal(file);
  int flushed = flush(w);
  std::free(w.buffer);
  w.buffer = nullptr;
  int closed = w.real->pMethods->xClose(w.real);
  return flushed != SQLITE_OK ? flushed : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  if (int rc = flush(wal(file)); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xRead(real(file), out, amount, offset);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile& w = wal(file);
  if (w.used > 0 && offset == w.start + w.used && amount <= kBufferBytes - w.used) {
    std::memcpy(w.buffer + w.used, data, static_cast<size_t>(amount));
    w.used += amount;
    return SQLITE_OK;
  }
  // Not the next bytes (the header of a restarted WAL, a page rewritten in
  // place), or no room: what is held goes first, so writes keep their order.
  if (int rc = flush(w); rc != SQLITE_OK) return rc;
  if (!w.buffer && amount < kBufferBytes) w.buffer = static_cast<char*>(std::malloc(kBufferBytes));
  if (!w.buffer || amount >= kBufferBytes) return w.real->pMethods->xWrite(w.real, data, amount, offset);
  std::memcpy(w.buffer, data, static_cast<size_t>(amount));
  w.start = offset;
  w.used = amount;
  return SQLITE_OK;
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (int rc = flush(wal(file)); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xTruncate(real(file), size);
}

int wal_sync(sqlite3_file* file, int flags) {
  if (int rc = flush(wal(file)); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xSync(real(file), flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  if (int rc = flush(wal(file)); rc != SQLITE_OK) return rc;
  return real(file)->pMethods->xFileSize(real(file), size);
}

int wal_lock(sqlite3_file* file, int level) { return real(file)->pMethods->xLock(real(file), level); }
int wal_unlock(sqlite3_file* file, int level) { return real(file)->pMethods->xUnlock(real(file), level); }
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  return real(file)->pMethods->xCheckReservedLock(real(file), out);
}
int wal_file_control(sqlite3_file* file, int op, void* arg) {
  return real(file)->pMethods->xFileControl(real(file), op, arg);
}
int wal_sector_size(sqlite3_file* file) { return real(file)->pMethods->xSectorSize(real(file)); }
int wal_device_characteristics(sqlite3_file* file) {
  return real(file)->pMethods->xDeviceCharacteristics(real(file));
}

// Version 1: SQLite maps no WAL into memory and keeps its shared memory on
// the database file, so a WAL needs none of the later methods.
const sqlite3_io_methods kWalMethods = {
    1,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

int open_file(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  // Everything but a WAL is the system VFS's file in this very memory.
  if (!(flags & SQLITE_OPEN_WAL)) return system_vfs->xOpen(system_vfs, name, file, flags, out_flags);
  auto* inner = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  inner->pMethods = nullptr;
  int rc = system_vfs->xOpen(system_vfs, name, inner, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (inner->pMethods) inner->pMethods->xClose(inner);
    file->pMethods = nullptr;
    return rc;
  }
  WalFile& w = wal(file);
  w.real = inner;
  w.buffer = nullptr;
  w.used = 0;
  w.start = 0;
  w.base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

}  // namespace

const char* buffered_wal_vfs() {
  static sqlite3_vfs vfs = [] {
    system_vfs = sqlite3_vfs_find(nullptr);
    // The system VFS's other methods read only fields this copy keeps.
    sqlite3_vfs copy = *system_vfs;
    copy.zName = "jaga-buffered-wal";
    copy.szOsFile = static_cast<int>(kRealOffset) + system_vfs->szOsFile;
    copy.xOpen = open_file;
    copy.pNext = nullptr;
    return copy;
  }();
  static const int registered = sqlite3_vfs_register(&vfs, 0);
  (void)registered;
  return vfs.zName;
}

}  // namespace jaga::sqlite
