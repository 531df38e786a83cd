#include "net/curl_library.hpp"

#include <gtest/gtest.h>

namespace getmesh::net {
namespace {

// zlib is loaded by every test process's dependencies, and has no curl functions: a stand-in
// for a libcurl that is too old.
const LibcurlLocation kLocation{{}, "the missing hint", "the too-old hint"};

LibcurlLocation trying(std::vector<std::string> names) {
  auto location = kLocation;
  location.names = std::move(names);
  return location;
}

TEST(CurlLibraryLoad, ALibraryWithoutEveryFunctionIsSkippedForTheNextOne) {
  const auto loaded =
      CurlLibrary::load(trying({"/nonexistent/libcurl.so.4", "libz.so.1", "libcurl.so.4"}));
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_NE(loaded->multi_poll, nullptr);
  EXPECT_NE(loaded->global_init, nullptr);
}

TEST(CurlLibraryLoad, LibrariesThatAllLackAFunctionAreTooOld) {
  const auto loaded = CurlLibrary::load(trying({"/nonexistent/libcurl.so.4", "libz.so.1"}));
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("too old"), std::string::npos) << loaded.error().message;
  EXPECT_EQ(loaded.error().hint, "the too-old hint");
}

TEST(CurlLibraryLoad, NoLibraryNamesTheFirstOneAndTheMissingHint) {
  const auto loaded = CurlLibrary::load(trying({"/nonexistent/libcurl.so.4", "/nonexistent/b.so"}));
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("/nonexistent/libcurl.so.4"), std::string::npos)
      << loaded.error().message;
  EXPECT_EQ(loaded.error().hint, "the missing hint");
}

}  // namespace
}  // namespace getmesh::net
