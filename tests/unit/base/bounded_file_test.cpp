#include "operator/base/bounded_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace tro::base {
namespace {

using namespace std::string_literals;

// A fresh directory under the system temp directory per test, removed afterwards.
class BoundedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = std::filesystem::temp_directory_path() /
           ("tro-bounded-file-" + std::to_string(::getpid()) + "-" + test);
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(std::filesystem::create_directories(dir_)) << dir_;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string writeFile(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary);
    out << content;
    out.close();
    EXPECT_TRUE(out.good()) << path;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(BoundedFileTest, ReadsASmallFile) {
  const std::string path = writeFile("token", "s3cr3t-token\n");
  auto got = readFileBounded(path, kMaxCredentialFileBytes);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(*got, "s3cr3t-token\n");
}

TEST_F(BoundedFileTest, ReadsBinaryAndEmptyFiles) {
  const std::string binary = "a\0b\xff\r\n"s;
  auto got = readFileBounded(writeFile("binary", binary), 64);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(*got, binary);

  auto empty = readFileBounded(writeFile("empty", ""), 64);
  ASSERT_TRUE(empty.ok()) << empty.error();
  EXPECT_EQ(*empty, "");
}

TEST_F(BoundedFileTest, ReadsAFileLargerThanOneReadBuffer) {
  std::string content;
  for (int i = 0; i < 10'000; ++i) content += std::to_string(i) + "\n";  // ~49 KB
  auto got = readFileBounded(writeFile("big", content), kMaxCredentialFileBytes);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(*got, content);
}

TEST_F(BoundedFileTest, TheLimitIsInclusive) {
  const std::string path = writeFile("ten", "0123456789");
  auto atLimit = readFileBounded(path, 10);
  ASSERT_TRUE(atLimit.ok()) << atLimit.error();
  EXPECT_EQ(*atLimit, "0123456789");

  auto over = readFileBounded(path, 9);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), path + ": larger than the limit of 9 bytes");
}

TEST_F(BoundedFileTest, RefusesAFileOverTheLimit) {
  const std::string path = writeFile("huge", std::string(kMaxCredentialFileBytes + 1, 'x'));
  auto got = readFileBounded(path, kMaxCredentialFileBytes);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), path + ": larger than the limit of 65536 bytes");
}

TEST_F(BoundedFileTest, RefusesDevZero) {
  if (!std::filesystem::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
  auto got = readFileBounded("/dev/zero", kMaxCredentialFileBytes);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), "/dev/zero: not a regular file");
}

TEST_F(BoundedFileTest, RefusesADirectory) {
  auto got = readFileBounded(dir_.string(), kMaxConfigFileBytes);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), dir_.string() + ": not a regular file");
}

TEST_F(BoundedFileTest, RefusesAFifoWithoutBlocking) {
  const std::string path = (dir_ / "fifo").string();
  if (::mkfifo(path.c_str(), 0600) != 0) GTEST_SKIP() << "mkfifo: " << std::strerror(errno);
  auto got = readFileBounded(path, kMaxConfigFileBytes);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), path + ": not a regular file");
}

TEST_F(BoundedFileTest, AMissingFileNamesThePath) {
  const std::string path = (dir_ / "missing.txt").string();
  auto got = readFileBounded(path, kMaxConfigFileBytes);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), path + ": " + std::strerror(ENOENT));
}

}  // namespace
}  // namespace tro::base
