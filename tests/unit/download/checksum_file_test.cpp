#include "download/checksum_file.hpp"

#include <gtest/gtest.h>

namespace getmesh::download {
namespace {

const std::string kDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string kOther = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

TEST(ChecksumFile, AcceptsSha256sumAndBareLines) {
  const struct {
    std::string text;
  } cases[] = {{kDigest + "  a.tar.gz\n"},
               {kDigest + " *a.tar.gz\n"},
               {kDigest + "\n"},
               {kDigest},
               {"\n# comment\n" + kDigest + "\tdir/a.tar.gz\r\n"},
               {"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD  a.tar.gz"},
               // A single entry may name another file: mirrors rename upstream archives.
               {kDigest + "  istioctl-1.29.8-linux-amd64.tar.gz\n"}};
  for (const auto& test : cases) {
    const auto digest = parse_checksum_file(test.text, "a.tar.gz", "m/a.tar.gz.sha256");
    ASSERT_TRUE(digest.ok()) << test.text << ": " << digest.error().message;
    EXPECT_EQ(*digest, kDigest) << test.text;
  }
}

TEST(ChecksumFile, PicksTheArchivesLineFromSeveral) {
  const auto digest =
      parse_checksum_file(kOther + "  b.tar.gz\n" + kDigest + "  ./a.tar.gz\n", "a.tar.gz", "x");
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, kDigest);
  const auto missing =
      parse_checksum_file(kOther + "  b.tar.gz\n" + kDigest + "  c.tar.gz\n", "a.tar.gz", "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("none named a.tar.gz"), std::string::npos);
}

TEST(ChecksumFile, RejectsWhatIsNotAChecksumFile) {
  for (const std::string& text :
       {std::string("<html><body>404 Not Found</body></html>"), std::string(""),
        std::string("   \n"), kDigest.substr(1) + "  a.tar.gz", kDigest + "0  a.tar.gz",
        "zz" + kDigest.substr(2), std::string("md5 d41d8cd98f00b204e9800998ecf8427e")}) {
    const auto digest = parse_checksum_file(text, "a.tar.gz", "https://m/a.tar.gz.sha256");
    ASSERT_FALSE(digest.ok()) << text;
    EXPECT_NE(digest.error().message.find("https://m/a.tar.gz.sha256"), std::string::npos);
    EXPECT_FALSE(digest.error().hint.empty());
  }
  const auto html = parse_checksum_file("\n <!DOCTYPE html>", "a.tar.gz", "x");
  ASSERT_FALSE(html.ok());
  EXPECT_NE(html.error().message.find("HTML page"), std::string::npos);
}

}  // namespace
}  // namespace getmesh::download
