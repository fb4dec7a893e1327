// TF's names_in_use (tf-semantics.md §2.3): the table that stores suffixed
// keys ("<base>_<n>") as dense counters under their base must answer exactly
// as a plain map, and Store::unique_name must match TF's algorithm.
#include <map>
#include <random>
#include <string>
#include <vector>

#include "name_counts.h"
#include "test_util.h"

namespace varscope {
namespace {

using detail::NameCounts;

TEST(NameCountsTest, SplitsOnlyCanonicalSuffixes) {
  auto split = [](std::string_view key) {
    NameCounts::Split s = NameCounts::split(key);
    return std::string(s.base) + "|" + std::to_string(s.n);
  };
  EXPECT_EQ(split("foo_7"), "foo|7");
  EXPECT_EQ(split("foo_1_2"), "foo_1|2");
  EXPECT_EQ(split("a/b_10"), "a/b|10");
  EXPECT_EQ(split("_5"), "|5");
  EXPECT_EQ(split("foo_123456789"), "foo|123456789");
  EXPECT_EQ(split("foo_1234567890"), "foo_1234567890|0"); // 10 digits: a plain key
  EXPECT_EQ(split("foo_07"), "foo_07|0");                 // leading zero
  EXPECT_EQ(split("foo_0"), "foo_0|0");                   // unique_name never makes _0
  EXPECT_EQ(split("foo7"), "foo7|0");
  EXPECT_EQ(split("foo_"), "foo_|0");
  EXPECT_EQ(split("7"), "7|0");
}

TEST(NameCountsTest, FarSuffixIsKeptWhenTheDensePartGrowsOverIt) {
  NameCounts names;
  names.ref("foo_1000") = 5; // far from the (empty) dense part: sparse
  EXPECT_EQ(names.get("foo_1000"), 5);
  EXPECT_EQ(names.get("foo"), 0); // the base exists only to hold suffixes
  for (int i = 1; i <= 1200; ++i) names.ref("foo_" + std::to_string(i)) += 1;
  EXPECT_EQ(names.get("foo_1000"), 6);
  EXPECT_EQ(names.get("foo_999"), 1);
  EXPECT_EQ(names.get("foo_1201"), 0);
  EXPECT_EQ(names.get("foo"), 0);
  EXPECT_EQ(names.num_entries(), 1u);
}

TEST(NameCountsTest, AnswersLikeAMapUnderRandomUpdates) {
  const std::vector<std::string> keys = {"a",       "a_1",  "a_2",   "a_10",  "a_01", "a_0",   "a_1_1", "a_1_2",
                                         "b",       "b_3",  "_1",    "",      "a/b",  "a/b_1", "c_999", "c_70000",
                                         "c_70001", "c_64", "c_128", "d_1_1", "d_2"};
  NameCounts names;
  std::map<std::string, int> want;
  std::mt19937 rng(1234);
  for (int step = 0; step < 20000; ++step) {
    const std::string& key = keys[rng() % keys.size()];
    if (rng() % 2) {
      int value = static_cast<int>(rng() % 4);
      names.ref(key) = value;
      want[key] = value;
    }
    for (const std::string& k : keys) {
      auto it = want.find(k);
      ASSERT_EQ(names.get(k), it == want.end() ? 0 : it->second) << "key '" << k << "' at step " << step;
    }
  }
}

/// TF's Graph.unique_name, line by line (ops.py), over a plain map; the
/// store's implicit variable names are not involved (no variables).
class ReferenceNames {
public:
  std::string unique_name(const std::string& name, bool mark_as_used) {
    std::string key = lower(name);
    int i = get(key);
    if (mark_as_used) names_[key] = i + 1;
    std::string result = name;
    if (i > 0) {
      std::string base = key;
      while (get(key) > 0) {
        key = base + "_" + std::to_string(i);
        i += 1;
      }
      if (mark_as_used) names_[key] = 1;
      result = name + "_" + std::to_string(i - 1);
    }
    return result;
  }

private:
  static std::string lower(std::string s) {
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  }
  int get(const std::string& key) const {
    auto it = names_.find(key);
    return it == names_.end() ? 0 : it->second;
  }
  std::map<std::string, int> names_;
};

TEST(NameCountsTest, UniqueNameMatchesTensorFlowOnRandomSequences) {
  const std::vector<std::string> names = {"foo",   "Foo",   "foo_1", "foo_2",  "FOO_3", "foo_1_1", "foo_01",
                                          "foo_0", "bar",   "bar_5", "x/y",    "x/Y_2", "x/y_1_1", "foo_1000",
                                          "a",     "a_1_1", "A_1",   "foo_10", "b_1"};
  for (unsigned seed = 0; seed < 20; ++seed) {
    Store store;
    ReferenceNames want;
    std::mt19937 rng(seed);
    for (int step = 0; step < 400; ++step) {
      const std::string& name = names[rng() % names.size()];
      bool mark = rng() % 4 != 0;
      ASSERT_EQ(store.unique_name(name, mark), want.unique_name(name, mark))
          << "name '" << name << "' mark " << mark << " seed " << seed << " step " << step;
    }
  }
}

TEST(NameCountsTest, DecimalFormatsEveryWidth) {
  for (long v : {0L, 7L, 10L, 42L, 99L, 100L, 101L, 999L, 1000L, 12345L, 999999999L, 1000000000L, 9223372036854775807L})
    EXPECT_EQ(detail::Decimal(v).view(), std::to_string(v));
}

TEST(NameCountsTest, RepeatedNameCountsPastTwoDigits) {
  Store store;
  Scope root = store.root_scope();
  Scope foo = root.name_scope("foo");
  EXPECT_EQ(foo.unique_name("MatMul"), "foo/MatMul");
  for (int i = 1; i < 1200; ++i) ASSERT_EQ(foo.unique_name("MatMul"), "foo/MatMul_" + std::to_string(i));
  EXPECT_EQ(root.unique_name("foo/matmul_1200"), "foo/matmul_1200"); // taken next by the lower-cased key
  EXPECT_EQ(foo.unique_name("MatMul"), "foo/MatMul_1201");
  EXPECT_EQ(root.unique_name("matmul"), "matmul"); // another key in between
  EXPECT_EQ(foo.unique_name("MatMul"), "foo/MatMul_1202");
}

TEST(NameCountsTest, SuffixedNameRegisteredBeforeItsBase) {
  Store store;
  EXPECT_EQ(store.unique_name("foo_1"), "foo_1");
  EXPECT_EQ(store.unique_name("foo"), "foo");
  EXPECT_EQ(store.unique_name("foo"), "foo_2");
  EXPECT_EQ(store.unique_name("foo_01"), "foo_01"); // not the same name as foo_1
  EXPECT_EQ(store.unique_name("Foo_2"), "Foo_2_1");
}

TEST(NameCountsTest, ThousandsOfSiblingNameScopes) {
  Store store;
  Scope root = store.root_scope();
  Scope model = root.name_scope("model");
  EXPECT_EQ(store.unique_name("model/block_2500"), "model/block_2500");
  for (int i = 0; i < 3000; ++i) {
    Scope block = model.name_scope("block");
    int n = i < 2500 ? i : i + 1; // block_2500 was taken explicitly
    EXPECT_EQ(block.get_name_scope(), n == 0 ? "model/block" : "model/block_" + std::to_string(n));
  }
}

} // namespace
} // namespace varscope
