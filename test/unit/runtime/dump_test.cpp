// The differential-harness store dump (varscope/dump.h).
#include <filesystem>
#include <fstream>

#include "safetensors.h" // to inspect and corrupt values.safetensors
#include "test_util.h"
#include "varscope/dump.h"
#include "varscope/varscope.h"

namespace varscope {
namespace {

using testing::expect_error;

std::string temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(VARSCOPE_TEST_TMPDIR) / "dump" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string read_text(const std::string& path) { return safetensors::read_file_bytes(path); }

/// A small model: a regularized weight, a non-trainable bias, a local step.
void build_small_model(Store& store) {
  Scope root = store.root_scope();
  {
    Scope net = root.variable_scope("net");
    net.get_variable("w", {2}, {.initializer = constant_initializer({1, 2}), .regularizer = l2_regularizer(0.5)});
    net.get_variable("b", {1}, {.initializer = zeros_initializer(), .trainable = false});
  }
  root.get_local_variable("step", Shape{}, {.dtype = int64, .initializer = zeros_initializer()});
}

TEST(DumpTest, Sha256MatchesTheFipsVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(DumpTest, StoreJsonOfASmallModelIsExact) {
  Store store;
  build_small_model(store);
  const std::string dir = temp_dir("small");
  dump_store(store, dir);
  const std::string expected = R"json({
  "format": "varscope-store-dump/1",
  "variables": [
    {
      "store_name": "net/w",
      "name": "net/w:0",
      "shape": [
        2
      ],
      "dtype": "float32",
      "trainable": true,
      "collections": [
        "trainable_variables",
        "variables"
      ],
      "initializer": "constant_initializer([1, 2])",
      "partition": null,
      "sha256": "b9c80b5adeca450753a16950c3cc655d271f7bef7a485bc83f112b72fef21d37"
    },
    {
      "store_name": "net/b",
      "name": "net/b:0",
      "shape": [
        1
      ],
      "dtype": "float32",
      "trainable": false,
      "collections": [
        "variables"
      ],
      "initializer": "zeros_initializer()",
      "partition": null,
      "sha256": "df3f619804a92fdb4057192dc43dd748ea778adc52bc498ce80524c014b81119"
    },
    {
      "store_name": "step",
      "name": "step:0",
      "shape": [],
      "dtype": "int64",
      "trainable": false,
      "collections": [
        "local_variables"
      ],
      "initializer": "zeros_initializer()",
      "partition": null,
      "sha256": "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc"
    }
  ],
  "partitioned_variables": [],
  "collections": [
    {
      "key": "local_variables",
      "items": [
        "step:0"
      ]
    },
    {
      "key": "regularization_losses",
      "items": [
        "net/w/Regularizer/l2_regularizer:0"
      ]
    },
    {
      "key": "trainable_variables",
      "items": [
        "net/w:0"
      ]
    },
    {
      "key": "variables",
      "items": [
        "net/w:0",
        "net/b:0"
      ]
    }
  ],
  "regularization_losses": [
    {
      "name": "net/w/Regularizer/l2_regularizer:0",
      "shape": [],
      "dtype": "float32",
      "values": [
        1.25
      ],
      "sha256": "6a8e259d5cfb5822c30440a36c344da8f749269d606006aecf7e0bbd2188015c"
    }
  ]
}
)json";
  EXPECT_EQ(read_text(dir + "/store.json"), expected);

  const safetensors::Contents values = safetensors::read_file(dir + "/values.safetensors");
  ASSERT_EQ(values.records.size(), 3u);
  EXPECT_EQ(values.records[0].name, "net/b");
  EXPECT_EQ(values.records[1].name, "net/w");
  EXPECT_EQ(values.records[1].bytes, std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8));
  EXPECT_EQ(values.records[2].name, "step");
  EXPECT_EQ(values.records[2].dtype, DType::Int64);
  EXPECT_EQ(values.metadata, (std::map<std::string, std::string>{{"varscope.format", "varscope-store-dump/1"}}));
}

TEST(DumpTest, PartitionedVariablesListShardsAndSliceInfo) {
  Store store;
  Scope root = store.root_scope();
  Scope s = root.variable_scope("s", {.partitioner = fixed_size_partitioner(2)});
  s.get_variable("emb", {3, 2}, {.initializer = zeros_initializer()});
  const std::string dir = temp_dir("partitioned");
  dump_store(store, dir);
  const std::string json = read_text(dir + "/store.json");
  EXPECT_NE(json.find(R"("partition": {
        "full_name": "s/emb",
        "full_shape": [
          3,
          2
        ],
        "offset": [
          2,
          0
        ],
        "spec": "3 2 2,1:0,2"
      },)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("partitioned_variables": [
    {
      "name": "s/emb",
      "shape": [
        3,
        2
      ],
      "dtype": "float32",
      "partitions": [
        2,
        1
      ],
      "slice_dim": 0,
      "collections": [],
      "shards": [
        "s/emb/part_0",
        "s/emb/part_1"
      ]
    }
  ],)"),
            std::string::npos)
      << json;
}

TEST(DumpTest, SameProgramTwiceGivesByteIdenticalFiles) {
  auto build = [](Store& store) {
    Scope root = store.root_scope();
    Scope a = root.variable_scope("a", {.partitioner = fixed_size_partitioner(3)});
    a.get_variable("kernel", {7, 4}, {.initializer = glorot_uniform_initializer(3)});
    a.get_variable("bias", {4}, {.dtype = bfloat16, .initializer = random_normal_initializer({.seed = 1})});
    root.get_variable("flags", {2}, {.dtype = bool_, .initializer = ones_initializer()});
  };
  Store first({.seed = 7});
  Store second({.seed = 7});
  build(first);
  build(second);
  const std::string dir_a = temp_dir("twice_a"), dir_b = temp_dir("twice_b");
  dump_store(first, dir_a);
  dump_store(second, dir_b);
  EXPECT_EQ(read_text(dir_a + "/store.json"), read_text(dir_b + "/store.json"));
  EXPECT_EQ(read_text(dir_a + "/values.safetensors"), read_text(dir_b + "/values.safetensors"));
  const DumpDiff diff = compare_dumps(dir_a, dir_b);
  EXPECT_TRUE(diff.identical());
  EXPECT_EQ(diff.report(), "The dumps are identical.\n");
}

TEST(DumpTest, CompareNamesTheFirstDifferingElement) {
  Store a, b;
  Scope ra = a.root_scope(), rb = b.root_scope();
  ra.get_variable("w", {2, 3}, {.initializer = constant_initializer({1, 2, 3, 4, 5, 6})});
  rb.get_variable("w", {2, 3}, {.initializer = constant_initializer({1, 2, 3, 40, 5, 0.5})});
  ra.get_variable("n", {2}, {.dtype = int32, .initializer = zeros_initializer()});
  rb.get_variable("n", {2}, {.dtype = int32, .initializer = zeros_initializer()});
  const std::string dir_a = temp_dir("values_a"), dir_b = temp_dir("values_b");
  dump_store(a, dir_a);
  dump_store(b, dir_b);
  const DumpDiff diff = compare_dumps(dir_a, dir_b);
  EXPECT_EQ(diff.differences,
            (std::vector<std::string>{
                "variable \"w\": initializer differs: A=constant_initializer([1, 2, 3, 4, 5, 6]) "
                "B=constant_initializer([1, 2, 3, 40, 5, 0.5])",
                "variable \"w\": values differ in 2 of 6 elements; first at index 3 [1, 0]: A=4 B=40"}));
  EXPECT_EQ(diff.report(), "The dumps differ in 2 places:\n  " + diff.differences[0] + "\n  " +
                               diff.differences[1] + "\n");
}

TEST(DumpTest, CompareReportsMissingVariablesFieldsOrderAndCollections) {
  Store a, b;
  Scope ra = a.root_scope(), rb = b.root_scope();
  ra.get_variable("x", {1}, {.initializer = zeros_initializer()});
  ra.get_variable("y", {1}, {.initializer = zeros_initializer()});
  ra.get_variable("only_a", {1}, {.initializer = zeros_initializer()});
  rb.get_variable("y", {1}, {.initializer = zeros_initializer()});
  rb.get_variable("x", {2}, {.initializer = zeros_initializer(), .trainable = false});
  rb.get_variable("only_b", {1}, {.dtype = int8, .initializer = zeros_initializer()});
  const std::string dir_a = temp_dir("fields_a"), dir_b = temp_dir("fields_b");
  dump_store(a, dir_a);
  dump_store(b, dir_b);
  EXPECT_EQ(compare_dumps(dir_a, dir_b).differences,
            (std::vector<std::string>{
                "variable \"x\": shape differs: A=[1] B=[2]",
                "variable \"x\": trainable differs: A=true B=false",
                "variable \"x\": collections differs: A=[\"trainable_variables\",\"variables\"] B=[\"variables\"]",
                "variable \"only_a\": only in A",
                "variable \"only_b\": only in B",
                "variable order differs: at position 0 of the 2 common entries A has \"x\", B has \"y\"",
                "collection \"trainable_variables\": items differ at index 0: A=\"x:0\" B=\"y:0\" (A has 3 items, "
                "B has 2)",
                "collection \"variables\": items differ at index 0: A=\"x:0\" B=\"y:0\" (A has 3 items, B has 3)",
            }));
}

TEST(DumpTest, StringVariablesAreHashedAndCompared) {
  Store a, b;
  Scope ra = a.root_scope(), rb = b.root_scope();
  ra.get_variable("vocab", {.dtype = string_, .initializer = Tensor::from_vector<std::string>({"ab", "c"})});
  rb.get_variable("vocab", {.dtype = string_, .initializer = Tensor::from_vector<std::string>({"a", "bc"})});
  const std::string dir_a = temp_dir("strings_a"), dir_b = temp_dir("strings_b");
  dump_store(a, dir_a);
  dump_store(b, dir_b);
  // u64 length + bytes per element, so {"ab", "c"} and {"a", "bc"} hash differently.
  const std::string json = read_text(dir_a + "/store.json");
  const std::string ab_c = std::string("\x02\0\0\0\0\0\0\0ab\x01\0\0\0\0\0\0\0c", 19);
  EXPECT_NE(json.find("\"sha256\": \"" + sha256_hex(ab_c) + "\""), std::string::npos) << json;
  const DumpDiff diff = compare_dumps(dir_a, dir_b);
  ASSERT_FALSE(diff.differences.empty());
  EXPECT_EQ(diff.differences.back(),
            "variable \"vocab\": values differ in 2 of 2 elements; first at index 0 [0]: A=\"ab\" B=\"a\"");
}

TEST(DumpTest, CompareRejectsADumpWhoseValuesDoNotMatchItsHashes) {
  Store store;
  build_small_model(store);
  const std::string dir = temp_dir("corrupt");
  dump_store(store, dir);
  safetensors::Contents values = safetensors::read_file(dir + "/values.safetensors");
  values.records[1].bytes[0] = '\x01';
  safetensors::write_file(dir + "/values.safetensors", values);
  expect_error<IOError>([&] { compare_dumps(dir, dir); },
                        dir + "/values.safetensors: inconsistent dump: the value of variable \"net/w\" does not match "
                              "the SHA-256 in store.json");
  expect_error<IOError>([&] { compare_dumps(dir, temp_dir("empty")); },
                        dir + "/values.safetensors: inconsistent dump: the value of variable \"net/w\" does not match "
                              "the SHA-256 in store.json");
  const std::string empty = temp_dir("empty");
  expect_error<IOError>([&] { summarize_dump(empty); },
                        empty + "/store.json: cannot open for reading: No such file or directory");
}

TEST(DumpTest, SummaryListsEveryVariable) {
  Store store;
  build_small_model(store);
  const std::string dir = temp_dir("summary");
  dump_store(store, dir);
  EXPECT_EQ(summarize_dump(dir),
            "Store dump " + dir +
                ": 3 variables (4 parameters), 0 partitioned variables, 4 collections, 1 regularization loss\n"
                "\n"
                "store name  shape  dtype    trainable  params  sha256\n"
                "net/w       (2,)   float32  yes        2       b9c80b5adeca\n"
                "net/b       (1,)   float32  no         1       df3f619804a9\n"
                "step        ()     int64    no         1       af5570f5a181\n"
                "\n"
                "collections:\n"
                "  local_variables: 1 item\n"
                "  regularization_losses: 1 item\n"
                "  trainable_variables: 1 item\n"
                "  variables: 2 items\n"
                "\n"
                "regularization losses:\n"
                "  net/w/Regularizer/l2_regularizer:0 () float32 = [1.25]\n");
}

} // namespace
} // namespace varscope
