// checkpoint.cpp - save_checkpoint / restore_checkpoint (varscope/checkpoint.h).
#include "varscope/checkpoint.h"

#include <algorithm>
#include <set>
#include <utility>

#include "safetensors.h"
#include "varscope/errors.h"
#include "varscope/store.h"

namespace varscope {
namespace {

/// Reserved metadata: the format marker and one save-slice spec per shard.
constexpr std::string_view kReservedPrefix = "varscope.";
constexpr std::string_view kFormatKey = "varscope.format";
constexpr std::string_view kFormatValue = "varscope-checkpoint/1";
constexpr std::string_view kSlicePrefix = "varscope.slice:";

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

/// TF's "full_name full_shape slice" of a shard, e.g. "emb 10 4 0,5:0,4".
std::string slice_string(const SaveSliceInfo& info) { return info.full_name + " " + info.spec(); }

std::string record_dtype_name(const safetensors::Record& record) { return std::string(dtype_name(record.dtype)); }

} // namespace

void save_checkpoint(const Store& store, const std::string& path, const SaveOptions& options) {
  safetensors::Contents contents;
  for (const auto& [key, value] : options.metadata) {
    if (key.starts_with(kReservedPrefix))
      throw ValueError("save_checkpoint: metadata key " + in_quotes(key) + " uses the reserved prefix \"varscope.\"");
    contents.metadata.emplace(key, value);
  }
  contents.metadata.emplace(kFormatKey, kFormatValue);
  for (const Variable& variable : store.variables()) {
    contents.records.push_back(safetensors::to_record(variable.store_name(), variable.value()));
    if (const SaveSliceInfo* info = variable.save_slice_info())
      contents.metadata.emplace(std::string(kSlicePrefix) + variable.store_name(), slice_string(*info));
  }
  try {
    safetensors::write_file(path, contents);
  } catch (const ValueError& e) {
    throw ValueError("save_checkpoint: cannot save to " + path + ": " + e.what());
  }
}

RestoreReport restore_checkpoint(Store& store, const std::string& path, const RestoreOptions& options) {
  const safetensors::Contents contents = safetensors::read_file(path);
  RestoreReport report;
  for (const auto& [key, value] : contents.metadata)
    if (!key.starts_with(kReservedPrefix)) report.metadata.emplace(key, value);

  std::vector<std::pair<std::string, std::string>> problems; // (name, message)
  std::vector<std::pair<Variable, const safetensors::Record*>> assignments;
  std::set<std::string, std::less<>> store_names;
  for (const Variable& variable : store.variables()) {
    const std::string& name = variable.store_name();
    store_names.insert(name);
    const safetensors::Record* record = contents.find(name);
    if (record == nullptr) {
      if (!options.allow_missing) problems.emplace_back(name, "missing in the checkpoint");
      report.missing.push_back(name);
      continue;
    }
    bool ok = true;
    if (record->dtype != variable.dtype()) {
      problems.emplace_back(name, "dtype mismatch: the store has " + std::string(dtype_name(variable.dtype())) +
                                      ", the checkpoint has " + record_dtype_name(*record));
      ok = false;
    }
    const Shape file_shape(record->shape);
    if (file_shape != variable.shape()) {
      problems.emplace_back(name, "shape mismatch: the store has " + variable.shape().to_string() +
                                      ", the checkpoint has " + file_shape.to_string());
      ok = false;
    }
    const auto slice = contents.metadata.find(std::string(kSlicePrefix) + name);
    const SaveSliceInfo* info = variable.save_slice_info();
    if (slice != contents.metadata.end() && info != nullptr && slice->second != slice_string(*info)) {
      problems.emplace_back(name, "partition mismatch: the store has " + in_quotes(slice_string(*info)) +
                                      ", the checkpoint has " + in_quotes(slice->second));
      ok = false;
    }
    if (ok) assignments.emplace_back(variable, record);
  }
  for (const safetensors::Record& record : contents.records) {
    if (store_names.contains(record.name)) continue;
    if (!options.allow_unexpected)
      problems.emplace_back(record.name, "unexpected in the checkpoint (the store has no such variable)");
    report.unexpected.push_back(record.name);
  }

  if (!problems.empty()) {
    std::sort(problems.begin(), problems.end());
    std::string message = "Restoring from checkpoint " + path + " failed: " + std::to_string(problems.size()) +
                          (problems.size() == 1 ? " mismatch:" : " mismatches:");
    for (const auto& [name, problem] : problems) message += "\n  " + in_quotes(name) + ": " + problem;
    throw ValueError(message);
  }
  for (const auto& [variable, record] : assignments) {
    variable.assign(safetensors::to_tensor(*record));
    report.restored.push_back(variable.store_name());
  }
  std::sort(report.restored.begin(), report.restored.end());
  std::sort(report.missing.begin(), report.missing.end());
  std::sort(report.unexpected.begin(), report.unexpected.end());
  return report;
}

} // namespace varscope
