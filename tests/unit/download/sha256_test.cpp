#include "download/sha256.hpp"

#include <gtest/gtest.h>

namespace getmesh::download {
namespace {

TEST(Sha256, MatchesKnownVectors) {
  Sha256 hasher;
  EXPECT_EQ(hasher.finish(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hasher.update("abc");
  EXPECT_EQ(hasher.finish(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, HashesChunksLikeTheWhole) {
  Sha256 hasher;
  hasher.update("abcdbcdecdefdefgefghfghighij");
  hasher.update("hijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(hasher.finish(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, ResetDiscardsEarlierInput) {
  Sha256 hasher;
  hasher.update("garbage");
  hasher.reset();
  hasher.update("abc");
  EXPECT_EQ(hasher.finish(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace getmesh::download
