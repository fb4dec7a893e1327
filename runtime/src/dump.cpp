// dump.cpp - the differential-harness store dump (varscope/dump.h).
#include "varscope/dump.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "safetensors.h"
#include "varscope/errors.h"
#include "varscope/store.h"

namespace varscope {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kFormat = "varscope-store-dump/1";
constexpr const char* kStoreFile = "store.json";
constexpr const char* kValuesFile = "values.safetensors";

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string join_path(const std::string& dir, const char* file) {
  return (std::filesystem::path(dir) / file).string();
}

// ---------------------------------------------------------------------------
// SHA-256 (FIPS 180-4), one shot.

constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void sha256_block(std::array<std::uint32_t, 8>& h, const unsigned char* block) {
  std::array<std::uint32_t, 64> w{};
  for (int i = 0; i < 16; ++i)
    w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
           (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
  for (int i = 16; i < 64; ++i) {
    const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  std::array<std::uint32_t, 8> v = h;
  for (int i = 0; i < 64; ++i) {
    const std::uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
    const std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
    const std::uint32_t t1 = v[7] + s1 + ch + kRoundConstants[i] + w[i];
    const std::uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
    const std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
    const std::uint32_t t2 = s0 + maj;
    v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
  }
  for (int i = 0; i < 8; ++i) h[i] += v[i];
}

// ---------------------------------------------------------------------------
// Writing.

/// The bytes hashed for a value: the element bytes (little endian), or for
/// strings each element as a u64 little-endian length followed by its bytes.
std::string hashed_bytes(const safetensors::Record& record) {
  if (record.dtype != DType::String) return record.bytes;
  std::string out;
  for (const std::string& s : record.strings) {
    const std::uint64_t n = s.size();
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out += s;
  }
  return out;
}

ordered_json json_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

ordered_json describe_partition(const SaveSliceInfo* info) {
  if (info == nullptr) return nullptr;
  ordered_json out;
  out["full_name"] = info->full_name;
  out["full_shape"] = info->full_shape.dims();
  out["offset"] = info->var_offset;
  out["spec"] = info->spec();
  return out;
}

// ---------------------------------------------------------------------------
// Reading and comparing.

/// A dump read back: store.json and the values, checked against each other.
struct LoadedDump {
  std::string dir;
  ordered_json store;
  safetensors::Contents values;
};

const ordered_json& require_array(const ordered_json& root, const char* key, const std::string& path) {
  if (!root.contains(key) || !root[key].is_array())
    throw IOError(path + ": not a store dump: \"" + key + "\" must be an array");
  return root[key];
}

void require_string_field(const ordered_json& entry, const char* section, const char* field, const std::string& path) {
  if (!entry.is_object() || !entry.contains(field) || !entry[field].is_string())
    throw IOError(path + ": not a store dump: every entry of \"" + section + "\" needs a string \"" + field + "\"");
}

void require_shape(const ordered_json& entry, const char* section, const std::string& path) {
  const ordered_json& shape = entry.value("shape", ordered_json());
  bool ok = shape.is_array();
  for (const ordered_json& dim : shape) ok = ok && dim.is_number_unsigned();
  if (!ok)
    throw IOError(path + ": not a store dump: every entry of \"" + section +
                  "\" needs a \"shape\" of non-negative integers");
}

LoadedDump load_dump(const std::string& dir) {
  LoadedDump dump{.dir = dir, .store = {}, .values = {}};
  const std::string path = join_path(dir, kStoreFile);
  const std::string text = safetensors::read_file_bytes(path);
  try {
    dump.store = ordered_json::parse(text);
  } catch (const ordered_json::exception& e) {
    throw IOError(path + ": not valid JSON: " + e.what());
  }
  if (!dump.store.is_object() || dump.store.value("format", "") != kFormat)
    throw IOError(path + ": not a store dump: \"format\" must be \"" + std::string(kFormat) + "\"");
  for (const ordered_json& entry : require_array(dump.store, "variables", path)) {
    require_string_field(entry, "variables", "store_name", path);
    require_string_field(entry, "variables", "sha256", path);
    require_shape(entry, "variables", path);
  }
  for (const ordered_json& entry : require_array(dump.store, "partitioned_variables", path)) {
    require_string_field(entry, "partitioned_variables", "name", path);
    require_shape(entry, "partitioned_variables", path);
  }
  for (const ordered_json& entry : require_array(dump.store, "collections", path)) {
    require_string_field(entry, "collections", "key", path);
    if (!entry.contains("items") || !entry["items"].is_array())
      throw IOError(path + ": not a store dump: every entry of \"collections\" needs an array \"items\"");
  }
  for (const ordered_json& entry : require_array(dump.store, "regularization_losses", path)) {
    require_string_field(entry, "regularization_losses", "name", path);
    require_shape(entry, "regularization_losses", path);
  }

  const std::string values_path = join_path(dir, kValuesFile);
  dump.values = safetensors::read_file(values_path);
  for (const ordered_json& entry : dump.store["variables"]) {
    const std::string name = entry["store_name"].get<std::string>();
    const safetensors::Record* record = dump.values.find(name);
    if (record == nullptr) throw IOError(values_path + ": inconsistent dump: no value for variable " + in_quotes(name));
    if (sha256_hex(hashed_bytes(*record)) != entry["sha256"].get<std::string>())
      throw IOError(values_path + ": inconsistent dump: the value of variable " + in_quotes(name) +
                    " does not match the SHA-256 in store.json");
  }
  return dump;
}

/// A JSON value as shown in a difference: strings bare, the rest as JSON.
std::string show(const ordered_json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

/// One line per field that differs between two objects (A's field order,
/// then fields only B has), skipping `skip`.
void diff_fields(const std::string& subject, const ordered_json& a, const ordered_json& b,
                 const std::set<std::string>& skip, std::vector<std::string>& out) {
  for (const auto& [field, value] : a.items()) {
    if (skip.contains(field)) continue;
    if (!b.contains(field)) {
      out.push_back(subject + ": field " + field + " only in A");
      continue;
    }
    if (value != b[field]) out.push_back(subject + ": " + field + " differs: A=" + show(value) + " B=" + show(b[field]));
  }
  for (const auto& [field, value] : b.items())
    if (!skip.contains(field) && !a.contains(field)) out.push_back(subject + ": field " + field + " only in B");
}

/// Reports the first position where the order of the names both lists hold differs.
void diff_order(const std::string& what, const std::vector<std::string>& a, const std::vector<std::string>& b,
                std::vector<std::string>& out) {
  const std::set<std::string> in_a(a.begin(), a.end()), in_b(b.begin(), b.end());
  std::vector<std::string> common_a, common_b;
  for (const std::string& name : a)
    if (in_b.contains(name)) common_a.push_back(name);
  for (const std::string& name : b)
    if (in_a.contains(name)) common_b.push_back(name);
  for (std::size_t i = 0; i < common_a.size() && i < common_b.size(); ++i) {
    if (common_a[i] == common_b[i]) continue;
    out.push_back(what + " order differs: at position " + std::to_string(i) + " of the " +
                  std::to_string(common_a.size()) + " common entries A has " + in_quotes(common_a[i]) + ", B has " +
                  in_quotes(common_b[i]));
    return;
  }
}

std::string element_string(const safetensors::Record& record, std::size_t i) {
  if (record.dtype == DType::String) return in_quotes(record.strings[i]);
  const char* p = record.bytes.data() + i * safetensors::element_size(record.dtype);
  auto load = [p]<class T>(T) {
    T value;
    std::memcpy(&value, p, sizeof value);
    return value;
  };
  char buf[64];
  switch (record.dtype) {
  case DType::Float16: std::snprintf(buf, sizeof buf, "%.9g", double{half_bits_to_float(load(std::uint16_t{}))}); break;
  case DType::BFloat16:
    std::snprintf(buf, sizeof buf, "%.9g", double{bfloat16_bits_to_float(load(std::uint16_t{}))});
    break;
  case DType::Float32: std::snprintf(buf, sizeof buf, "%.9g", double{load(float{})}); break;
  case DType::Float64: std::snprintf(buf, sizeof buf, "%.17g", load(double{})); break;
  case DType::Int8: return std::to_string(load(std::int8_t{}));
  case DType::Int16: return std::to_string(load(std::int16_t{}));
  case DType::Int32: return std::to_string(load(std::int32_t{}));
  case DType::Int64: return std::to_string(load(std::int64_t{}));
  case DType::UInt8: return std::to_string(load(std::uint8_t{}));
  case DType::UInt16: return std::to_string(load(std::uint16_t{}));
  case DType::Bool: return load(std::uint8_t{}) ? "true" : "false";
  case DType::String: break;
  }
  return buf;
}

/// "[1, 2]": the multi-index of row-major element `flat` in `shape`.
std::string multi_index(std::size_t flat, const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    const auto extent = static_cast<std::size_t>(shape[d]);
    index[d] = static_cast<std::int64_t>(flat % extent);
    flat /= extent;
  }
  std::string out = "[";
  for (std::size_t d = 0; d < index.size(); ++d) out += (d ? ", " : "") + std::to_string(index[d]);
  return out + "]";
}

/// Element-wise comparison of two values of equal dtype and shape.
void diff_values(const std::string& subject, const safetensors::Record& a, const safetensors::Record& b,
                 std::vector<std::string>& out) {
  const std::size_t size = a.dtype == DType::String ? 0 : safetensors::element_size(a.dtype);
  const std::size_t count = a.dtype == DType::String ? a.strings.size() : a.bytes.size() / size;
  std::size_t differing = 0, first = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const bool same = a.dtype == DType::String ? a.strings[i] == b.strings[i]
                                               : std::memcmp(a.bytes.data() + i * size, b.bytes.data() + i * size, size) == 0;
    if (same) continue;
    if (differing++ == 0) first = i;
  }
  if (differing == 0) return;
  out.push_back(subject + ": values differ in " + std::to_string(differing) + " of " + std::to_string(count) +
                " elements; first at index " + std::to_string(first) + " " + multi_index(first, a.shape) +
                ": A=" + element_string(a, first) + " B=" + element_string(b, first));
}

/// Names of the entries of a section, in order.
std::vector<std::string> names_of(const ordered_json& entries, const char* key) {
  std::vector<std::string> names;
  for (const ordered_json& entry : entries) names.push_back(entry[key].get<std::string>());
  return names;
}

/// Compares two sections whose entries are keyed by `key`: entries only in
/// one dump, order, and `diff_entry` for entries both have.
template <class DiffEntry>
void diff_section(const char* kind, const ordered_json& a, const ordered_json& b, const char* key,
                  DiffEntry diff_entry, std::vector<std::string>& out) {
  std::map<std::string, const ordered_json*> in_b;
  for (const ordered_json& entry : b) in_b.emplace(entry[key].get<std::string>(), &entry);
  std::set<std::string> in_a;
  for (const ordered_json& entry : a) {
    const std::string name = entry[key].get<std::string>();
    in_a.insert(name);
    const std::string subject = std::string(kind) + " " + in_quotes(name);
    const auto found = in_b.find(name);
    if (found == in_b.end()) {
      out.push_back(subject + ": only in A");
      continue;
    }
    diff_entry(subject, entry, *found->second);
  }
  for (const ordered_json& entry : b) {
    const std::string name = entry[key].get<std::string>();
    if (!in_a.contains(name)) out.push_back(std::string(kind) + " " + in_quotes(name) + ": only in B");
  }
  diff_order(std::string(kind), names_of(a, key), names_of(b, key), out);
}

std::string format_shape(const ordered_json& dims) {
  std::vector<std::int64_t> shape;
  for (const ordered_json& dim : dims) shape.push_back(dim.get<std::int64_t>());
  return Shape(std::move(shape)).to_string();
}

std::int64_t num_params(const ordered_json& dims) {
  std::int64_t n = 1;
  for (const ordered_json& dim : dims) n *= dim.get<std::int64_t>();
  return n;
}

} // namespace

std::string DumpDiff::report() const {
  if (differences.empty()) return "The dumps are identical.\n";
  std::string out = "The dumps differ in " + std::to_string(differences.size()) +
                    (differences.size() == 1 ? " place:\n" : " places:\n");
  for (const std::string& line : differences) out += "  " + line + "\n";
  return out;
}

std::string sha256_hex(std::string_view data) {
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t full = data.size() / 64 * 64;
  for (std::size_t i = 0; i < full; i += 64) sha256_block(h, bytes + i);
  std::array<unsigned char, 128> tail{};
  const std::size_t rest = data.size() - full;
  if (rest != 0) std::memcpy(tail.data(), bytes + full, rest);
  tail[rest] = 0x80;
  const std::size_t tail_size = rest + 9 <= 64 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  for (std::size_t i = 0; i < tail_size; i += 64) sha256_block(h, tail.data() + i);
  std::string out;
  char buf[9];
  for (std::uint32_t word : h) {
    std::snprintf(buf, sizeof buf, "%08x", word);
    out += buf;
  }
  return out;
}

void dump_store(const Store& store, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IOError(dir + ": cannot create the dump directory: " + ec.message());

  // Collection keys are sorted: TF adds a variable to its collections by
  // iterating a Python set, so the first-use order of keys is incidental.
  std::vector<std::string> keys = store.get_all_collection_keys();
  std::sort(keys.begin(), keys.end());
  // Collection membership, keyed by store name, keys sorted.
  std::map<std::string, std::vector<std::string>> memberships;
  ordered_json collections = ordered_json::array();
  for (const std::string& key : keys) {
    ordered_json items = ordered_json::array();
    for (const CollectionItem& item : store.get_collection(key)) {
      items.push_back(item.name());
      if (!item.is_variable() || item.variable().is_tensor()) continue;
      std::vector<std::string>& keys = memberships[item.variable().store_name()];
      if (keys.empty() || keys.back() != key) keys.push_back(key);
    }
    collections.push_back({{"key", key}, {"items", std::move(items)}});
  }
  auto collections_of = [&](const std::string& store_name) {
    const auto found = memberships.find(store_name);
    return found == memberships.end() ? std::vector<std::string>{} : found->second;
  };

  safetensors::Contents values;
  values.metadata.emplace("varscope.format", kFormat);
  ordered_json variables = ordered_json::array();
  for (const Variable& variable : store.variables()) {
    safetensors::Record record = safetensors::to_record(variable.store_name(), variable.value());
    ordered_json entry;
    entry["store_name"] = variable.store_name();
    entry["name"] = variable.name();
    entry["shape"] = variable.shape().dims();
    entry["dtype"] = dtype_name(variable.dtype());
    entry["trainable"] = variable.trainable();
    entry["collections"] = collections_of(variable.store_name());
    entry["initializer"] = variable.initializer_description();
    entry["partition"] = describe_partition(variable.save_slice_info());
    entry["sha256"] = sha256_hex(hashed_bytes(record));
    variables.push_back(std::move(entry));
    values.records.push_back(std::move(record));
  }

  ordered_json partitioned = ordered_json::array();
  for (const PartitionedVariable& variable : store.partitioned_variables()) {
    ordered_json entry;
    entry["name"] = variable.name();
    entry["shape"] = variable.shape().dims();
    entry["dtype"] = dtype_name(variable.dtype());
    entry["partitions"] = variable.partitions();
    entry["slice_dim"] = variable.slice_dim();
    entry["collections"] = collections_of(variable.name());
    ordered_json shards = ordered_json::array();
    for (const Variable& shard : variable.shards()) shards.push_back(shard.store_name());
    entry["shards"] = std::move(shards);
    partitioned.push_back(std::move(entry));
  }

  ordered_json losses = ordered_json::array();
  for (const Tensor& loss : store.regularization_losses()) {
    ordered_json entry;
    entry["name"] = loss.name();
    entry["shape"] = loss.shape().dims();
    entry["dtype"] = dtype_name(loss.dtype());
    ordered_json numbers = ordered_json::array();
    if (loss.dtype() != DType::String)
      for (double value : loss.to_doubles()) numbers.push_back(json_number(value));
    entry["values"] = std::move(numbers);
    entry["sha256"] = sha256_hex(hashed_bytes(safetensors::to_record(loss.name(), loss)));
    losses.push_back(std::move(entry));
  }

  ordered_json root;
  root["format"] = kFormat;
  root["variables"] = std::move(variables);
  root["partitioned_variables"] = std::move(partitioned);
  root["collections"] = std::move(collections);
  root["regularization_losses"] = std::move(losses);
  std::string text;
  try {
    text = root.dump(2) + "\n";
  } catch (const ordered_json::exception& e) {
    throw ValueError("dump_store: a name is not valid UTF-8: " + std::string(e.what()));
  }
  safetensors::write_file_atomic(join_path(dir, kStoreFile), text);
  safetensors::write_file(join_path(dir, kValuesFile), values);
}

DumpDiff compare_dumps(const std::string& dir_a, const std::string& dir_b) {
  const LoadedDump a = load_dump(dir_a);
  const LoadedDump b = load_dump(dir_b);
  DumpDiff diff;
  std::vector<std::string>& out = diff.differences;

  diff_section(
      "variable", a.store["variables"], b.store["variables"], "store_name",
      [&](const std::string& subject, const ordered_json& va, const ordered_json& vb) {
        diff_fields(subject, va, vb, {"store_name", "sha256"}, out);
        if (va["sha256"] == vb["sha256"] || va.value("shape", ordered_json()) != vb.value("shape", ordered_json()) ||
            va.value("dtype", ordered_json()) != vb.value("dtype", ordered_json()))
          return;
        const std::string name = va["store_name"].get<std::string>();
        const safetensors::Record* ra = a.values.find(name);
        const safetensors::Record* rb = b.values.find(name);
        if (ra->dtype != rb->dtype || ra->shape != rb->shape) {
          out.push_back(subject + ": values differ (the stored values have different dtypes or shapes)");
          return;
        }
        diff_values(subject, *ra, *rb, out);
      },
      out);
  diff_section(
      "partitioned variable", a.store["partitioned_variables"], b.store["partitioned_variables"], "name",
      [&](const std::string& subject, const ordered_json& pa, const ordered_json& pb) {
        diff_fields(subject, pa, pb, {"name"}, out);
      },
      out);
  diff_section(
      "collection", a.store["collections"], b.store["collections"], "key",
      [&](const std::string& subject, const ordered_json& ca, const ordered_json& cb) {
        const ordered_json& ia = ca["items"];
        const ordered_json& ib = cb["items"];
        if (ia == ib) return;
        std::size_t i = 0;
        while (i < ia.size() && i < ib.size() && ia[i] == ib[i]) ++i;
        auto item = [](const ordered_json& items, std::size_t k) {
          return k < items.size() ? in_quotes(show(items[k])) : std::string("<none>");
        };
        out.push_back(subject + ": items differ at index " + std::to_string(i) + ": A=" + item(ia, i) +
                      " B=" + item(ib, i) + " (A has " + std::to_string(ia.size()) + " items, B has " +
                      std::to_string(ib.size()) + ")");
      },
      out);
  diff_section(
      "regularization loss", a.store["regularization_losses"], b.store["regularization_losses"], "name",
      [&](const std::string& subject, const ordered_json& la, const ordered_json& lb) {
        const bool values_differ = la.value("values", ordered_json()) != lb.value("values", ordered_json());
        diff_fields(subject, la, lb, values_differ ? std::set<std::string>{"name", "sha256"} : std::set<std::string>{"name"},
                    out);
      },
      out);
  return diff;
}

std::string summarize_dump(const std::string& dir) {
  const LoadedDump dump = load_dump(dir);
  const ordered_json& variables = dump.store["variables"];
  std::vector<std::array<std::string, 6>> rows = {{"store name", "shape", "dtype", "trainable", "params", "sha256"}};
  std::int64_t total = 0;
  for (const ordered_json& v : variables) {
    const std::int64_t params = num_params(v.value("shape", ordered_json::array()));
    total += params;
    rows.push_back({v["store_name"].get<std::string>(), format_shape(v.value("shape", ordered_json::array())),
                    show(v.value("dtype", ordered_json("?"))), v.value("trainable", false) ? "yes" : "no",
                    std::to_string(params), v["sha256"].get<std::string>().substr(0, 12)});
  }
  std::array<std::size_t, 6> width{};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());

  const ordered_json& partitioned = dump.store["partitioned_variables"];
  const ordered_json& collections = dump.store["collections"];
  const ordered_json& losses = dump.store["regularization_losses"];
  auto plural = [](std::size_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : word.ends_with("s") ? "es" : "s");
  };
  std::string out = "Store dump " + dir + ": " + plural(variables.size(), "variable") + " (" +
                    plural(static_cast<std::size_t>(total), "parameter") + "), " +
                    plural(partitioned.size(), "partitioned variable") + ", " +
                    plural(collections.size(), "collection") + ", " + plural(losses.size(), "regularization loss");
  out += "\n\n";
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c)
      line += row[c] + (c + 1 < row.size() ? std::string(width[c] - row[c].size() + 2, ' ') : "");
    out += line + "\n";
  }
  if (!partitioned.empty()) {
    out += "\npartitioned variables:\n";
    for (const ordered_json& p : partitioned) {
      out += "  " + p["name"].get<std::string>() + " " + format_shape(p.value("shape", ordered_json::array())) + " " +
             show(p.value("dtype", ordered_json("?"))) + ", partitions " + show(p.value("partitions", ordered_json())) +
             ":";
      for (const ordered_json& shard : p.value("shards", ordered_json::array())) out += " " + show(shard);
      out += "\n";
    }
  }
  if (!collections.empty()) {
    out += "\ncollections:\n";
    for (const ordered_json& c : collections)
      out += "  " + c["key"].get<std::string>() + ": " + plural(c["items"].size(), "item") + "\n";
  }
  if (!losses.empty()) {
    out += "\nregularization losses:\n";
    for (const ordered_json& l : losses)
      out += "  " + l["name"].get<std::string>() + " " + format_shape(l.value("shape", ordered_json::array())) + " " +
             show(l.value("dtype", ordered_json("?"))) + " = " + show(l.value("values", ordered_json())) + "\n";
  }
  return out;
}

} // namespace varscope
