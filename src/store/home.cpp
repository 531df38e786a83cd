#include <getmesh/core/fs.hpp>
#include <getmesh/store/home.hpp>

#include <pwd.h>
#include <unistd.h>

namespace getmesh::store {

Result<Home> Home::locate(const Environment& environment) {
  if (auto home = environment.get("GETMESH_HOME")) return Home(*home);
  if (auto user_home = environment.get("HOME"))
    return Home(std::filesystem::path(*user_home) / ".getmesh");
  if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir != nullptr) {
    return Home(std::filesystem::path(entry->pw_dir) / ".getmesh");
  }
  return runtime_error("cannot find a home directory for getmesh: HOME is not set",
                       "set GETMESH_HOME to the directory getmesh should use");
}

Status Home::create() const {
  if (auto created = ensure_directory(root_); !created) {
    return created.error().with_context("cannot use the getmesh home");
  }
  return {};
}

}  // namespace getmesh::store
