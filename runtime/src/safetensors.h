// safetensors.h - a hand-written reader and writer of the safetensors format
// (private to the runtime; checkpoint.cpp and dump.cpp use it).
//
// Layout of a file:
//
//   u64 N (little endian) | N bytes of UTF-8 JSON header | byte buffer
//
// The header maps each tensor name to {"dtype", "shape", "data_offsets"}
// (offsets relative to the start of the byte buffer) and may hold
// "__metadata__", a map of strings to strings. The writer pads the header
// with spaces to a multiple of 8 bytes and places tensors by decreasing
// element size, then by name, so every tensor is naturally aligned.
//
// safetensors has no string dtype. A string tensor is kept in the metadata
// under "varscope.string:<name>" as a JSON object
//   {"shape": [2], "encoding": "utf-8", "values": ["a", "b"]}
// ("encoding" is "base64" when some element is not valid UTF-8; then every
// value is base64). Other readers see it as ordinary metadata.
//
// This file depends on nothing but the standard library, nlohmann/json and
// varscope/dtype.h + errors.h (enum and exception types only), so the fuzzer
// can compile safetensors.cpp on its own. The inline Tensor conversions at
// the end are only compiled where they are used.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "varscope/dtype.h"
#include "varscope/errors.h"
#include "varscope/shape.h"
#include "varscope/tensor.h"

namespace varscope::safetensors {

/// Metadata key prefix of a string tensor.
inline constexpr std::string_view kStringKeyPrefix = "varscope.string:";
/// The reserved header key of the metadata map.
inline constexpr std::string_view kMetadataKey = "__metadata__";
/// Largest header accepted by the reader (the reference implementation's
/// limit): a file claiming more is rejected before anything is allocated.
inline constexpr std::uint64_t kMaxHeaderSize = 100'000'000;

/// The format's dtype code ("F32", "BF16", "BOOL"); nullopt for String.
std::optional<std::string_view> dtype_code(DType dtype);
/// The inverse of dtype_code; nullopt for codes varscope cannot represent
/// ("U32", "F8_E4M3", ...) and for unknown codes.
std::optional<DType> dtype_from_code(std::string_view code);
/// Bytes per element in the file (0 for String).
std::size_t element_size(DType dtype);

/// One named tensor: raw little-endian element bytes, or strings.
/// A value type; not synchronized.
struct Record {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<std::int64_t> shape;
  /// Element bytes for every dtype but String (BOOL: one byte, 0 or 1).
  std::string bytes;
  /// The elements of a String tensor, row-major.
  std::vector<std::string> strings;

  friend bool operator==(const Record&, const Record&) = default;
};

/// The contents of a file: records sorted by name and the user metadata
/// (string-tensor entries removed). A value type; not synchronized.
struct Contents {
  std::vector<Record> records;
  std::map<std::string, std::string> metadata;

  /// The record named `name`, or nullptr (binary search: the records must
  /// be sorted by name, as parse() and read_file() return them).
  const Record* find(std::string_view name) const;
  friend bool operator==(const Contents&, const Contents&) = default;
};

/// Serializes `contents` (records in any order). Throws ValueError naming
/// the tensor when a record is inconsistent (byte length, string count,
/// shape), a name repeats, a name is "__metadata__", or a metadata key uses
/// the reserved "varscope.string:" prefix.
std::string serialize(const Contents& contents);

/// Parses a whole file held in memory. `source` names it in messages.
/// Throws IOError for a truncated or unreadable layout and ValueError for a
/// header that is not valid; never reads out of bounds.
Contents parse(std::string_view bytes, std::string_view source);

/// Reads and parses `path`; the header is validated against the file size
/// before any tensor data is read.
Contents read_file(const std::string& path);

/// Serializes and writes `contents` atomically (write_file_atomic).
void write_file(const std::string& path, const Contents& contents);

/// Writes `data` to `path` atomically: a temporary file in the same
/// directory, fsync, rename over `path`, fsync of the directory. Throws
/// IOError naming the path.
void write_file_atomic(const std::string& path, std::string_view data);

/// Reads a whole file; IOError naming the path.
std::string read_file_bytes(const std::string& path);

// ---------------------------------------------------------------------------
// Pieces of the reader, exposed for tests and the fuzzer.

/// Where one tensor sits in the byte buffer, as the header says.
struct TensorInfo {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

/// A validated header: tensors sorted by offset (contiguous, covering the
/// whole buffer) and the raw metadata map (string entries included).
struct Header {
  std::vector<TensorInfo> tensors;
  std::map<std::string, std::string> metadata;
};

/// Validates the JSON header of a file whose byte buffer has `buffer_size`
/// bytes. Throws ValueError naming `source` and the tensor at fault.
Header parse_header(std::string_view json, std::uint64_t buffer_size, std::string_view source);

/// Encodes / decodes the metadata value of a string tensor.
std::string encode_string_entry(const Record& record);
/// `name` and `source` are only used in messages.
Record decode_string_entry(std::string_view value, std::string_view name, std::string_view source);

// ---------------------------------------------------------------------------
// Tensor conversions (inline: they need the runtime's Tensor).

/// A record holding a copy of `tensor`'s elements.
inline Record to_record(std::string name, const Tensor& tensor) {
  Record record;
  record.name = std::move(name);
  record.dtype = tensor.dtype();
  record.shape = tensor.shape().dims();
  if (tensor.dtype() == DType::String) {
    const auto values = tensor.values<std::string>();
    record.strings.assign(values.begin(), values.end());
    return record;
  }
  record.bytes.assign(static_cast<const char*>(tensor.raw_data()),
                      static_cast<std::size_t>(tensor.num_elements()) * element_size(tensor.dtype()));
  return record;
}

/// A tensor holding a copy of `record`'s elements (validated by the reader).
inline Tensor to_tensor(const Record& record) {
  Tensor tensor(record.dtype, Shape(record.shape));
  if (record.dtype == DType::String) {
    auto out = tensor.values<std::string>();
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = record.strings[i];
    return tensor;
  }
  if (!record.bytes.empty()) std::memcpy(tensor.raw_data(), record.bytes.data(), record.bytes.size());
  return tensor;
}

} // namespace varscope::safetensors
