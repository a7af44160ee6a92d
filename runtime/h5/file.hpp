// HDF5 files, groups and the objects in them. No Lua here.
//
// A FileState is shared by the File handle and every object opened from it:
// the file stays open while any of them is alive, and File::close() closes it
// (and every object opened through it) at once, after which the objects
// report "file has been closed".
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core.hpp"

namespace tessera::h5 {

struct FileState {
  Handle file;
  std::string path;
  std::string mode;
  bool writable = false;
  bool open = false;
  // Held by the I/O thread while it reads, and by close(): a read-ahead never
  // runs on a closed file.
  std::mutex io;

  ~FileState();
  // Closes every object opened through this file, then the file. Idempotent.
  void close();
};

enum class ObjectKind { Group, Dataset };

// A group (or a file's root group) or a dataset.
class Object {
 public:
  Object(std::shared_ptr<FileState> file, hid_t id, ObjectKind kind, std::string name);
  ~Object();
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  // The identifier; throws Error("file has been closed") or
  // Error("<name> has been closed").
  hid_t id() const;
  bool is_open() const { return id_ >= 0 && file_ && file_->open; }
  void close();  // idempotent
  ObjectKind kind() const { return kind_; }
  const std::string& name() const { return name_; }  // the HDF5 path, "/a/b"
  const std::shared_ptr<FileState>& file() const { return file_; }

 private:
  std::shared_ptr<FileState> file_;
  hid_t id_;
  ObjectKind kind_;
  std::string name_;
};

// Modes: "r" (read), "r+" (read/write, must exist), "w" (create, truncate),
// "x" (create, fail if it exists), "a" (read/write, create if missing).
std::shared_ptr<FileState> open_file(const std::string& path, const std::string& mode);
// The root group "/" of an open file.
std::shared_ptr<Object> root(const std::shared_ptr<FileState>& file);

// Paths are relative to loc (or absolute, from "/").
std::shared_ptr<Object> create_group(const Object& loc, const std::string& path);
std::shared_ptr<Object> open_object(const Object& loc, const std::string& path);
bool exists(const Object& loc, const std::string& path);
ObjectKind kind_of(const Object& loc, const std::string& path);
std::vector<std::string> keys(const Object& loc);  // names of the members, sorted
void remove(const Object& loc, const std::string& path);
void move(const Object& loc, const std::string& from, const std::string& to);
// Paths (relative to loc, without a leading "/") of every dataset below loc.
std::vector<std::string> dataset_paths(const Object& loc);
void flush(const Object& loc);

// Link creation property list that makes missing intermediate groups.
Handle intermediate_lcpl();

}  // namespace tessera::h5
