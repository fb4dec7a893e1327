// save_checkpoint / restore_checkpoint (varscope/checkpoint.h).
#include <filesystem>

#include "safetensors.h" // to inspect the written file
#include "test_util.h"
#include "varscope/checkpoint.h"
#include "varscope/varscope.h"

namespace varscope {
namespace {

using testing::expect_error;

std::string temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(VARSCOPE_TEST_TMPDIR) / "checkpoint" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<float> floats(const Variable& v) {
  const Tensor t = v.value();
  const auto values = t.values<float>();
  return {values.begin(), values.end()};
}

class CheckpointTest : public ::testing::Test {
protected:
  Store source;
  Scope source_root = source.root_scope();
  Store target;
  Scope target_root = target.root_scope();
};

TEST_F(CheckpointTest, SaveThenRestoreIntoAFreshStoreRestoresEveryValue) {
  {
    Scope a = source_root.variable_scope("a");
    a.get_variable("w", {2, 3}, {.initializer = constant_initializer({1, 2, 3, 4, 5, 6})});
    a.get_variable("n", {2}, {.dtype = int32, .initializer = constant_initializer({7, -8})});
    a.get_variable("h", {1}, {.dtype = float16, .initializer = constant_initializer(0.5)});
  }
  const std::string path = temp_dir("round_trip") + "/model.safetensors";
  save_checkpoint(source, path);

  Scope a = target_root.variable_scope("a");
  Variable w = a.get_variable("w", {2, 3}, {.initializer = zeros_initializer()});
  Variable n = a.get_variable("n", {2}, {.dtype = int32, .initializer = zeros_initializer()});
  Variable h = a.get_variable("h", {1}, {.dtype = float16, .initializer = zeros_initializer()});
  const RestoreReport report = restore_checkpoint(target, path);

  EXPECT_EQ(report.restored, (std::vector<std::string>{"a/h", "a/n", "a/w"}));
  EXPECT_TRUE(report.missing.empty());
  EXPECT_TRUE(report.unexpected.empty());
  EXPECT_EQ(floats(w), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  const Tensor nv = n.value();
  EXPECT_EQ(std::vector<std::int32_t>(nv.values<std::int32_t>().begin(), nv.values<std::int32_t>().end()),
            (std::vector<std::int32_t>{7, -8}));
  EXPECT_EQ(h.value().data<std::uint16_t>()[0], 0x3800); // 0.5 in float16
}

TEST_F(CheckpointTest, FileIsPlainSafetensorsWithSliceSpecsForShards) {
  Scope s = source_root.variable_scope("s", {.partitioner = fixed_size_partitioner(2)});
  s.get_variable("emb", {5, 2}, {.initializer = constant_initializer({0, 1, 2, 3, 4, 5, 6, 7, 8, 9})});
  source_root.get_variable("bias", {2}, {.initializer = ones_initializer()});
  const std::string path = temp_dir("shards") + "/model.safetensors";
  save_checkpoint(source, path, {.metadata = {{"step", "42"}}});

  const safetensors::Contents file = safetensors::read_file(path);
  std::vector<std::string> names;
  for (const safetensors::Record& r : file.records) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"bias", "s/emb/part_0", "s/emb/part_1"}));
  EXPECT_EQ(file.find("s/emb/part_0")->shape, (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(file.find("s/emb/part_1")->shape, (std::vector<std::int64_t>{2, 2}));
  const std::map<std::string, std::string> expected_metadata = {
      {"step", "42"},
      {"varscope.format", "varscope-checkpoint/1"},
      {"varscope.slice:s/emb/part_0", "s/emb 5 2 0,3:0,2"},
      {"varscope.slice:s/emb/part_1", "s/emb 5 2 3,2:0,2"},
  };
  EXPECT_EQ(file.metadata, expected_metadata);
  const safetensors::Record* part1 = file.find("s/emb/part_1");
  std::vector<float> part1_values(4);
  std::memcpy(part1_values.data(), part1->bytes.data(), 16);
  EXPECT_EQ(part1_values, (std::vector<float>{6, 7, 8, 9}));

  // Restoring into the same partitioning works shard by shard.
  Scope t = target_root.variable_scope("s", {.partitioner = fixed_size_partitioner(2)});
  Variable emb = t.get_variable("emb", {5, 2}, {.initializer = zeros_initializer()});
  target_root.get_variable("bias", {2}, {.initializer = zeros_initializer()});
  const RestoreReport report = restore_checkpoint(target, path);
  EXPECT_EQ(report.restored, (std::vector<std::string>{"bias", "s/emb/part_0", "s/emb/part_1"}));
  EXPECT_EQ(report.metadata, (std::map<std::string, std::string>{{"step", "42"}}));
  const Tensor full = emb.value();
  EXPECT_EQ(std::vector<float>(full.values<float>().begin(), full.values<float>().end()),
            (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST_F(CheckpointTest, RestoreReportsEveryMismatchSortedAndAssignsNothing) {
  source_root.get_variable("a", {2}, {.initializer = constant_initializer({1, 2})});
  source_root.get_variable("b", {2, 3}, {.initializer = zeros_initializer()});
  source_root.get_variable("c", {1}, {.dtype = int32, .initializer = zeros_initializer()});
  source_root.get_variable("d", {1}, {.initializer = zeros_initializer()});
  const std::string path = temp_dir("mismatch") + "/model.safetensors";
  save_checkpoint(source, path);

  target_root.get_variable("e", {1}, {.initializer = zeros_initializer()});
  Variable ta = target_root.get_variable("a", {2}, {.initializer = constant_initializer({9, 9})});
  target_root.get_variable("c", {1}, {.initializer = zeros_initializer()});
  target_root.get_variable("b", {3, 2}, {.initializer = zeros_initializer()});
  expect_error<ValueError>([&] { restore_checkpoint(target, path); },
                           "Restoring from checkpoint " + path + " failed: 4 mismatches:\n"
                           "  \"b\": shape mismatch: the store has (3, 2), the checkpoint has (2, 3)\n"
                           "  \"c\": dtype mismatch: the store has float32, the checkpoint has int32\n"
                           "  \"d\": unexpected in the checkpoint (the store has no such variable)\n"
                           "  \"e\": missing in the checkpoint");
  EXPECT_EQ(floats(ta), (std::vector<float>{9, 9}));
}

TEST_F(CheckpointTest, AllowMissingAndUnexpectedRestoresTheRest) {
  source_root.get_variable("a", {2}, {.initializer = constant_initializer({1, 2})});
  source_root.get_variable("old", {1}, {.initializer = zeros_initializer()});
  const std::string path = temp_dir("allow") + "/model.safetensors";
  save_checkpoint(source, path);

  Variable a = target_root.get_variable("a", {2}, {.initializer = zeros_initializer()});
  Variable added = target_root.get_variable("new", {1}, {.initializer = constant_initializer(3)});
  expect_error<ValueError>([&] { restore_checkpoint(target, path, {.allow_missing = true}); },
                           "Restoring from checkpoint " + path + " failed: 1 mismatch:\n"
                           "  \"old\": unexpected in the checkpoint (the store has no such variable)");
  const RestoreReport report = restore_checkpoint(target, path, {.allow_missing = true, .allow_unexpected = true});
  EXPECT_EQ(report.restored, std::vector<std::string>{"a"});
  EXPECT_EQ(report.missing, std::vector<std::string>{"new"});
  EXPECT_EQ(report.unexpected, std::vector<std::string>{"old"});
  EXPECT_EQ(floats(a), (std::vector<float>{1, 2}));
  EXPECT_EQ(floats(added), std::vector<float>{3});
}

TEST_F(CheckpointTest, StringVariablesRoundTripThroughTheMetadata) {
  source_root.get_variable("vocab", {.dtype = string_,
                                     .initializer = Tensor::from_vector<std::string>({"cat", "d\xc3\xb6g"})});
  const std::string path = temp_dir("strings") + "/model.safetensors";
  save_checkpoint(source, path);
  const safetensors::Contents file = safetensors::read_file(path);
  EXPECT_EQ(file.find("vocab")->strings, (std::vector<std::string>{"cat", "d\xc3\xb6g"}));

  Variable vocab = target_root.get_variable("vocab", {.dtype = string_,
                                                      .initializer = Tensor::from_vector<std::string>({"", ""})});
  restore_checkpoint(target, path);
  const Tensor value = vocab.value();
  EXPECT_EQ(std::vector<std::string>(value.values<std::string>().begin(), value.values<std::string>().end()),
            (std::vector<std::string>{"cat", "d\xc3\xb6g"}));
}

TEST_F(CheckpointTest, ShardsOfADifferentPartitioningAreReported) {
  {
    Scope s = source_root.variable_scope("s", {.partitioner = fixed_size_partitioner(3)});
    s.get_variable("emb", {6, 2}, {.initializer = zeros_initializer()});
  }
  const std::string path = temp_dir("repartitioned") + "/model.safetensors";
  save_checkpoint(source, path);
  Scope t = target_root.variable_scope("s", {.partitioner = fixed_size_partitioner(2)});
  t.get_variable("emb", {4, 2}, {.initializer = zeros_initializer()});
  expect_error<ValueError>([&] { restore_checkpoint(target, path); },
                           "Restoring from checkpoint " + path + " failed: 3 mismatches:\n"
                           "  \"s/emb/part_0\": partition mismatch: the store has \"s/emb 4 2 0,2:0,2\", the "
                           "checkpoint has \"s/emb 6 2 0,2:0,2\"\n"
                           "  \"s/emb/part_1\": partition mismatch: the store has \"s/emb 4 2 2,2:0,2\", the "
                           "checkpoint has \"s/emb 6 2 2,2:0,2\"\n"
                           "  \"s/emb/part_2\": unexpected in the checkpoint (the store has no such variable)");
}

TEST_F(CheckpointTest, SavingTwiceReplacesTheFileAndLeavesNoTemporaryFile) {
  Variable v = source_root.get_variable("v", {1}, {.initializer = constant_initializer(1)});
  const std::string dir = temp_dir("atomic");
  save_checkpoint(source, dir + "/model.safetensors");
  v.assign(Tensor::from_vector<float>({2}, Shape{1}));
  save_checkpoint(source, dir + "/model.safetensors");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"model.safetensors"});

  Variable t = target_root.get_variable("v", {1}, {.initializer = zeros_initializer()});
  restore_checkpoint(target, dir + "/model.safetensors");
  EXPECT_EQ(floats(t), std::vector<float>{2});
}

TEST_F(CheckpointTest, ReservedMetadataKeyIsRejected) {
  expect_error<ValueError>(
      [&] { save_checkpoint(source, temp_dir("reserved") + "/m.safetensors", {.metadata = {{"varscope.x", "1"}}}); },
      "save_checkpoint: metadata key \"varscope.x\" uses the reserved prefix \"varscope.\"");
}

TEST_F(CheckpointTest, RestoreFromMissingFileRaisesIOError) {
  const std::string path = temp_dir("absent") + "/none.safetensors";
  expect_error<IOError>([&] { restore_checkpoint(target, path); },
                        path + ": cannot open for reading: No such file or directory");
}

TEST_F(CheckpointTest, RestoresAFileWrittenByAnotherSafetensorsWriter) {
  // What the reference Python writer produces for {"w": np.array([1.5, -2], np.float32)}.
  const std::string header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  std::string file(8, '\0');
  file[0] = static_cast<char>(header.size());
  file += header;
  const float values[] = {1.5f, -2.0f};
  file.append(reinterpret_cast<const char*>(values), sizeof values);
  const std::string path = temp_dir("foreign") + "/w.safetensors";
  safetensors::write_file_atomic(path, file);

  Variable w = target_root.get_variable("w", {2}, {.initializer = zeros_initializer()});
  restore_checkpoint(target, path);
  EXPECT_EQ(floats(w), (std::vector<float>{1.5f, -2.0f}));
}

} // namespace
} // namespace varscope
