#include <gtest/gtest.h>

#include "monitor/similarity.h"

namespace jaga::monitor {
namespace {

std::string news(int changed_items, const char* date) {
  std::string text = std::string("Pemerintah Kota Bandung. Hari ini ") + date + ". Pengunjung: 10234. ";
  for (int i = 0; i < 10; ++i) {
    if (i < changed_items) text += "Berita baru nomor " + std::string(1, char('a' + i)) + " tentang banjir di wilayah utara dan bantuan warga. ";
    else text += "Pengumuman layanan " + std::string(1, char('a' + i)) + " untuk warga kota tentang pajak daerah dan perizinan usaha. ";
  }
  return text;
}

TEST(Similarity, DatesAndCountersAreNotChange) {
  auto a = sketch_text(news(0, "Senin, 1 Desember 2026 08:00"));
  auto b = sketch_text(news(0, "Senin, 8 Desember 2026 19:45"));
  EXPECT_DOUBLE_EQ(similarity(a, b), 1.0);
  // A changed word is change: the day's name is three runs of words of about thirty.
  auto c = sketch_text(news(0, "Selasa, 9 Desember 2026 19:45"));
  EXPECT_GT(similarity(a, c), 0.85);
  EXPECT_LT(similarity(a, c), 1.0);
  EXPECT_DOUBLE_EQ(similarity(a, a), 1.0);
}

TEST(Similarity, ARotatedNewsItemIsSmallChangeAndADefacementIsLarge) {
  auto before = sketch_text(news(0, "1 Desember 2026"));
  auto one_item = sketch_text(news(1, "1 Desember 2026"));
  auto defaced = sketch_text("HACKED BY xX_Cyber_Xx. Your security is low. Greetz to all my crew. We were here.");
  // One item of ten, whose runs of words are partly shared with the rest.
  EXPECT_GT(similarity(before, one_item), 0.6);
  EXPECT_LT(similarity(before, defaced), 0.05);
}

TEST(Similarity, EmptyPagesAndShortPages) {
  TextSketch empty = sketch_text("");
  EXPECT_DOUBLE_EQ(similarity(empty, empty), 1.0);
  EXPECT_DOUBLE_EQ(similarity(empty, sketch_text("hello")), 0.0);
  EXPECT_DOUBLE_EQ(similarity(sketch_text("hello"), sketch_text("HELLO")), 1.0);
}

TEST(Similarity, LongPagesKeepASketchOfBoundedSize) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "word" + std::string(1, char('a' + i % 26)) + std::string(1, char('a' + i / 26 % 26)) + " ";
  auto s = sketch_text(text);
  EXPECT_EQ(s.hashes.size(), kSketchSize);
  EXPECT_GT(s.shingle_count, 600u);
}

TEST(Similarity, ASketchSurvivesItsTextForm) {
  auto s = sketch_text(news(3, "1 Desember 2026"));
  auto back = parse_sketch(sketch_to_hex(s));
  EXPECT_EQ(back.hashes, s.hashes);
  EXPECT_TRUE(parse_sketch("zz").hashes.empty());
  EXPECT_TRUE(parse_sketch("00000000000000020000000000000001").hashes.empty());  // not ascending
}

}  // namespace
}  // namespace jaga::monitor
