#include "support/executable_images.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/binary/go_build_info.hpp>

#include <gtest/gtest.h>

#include <random>

namespace getmesh::binary {
namespace {

using testing::GoImage;
using testing::ImageFormat;
using testing::istioctl_module_info;
using testing::make_go_image;

struct LayoutCase {
  ImageFormat format;
  bool inline_strings;
  bool named_section;
};

class EveryLayout : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(EveryLayout, ReadsVersionModuleAndSettings) {
  GoImage image;
  image.format = GetParam().format;
  image.inline_strings = GetParam().inline_strings;
  image.named_section = GetParam().named_section;
  image.go_version = "go1.22.5";
  image.module_info = istioctl_module_info("build\tCGO_ENABLED=0\nbuild\t-tags=netgo,osusergo\n");
  image.blob_offset = 32;

  const auto info = parse_go_build_info(make_go_image(image));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->go_version, "go1.22.5");
  EXPECT_EQ(info->path, "istio.io/istio/istioctl/cmd/istioctl");
  EXPECT_EQ(info->module_path, "istio.io/istio");
  EXPECT_EQ(info->module_version, "(devel)");
  EXPECT_EQ(info->setting("CGO_ENABLED"), "0");
  EXPECT_EQ(info->setting("-tags"), "netgo,osusergo");
  EXPECT_EQ(info->setting("-ldflags"), "-X istio.io/istio/pkg/version.buildVersion=1.22.3 -s -w");
  EXPECT_EQ(info->setting("GOEXPERIMENT"), std::nullopt);
  EXPECT_EQ(info->settings.size(), 7u);
  EXPECT_FALSE(fips_module(*info).present());
}

INSTANTIATE_TEST_SUITE_P(GoBuildInfo, EveryLayout,
                         ::testing::Values(LayoutCase{ImageFormat::kElf64, true, true},
                                           LayoutCase{ImageFormat::kElf64, false, true},
                                           LayoutCase{ImageFormat::kElf64, true, false},
                                           LayoutCase{ImageFormat::kElf32, true, true},
                                           LayoutCase{ImageFormat::kElf32, false, false},
                                           LayoutCase{ImageFormat::kElf64BigEndian, false, true},
                                           LayoutCase{ImageFormat::kElf64BigEndian, true, true},
                                           LayoutCase{ImageFormat::kMachO64, true, true},
                                           LayoutCase{ImageFormat::kMachO64, false, false},
                                           LayoutCase{ImageFormat::kMachO32, false, true},
                                           LayoutCase{ImageFormat::kUniversal, true, true}));

TEST(GoBuildInfo, TheBlobMustStartOnASixteenByteBoundary) {
  GoImage image;
  image.module_info = istioctl_module_info();
  image.blob_offset = 8;
  const auto misaligned = parse_go_build_info(make_go_image(image));
  ASSERT_FALSE(misaligned.ok());
  EXPECT_EQ(misaligned.error().message,
            "no Go build information in this executable (not built by Go 1.13 or later)");
  image.blob_offset = 48;
  EXPECT_TRUE(parse_go_build_info(make_go_image(image)).ok());
}

TEST(GoBuildInfo, ModuleTextWithoutFramingLeavesOnlyTheVersion) {
  GoImage image;
  image.module_info = "";  // a binary built outside module mode
  const auto info = parse_go_build_info(make_go_image(image));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->go_version, "go1.22.5");
  EXPECT_TRUE(info->path.empty());
  EXPECT_TRUE(info->settings.empty());
}

TEST(ModuleInfo, UnquotesKeysAndValuesAsGoQuotesThem) {
  GoBuildInfo info;
  parse_module_info(
      "path\texample.com/x\n"
      "mod\texample.com/x\tv1.2.3\th1:abc=\n"
      "build\t\"we=ird\"=value\n"
      "build\t-gcflags=\"all=-N -l\\t\\x41\\101\\u00e9\"\n"
      "build\t-asmflags=`raw \\t`\n"
      "build\tDefaultGODEBUG=fips140=on\n"
      "build\tGOEXPERIMENT=\n"
      "build\t=novalue\n"
      "build\tnoequals\n"
      "build\t\"unterminated=x\n"
      "build\t-x=\"trailing\" junk\n"
      "build\t-bad=\"\\q\"\n"
      "dep\tsomething\tv1\n"
      "garbage line without tab\n",
      info);
  EXPECT_EQ(info.path, "example.com/x");
  EXPECT_EQ(info.module_path, "example.com/x");
  EXPECT_EQ(info.module_version, "v1.2.3");
  ASSERT_EQ(info.settings.size(), 5u);
  EXPECT_EQ(info.settings[0].key, "we=ird");
  EXPECT_EQ(info.settings[0].value, "value");
  EXPECT_EQ(info.settings[1].value, "all=-N -l?AA??");  // tab and é are not printable ASCII
  EXPECT_EQ(info.settings[2].value, "raw \\t");
  EXPECT_EQ(info.setting("DefaultGODEBUG"), "fips140=on");
  EXPECT_EQ(info.setting("GOEXPERIMENT"), "");
}

struct FipsCase {
  std::string go_version;
  std::string build_lines;
  FipsModule module;
  std::string evidence;
};

class FipsDetection : public ::testing::TestWithParam<FipsCase> {};

TEST_P(FipsDetection, NamesTheModuleAndTheEvidence) {
  GoImage image;
  image.go_version = GetParam().go_version;
  image.module_info = istioctl_module_info(GetParam().build_lines);
  const auto info = parse_go_build_info(make_go_image(image));
  ASSERT_TRUE(info.ok()) << info.error().message;
  const auto fips = fips_module(*info);
  EXPECT_EQ(to_string(fips.module), to_string(GetParam().module));
  EXPECT_EQ(fips.evidence, GetParam().evidence);
}

INSTANTIATE_TEST_SUITE_P(
    GoBuildInfo, FipsDetection,
    ::testing::Values(
        FipsCase{"go1.22.5", "build\tCGO_ENABLED=1\n", FipsModule::kNone, ""},
        FipsCase{"go1.19.13 X:boringcrypto", "build\tGOEXPERIMENT=boringcrypto\n",
                 FipsModule::kBoringCrypto, "GOEXPERIMENT=boringcrypto"},
        FipsCase{"go1.22.1", "build\tGOEXPERIMENT=arenas,boringcrypto\n", FipsModule::kBoringCrypto,
                 "GOEXPERIMENT=arenas,boringcrypto"},
        FipsCase{"go1.20.4 X:nocoverageredesign,boringcrypto", "", FipsModule::kBoringCrypto,
                 "X:boringcrypto in go1.20.4 X:nocoverageredesign,boringcrypto"},
        FipsCase{"go1.16.15b7", "", FipsModule::kBoringCrypto,
                 "Go+BoringCrypto release go1.16.15b7"},
        FipsCase{"go1.18b1", "", FipsModule::kBoringCrypto, "Go+BoringCrypto release go1.18b1"},
        FipsCase{"go1.24.2", "build\tGOFIPS140=v1.0.0\nbuild\tDefaultGODEBUG=fips140=on\n",
                 FipsModule::kGoFips140, "GOFIPS140=v1.0.0"},
        FipsCase{"go1.24.2", "build\tGOFIPS140=latest\n", FipsModule::kGoFips140,
                 "GOFIPS140=latest"},
        FipsCase{"go1.24.2", "build\tGOFIPS140=off\n", FipsModule::kNone, ""},
        FipsCase{"go1.22.5", "build\tGOEXPERIMENT=boringcryptox\n", FipsModule::kNone, ""},
        FipsCase{"go1.21rc2", "", FipsModule::kNone, ""},
        FipsCase{"go1.bb", "", FipsModule::kNone, ""}));

TEST(GoBuildInfo, NamesWhatIsNotAGoExecutable) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "not an executable: the file is shorter than any header"},
      {"#!/bin/sh\necho 1.22.3\n", "not an ELF or Mach-O executable"},
      {std::string("\x7f"
                   "ELF",
                   4),
       "damaged executable: truncated ELF header"},
      {std::string("\x7f"
                   "ELF\x02\x01",
                   6) +
           std::string(20, '\0'),
       "damaged executable: truncated ELF header"},
      {std::string("\x7f"
                   "ELF\x03\x01",
                   6) +
           std::string(60, '\0'),
       "damaged executable: unknown ELF class or byte order"},
  };
  for (const auto& [bytes, message] : cases) {
    const auto info = parse_go_build_info(bytes);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().message, message);
  }
  // An ELF with no loadable data at all (a C program stripped of everything).
  std::string elf = make_go_image(GoImage{});
  elf.replace(elf.find("\xff Go buildinf:"), 14, std::string(14, 'x'));
  const auto info = parse_go_build_info(elf);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().message,
            "no Go build information in this executable (not built by Go 1.13 or later)");
}

// Every prefix of a valid image is a truncated file: each must end in an error (or, once the
// blob is complete, in the right answer), never in a crash or a read outside the input.
TEST(GoBuildInfo, EveryTruncationEndsInAnErrorOrTheRightAnswer) {
  for (const auto format :
       {ImageFormat::kElf64, ImageFormat::kElf32, ImageFormat::kMachO64, ImageFormat::kUniversal}) {
    for (const bool inline_strings : {true, false}) {
      GoImage image;
      image.format = format;
      image.inline_strings = inline_strings;
      image.module_info = istioctl_module_info();
      const auto bytes = make_go_image(image);
      for (std::size_t length = 0; length < bytes.size(); ++length) {
        const auto info = parse_go_build_info(std::string_view(bytes).substr(0, length));
        if (info.ok()) {
          EXPECT_EQ(info->go_version, "go1.22.5");
        }
      }
    }
  }
}

// Flipping each byte of a small image in turn reaches every header field with a wrong value.
TEST(GoBuildInfo, DamagedHeadersNeverCrash) {
  for (const auto format : {ImageFormat::kElf64, ImageFormat::kElf64BigEndian,
                            ImageFormat::kMachO32, ImageFormat::kUniversal}) {
    for (const bool inline_strings : {true, false}) {
      GoImage image;
      image.format = format;
      image.inline_strings = inline_strings;
      image.module_info = "path\tx\nmod\tx\t(devel)\t\nbuild\tCGO_ENABLED=0\n";
      const auto bytes = make_go_image(image);
      for (std::size_t at = 0; at < bytes.size(); ++at) {
        for (const char value : {'\x00', '\x7f', '\xff'}) {
          auto damaged = bytes;
          damaged[at] = value;
          const auto info = parse_go_build_info(damaged);
          if (info.ok()) {
            EXPECT_LE(info->go_version.size(), 256u);
          }
        }
      }
    }
  }
}

TEST(GoBuildInfo, RandomBytesAreRefused) {
  std::mt19937 random(11);
  for (int round = 0; round < 200; ++round) {
    std::string bytes(static_cast<std::size_t>(random() % 4096), '\0');
    for (auto& byte : bytes) byte = static_cast<char>(random());
    if (round % 2 == 0 && bytes.size() >= 6)
      bytes.replace(0, 6,
                    "\x7f"
                    "ELF\x02\x01");
    if (round % 3 == 0 && bytes.size() >= 4) bytes.replace(0, 4, "\xcf\xfa\xed\xfe");
    EXPECT_FALSE(parse_go_build_info(bytes).ok());
  }
}

TEST(GoBuildInfo, HostileLengthsAndPointersAreBounded) {
  GoImage image;
  image.inline_strings = true;
  image.module_info = istioctl_module_info();
  auto bytes = make_go_image(image);
  const auto blob = bytes.find("\xff Go buildinf:");
  // A version length of 2^63 (a ten-byte varint) and one that overflows 64 bits.
  auto huge = bytes;
  huge.replace(blob + 32, 10, std::string("\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x00", 10));
  EXPECT_EQ(parse_go_build_info(huge).error().message,
            "damaged Go build information: a string runs past the end of the data");
  auto overflow = bytes;
  overflow.replace(blob + 32, 10, std::string(10, '\xff'));
  EXPECT_FALSE(parse_go_build_info(overflow).ok());

  // Pointer format: a string header far outside the file, and a 4 GiB string length.
  image.inline_strings = false;
  bytes = make_go_image(image);
  auto wild = bytes;
  wild.replace(blob + 16, 8, std::string("\x00\x00\x00\x00\x00\x00\x00\x70", 8));
  EXPECT_EQ(parse_go_build_info(wild).error().message,
            "damaged Go build information: a string pointer leads outside the file");
  auto long_string = bytes;
  long_string.replace(blob + 32 + 8, 8, std::string("\x00\x00\x00\x00\x01\x00\x00\x00", 8));
  EXPECT_FALSE(parse_go_build_info(long_string).ok());
  auto bad_pointer_size = bytes;
  bad_pointer_size[blob + 14] = 3;
  EXPECT_EQ(parse_go_build_info(bad_pointer_size).error().message,
            "damaged Go build information: pointer size is not 4 or 8");
}

TEST(GoBuildInfo, HostileTablesAreBounded) {
  const auto bytes = make_go_image(GoImage{});
  // A section table far past the end of the file.
  auto far = bytes;
  far.replace(40, 8, std::string("\x00\x00\x00\x00\x00\x00\x00\x10", 8));
  EXPECT_EQ(parse_go_build_info(far).error().message,
            "damaged executable: section header table outside the file");
  // Entries too small for a section header.
  auto small = bytes;
  small[58] = 8;
  small[59] = 0;
  EXPECT_EQ(parse_go_build_info(small).error().message,
            "damaged executable: section header entries are too small");
  // A loaded segment claiming more bytes than the file holds.
  auto segment = bytes;
  segment.replace(64 + 32, 8, std::string("\x00\x00\x00\x00\x01\x00\x00\x00", 8));
  EXPECT_EQ(parse_go_build_info(segment).error().message,
            "damaged executable: a loaded segment lies outside the file");

  GoImage macho;
  macho.format = ImageFormat::kMachO64;
  const auto thin = make_go_image(macho);
  auto commands = thin;
  commands.replace(20, 4, std::string("\x00\x00\x00\x10", 4));  // 256 MiB of load commands
  EXPECT_EQ(parse_go_build_info(commands).error().message,
            "damaged executable: load commands too large");
  auto count = thin;
  count.replace(16, 4, std::string("\xff\xff\xff\xff", 4));  // 4 billion load commands
  EXPECT_EQ(parse_go_build_info(count).error().message,
            "damaged executable: truncated load command");

  macho.format = ImageFormat::kUniversal;
  auto universal = make_go_image(macho);
  universal.replace(16, 4, std::string("\x7f\xff\xff\xff", 4));
  EXPECT_EQ(parse_go_build_info(universal).error().message,
            "damaged executable: a universal slice lies outside the file");
  universal = make_go_image(macho);
  universal.replace(4, 4, std::string("\x00\x01\x00\x00", 4));
  EXPECT_EQ(parse_go_build_info(universal).error().message,
            "damaged executable: bad universal slice count");
}

TEST(GoBuildInfo, ControlCharactersNeverReachTheOutput) {
  GoImage image;
  image.go_version = "go1.22.5\x1b[31m";
  image.module_info = "path\tx\x1b]0;title\x07\nbuild\tK=\x1b[2J\n";
  const auto info = parse_go_build_info(make_go_image(image));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->go_version, "go1.22.5?[31m");
  EXPECT_EQ(info->path, "x?]0;title?");
  EXPECT_EQ(info->setting("K"), "?[2J");
}

TEST(GoBuildInfo, ReadsFilesPieceByPieceAndNamesThemInErrors) {
  testing::TempDir dir;
  GoImage image;
  image.module_info = istioctl_module_info();
  const auto binary = dir.write("istioctl", make_go_image(image));
  const auto info = read_go_build_info(binary);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->module_path, "istio.io/istio");

  const auto script = dir.write("script", "#!/bin/sh\n");
  EXPECT_EQ(read_go_build_info(script).error().message,
            script.string() + ": not an ELF or Mach-O executable");
  EXPECT_EQ(read_go_build_info(dir.path() / "absent").error().message,
            "cannot read " + (dir.path() / "absent").string() + ": No such file or directory");
  EXPECT_EQ(read_go_build_info(dir.path()).error().message,
            "cannot read " + dir.path().string() + ": not a regular file");
}

}  // namespace
}  // namespace getmesh::binary
