// A SQLite VFS that gathers the consecutive writes of a WAL file into one
// system call. Internal to the SQLite backend; every Connection opens with it.
//
// SQLite writes a commit into the WAL as two writes per page, the frame's
// 24-byte header and then the page, so a commit of 10,000 pages is 20,000
// `pwrite` calls, each paying the file system's per-call work, and its frames
// (4,120 bytes) straddle the file system's blocks, which makes it zero parts of
// every new block. Here a WAL's writes that follow one another are kept in a
// buffer and written with one call when it is full, and before anything else
// touches the file (a read, its size, a truncation, a sync, closing it). What
// is on disk after a sync, and when the sync happens, is unchanged.
//
// Other connections learn of new frames from the WAL index, which SQLite
// updates only after the commit's sync when synchronous=FULL, so they never
// see a frame still in the buffer. Connections that write must therefore use
// synchronous=FULL, as Connection::open sets. Files other than WALs are the
// default VFS's own, untouched.
#pragma once

namespace jaga::sqlite {

// The name to open connections with; registers the VFS on first use.
const char* buffered_wal_vfs();

}  // namespace jaga::sqlite
