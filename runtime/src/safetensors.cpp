// safetensors.cpp - the safetensors reader and writer (see safetensors.h).
#include "safetensors.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <tuple>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

static_assert(std::endian::native == std::endian::little, "safetensors data is little endian");
static_assert(sizeof(bool) == 1, "BOOL elements are one byte");

namespace varscope::safetensors {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr int kMaxJsonDepth = 8; // the format needs 3

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

[[noreturn]] void fail(std::string_view source, const std::string& message) {
  throw ValueError(std::string(source) + ": " + message);
}
[[noreturn]] void fail_tensor(std::string_view source, std::string_view name, const std::string& message) {
  fail(source, "tensor " + in_quotes(name) + ": " + message);
}

std::string list_string(const std::vector<std::int64_t>& dims) {
  std::string out = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) out += (i ? ", " : "") + std::to_string(dims[i]);
  return out + "]";
}

/// Parses JSON rejecting duplicate keys (at any depth) and nesting deeper
/// than kMaxJsonDepth. `what` names the text in messages.
json parse_strict_json(std::string_view text, std::string_view source, std::string_view what) {
  std::vector<std::set<std::string>> open_objects;
  int depth = 0;
  auto callback = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
    case json::parse_event_t::object_start:
    case json::parse_event_t::array_start:
      if (++depth > kMaxJsonDepth)
        fail(source, std::string(what) + " nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      if (event == json::parse_event_t::object_start) open_objects.emplace_back();
      break;
    case json::parse_event_t::object_end:
      open_objects.pop_back();
      --depth;
      break;
    case json::parse_event_t::array_end:
      --depth;
      break;
    case json::parse_event_t::key:
      if (!open_objects.back().insert(parsed.get<std::string>()).second)
        fail(source, std::string(what) + " has duplicate key " + in_quotes(parsed.get<std::string>()));
      break;
    case json::parse_event_t::value:
      break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const json::exception& e) {
    fail(source, std::string(what) + " is not valid JSON: " + e.what());
  }
}

const char* json_type_name(const json& value) { return value.type_name(); }

constexpr std::uint64_t kOverflow = std::numeric_limits<std::uint64_t>::max();

/// A JSON array of non-negative integers that fit in int64; nullopt
/// otherwise. `count` receives their product, or kOverflow when it exceeds
/// int64 (checked multiplication; a zero dimension makes it 0).
std::optional<std::vector<std::int64_t>> parse_dims(const json& value, std::uint64_t& count) {
  if (!value.is_array()) return std::nullopt;
  std::vector<std::int64_t> dims;
  for (const json& dim : value) {
    if (!dim.is_number_integer()) return std::nullopt; // floats and non-numbers
    if (dim.is_number_unsigned() ? dim.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
                                 : dim.get<std::int64_t>() < 0)
      return std::nullopt;
    dims.push_back(dim.get<std::int64_t>());
  }
  count = 1;
  if (std::find(dims.begin(), dims.end(), 0) != dims.end()) {
    count = 0;
    return dims;
  }
  for (std::int64_t dim : dims) {
    if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(dim), &count) ||
        count > static_cast<std::uint64_t>(INT64_MAX)) {
      count = kOverflow;
      break;
    }
  }
  return dims;
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i <= static_cast<std::size_t>(extra)) return false; // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMin[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kBase64Alphabet[n & 63] : '=';
  }
  return out;
}

/// Strict base64 (padding required, canonical trailing bits); nullopt when invalid.
std::optional<std::string> base64_decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    std::uint32_t n = 0;
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = in[i + k];
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        ++pad;
        n <<= 6;
        continue;
      }
      const std::size_t pos = kBase64Alphabet.find(c);
      if (pos == std::string_view::npos || pad > 0) return std::nullopt;
      n = (n << 6) | static_cast<std::uint32_t>(pos);
    }
    if ((pad == 1 && (n & 0xFF) != 0) || (pad == 2 && (n & 0xFFFF) != 0)) return std::nullopt;
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

std::uint64_t read_u64_le(std::string_view bytes) {
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data(), sizeof n);
  return n;
}

/// The header length field, validated against the file size.
std::uint64_t checked_header_length(std::string_view first8, std::uint64_t file_size, std::string_view source) {
  if (file_size < 8)
    throw IOError(std::string(source) + ": not a safetensors file: " + std::to_string(file_size) +
                  " bytes is shorter than the 8-byte header length");
  const std::uint64_t n = read_u64_le(first8);
  if (n > kMaxHeaderSize)
    fail(source, "header length " + std::to_string(n) + " exceeds the limit of " + std::to_string(kMaxHeaderSize) +
                     " bytes");
  if (n > file_size - 8)
    throw IOError(std::string(source) + ": truncated file: header length " + std::to_string(n) + " exceeds the " +
                  std::to_string(file_size - 8) + " bytes after the length field");
  return n;
}

/// Builds the contents from a validated header; `fetch(begin, end)` returns
/// the bytes of a buffer range (already checked to lie inside the buffer).
Contents assemble(Header header, const std::function<std::string(std::uint64_t, std::uint64_t)>& fetch,
                  std::string_view source) {
  Contents contents;
  for (TensorInfo& info : header.tensors) {
    Record record;
    record.name = std::move(info.name);
    record.dtype = info.dtype;
    record.shape = std::move(info.shape);
    record.bytes = fetch(info.begin, info.end);
    if (record.dtype == DType::Bool) {
      for (std::size_t i = 0; i < record.bytes.size(); ++i) {
        const auto byte = static_cast<unsigned char>(record.bytes[i]);
        if (byte > 1)
          fail_tensor(source, record.name,
                      "BOOL element " + std::to_string(i) + " is " + std::to_string(byte) + ", expected 0 or 1");
      }
    }
    contents.records.push_back(std::move(record));
  }
  std::set<std::string, std::less<>> numeric_names;
  for (const Record& record : contents.records) numeric_names.insert(record.name);
  for (auto& [key, value] : header.metadata) {
    if (!key.starts_with(kStringKeyPrefix)) {
      contents.metadata.emplace(key, std::move(value));
      continue;
    }
    const std::string name = key.substr(kStringKeyPrefix.size());
    if (name == kMetadataKey) fail(source, "__metadata__ key " + in_quotes(key) + " names the reserved tensor name");
    if (numeric_names.contains(name))
      fail_tensor(source, name, "is both a tensor in the data buffer and a string tensor in __metadata__");
    contents.records.push_back(decode_string_entry(value, name, source));
  }
  std::sort(contents.records.begin(), contents.records.end(),
            [](const Record& a, const Record& b) { return a.name < b.name; });
  return contents;
}

} // namespace

std::optional<std::string_view> dtype_code(DType dtype) {
  switch (dtype) {
  case DType::Float16: return "F16";
  case DType::BFloat16: return "BF16";
  case DType::Float32: return "F32";
  case DType::Float64: return "F64";
  case DType::Int8: return "I8";
  case DType::Int16: return "I16";
  case DType::Int32: return "I32";
  case DType::Int64: return "I64";
  case DType::UInt8: return "U8";
  case DType::UInt16: return "U16";
  case DType::Bool: return "BOOL";
  case DType::String: return std::nullopt;
  }
  return std::nullopt;
}

std::optional<DType> dtype_from_code(std::string_view code) {
  static constexpr DType kAll[] = {DType::Float16, DType::BFloat16, DType::Float32, DType::Float64,
                                   DType::Int8,    DType::Int16,    DType::Int32,   DType::Int64,
                                   DType::UInt8,   DType::UInt16,   DType::Bool};
  for (DType dtype : kAll)
    if (dtype_code(dtype) == code) return dtype;
  return std::nullopt;
}

std::size_t element_size(DType dtype) {
  switch (dtype) {
  case DType::Int8:
  case DType::UInt8:
  case DType::Bool: return 1;
  case DType::Float16:
  case DType::BFloat16:
  case DType::Int16:
  case DType::UInt16: return 2;
  case DType::Float32:
  case DType::Int32: return 4;
  case DType::Float64:
  case DType::Int64: return 8;
  case DType::String: return 0;
  }
  return 0;
}

const Record* Contents::find(std::string_view name) const {
  assert(std::is_sorted(records.begin(), records.end(),
                        [](const Record& a, const Record& b) { return a.name < b.name; }) &&
         "Contents::find needs records sorted by name");
  const auto found = std::lower_bound(records.begin(), records.end(), name,
                                      [](const Record& record, std::string_view key) { return record.name < key; });
  return found != records.end() && found->name == name ? &*found : nullptr;
}

Header parse_header(std::string_view text, std::uint64_t buffer_size, std::string_view source) {
  const json root = parse_strict_json(text, source, "header");
  if (!root.is_object()) fail(source, std::string("header must be a JSON object, got ") + json_type_name(root));

  Header header;
  for (const auto& [name, entry] : root.items()) {
    if (name == kMetadataKey) {
      if (!entry.is_object())
        fail(source, std::string("__metadata__ must be an object of strings, got ") + json_type_name(entry));
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string())
          fail(source, "__metadata__ value of " + in_quotes(key) + " must be a string, got " + json_type_name(value));
        header.metadata.emplace(key, value.get<std::string>());
      }
      continue;
    }
    if (!entry.is_object())
      fail_tensor(source, name, std::string("entry must be a JSON object, got ") + json_type_name(entry));
    for (const auto& [field, unused] : entry.items())
      if (field != "dtype" && field != "shape" && field != "data_offsets")
        fail_tensor(source, name, "unknown field " + in_quotes(field));
    for (const char* field : {"dtype", "shape", "data_offsets"})
      if (!entry.contains(field)) fail_tensor(source, name, "missing field " + in_quotes(field));

    TensorInfo info;
    info.name = name;
    const json& dtype = entry["dtype"];
    if (!dtype.is_string()) fail_tensor(source, name, std::string("dtype must be a string, got ") + json_type_name(dtype));
    const std::optional<DType> parsed_dtype = dtype_from_code(dtype.get<std::string>());
    if (!parsed_dtype) fail_tensor(source, name, "unsupported dtype " + in_quotes(dtype.get<std::string>()));
    info.dtype = *parsed_dtype;

    std::uint64_t count = 0;
    std::optional<std::vector<std::int64_t>> dims = parse_dims(entry["shape"], count);
    if (!dims) fail_tensor(source, name, "shape must be an array of non-negative integers, got " + entry["shape"].dump());
    if (count == kOverflow) fail_tensor(source, name, "shape " + list_string(*dims) + " has too many elements");
    info.shape = std::move(*dims);

    const json& offsets = entry["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
      fail_tensor(source, name, "data_offsets must be an array of two non-negative integers, got " + offsets.dump());
    info.begin = offsets[0].get<std::uint64_t>();
    info.end = offsets[1].get<std::uint64_t>();
    const std::string span = "[" + std::to_string(info.begin) + ", " + std::to_string(info.end) + "]";
    if (info.begin > info.end) fail_tensor(source, name, "data_offsets " + span + " end before they begin");
    if (info.end > buffer_size)
      fail_tensor(source, name,
                  "data_offsets " + span + " extend past the " + std::to_string(buffer_size) + "-byte data buffer");
    std::uint64_t nbytes = 0;
    if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(element_size(info.dtype)), &nbytes) ||
        nbytes != info.end - info.begin)
      fail_tensor(source, name,
                  "shape " + list_string(info.shape) + " of dtype " + dtype.get<std::string>() + " has " +
                      std::to_string(count) + " elements, which do not fill data_offsets " + span + " (" +
                      std::to_string(info.end - info.begin) + " bytes)");
    header.tensors.push_back(std::move(info));
  }

  std::sort(header.tensors.begin(), header.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  std::uint64_t covered = 0;
  const TensorInfo* previous = nullptr;
  for (const TensorInfo& info : header.tensors) {
    if (info.begin < covered)
      fail_tensor(source, info.name,
                  "data_offsets [" + std::to_string(info.begin) + ", " + std::to_string(info.end) +
                      "] overlap tensor " + in_quotes(previous->name) + ", which ends at " + std::to_string(covered));
    if (info.begin > covered)
      fail_tensor(source, info.name,
                  "data_offsets [" + std::to_string(info.begin) + ", " + std::to_string(info.end) +
                      "] leave a hole: bytes [" + std::to_string(covered) + ", " + std::to_string(info.begin) +
                      ") belong to no tensor");
    covered = info.end;
    previous = &info;
  }
  if (covered != buffer_size)
    fail(source, "the tensors cover " + std::to_string(covered) + " bytes of the " + std::to_string(buffer_size) +
                     "-byte data buffer");
  return header;
}

std::string encode_string_entry(const Record& record) {
  bool utf8 = true;
  for (const std::string& s : record.strings) utf8 = utf8 && is_valid_utf8(s);
  ordered_json entry;
  entry["shape"] = record.shape;
  entry["encoding"] = utf8 ? "utf-8" : "base64";
  entry["values"] = ordered_json::array();
  for (const std::string& s : record.strings) entry["values"].push_back(utf8 ? s : base64_encode(s));
  return entry.dump();
}

Record decode_string_entry(std::string_view value, std::string_view name, std::string_view source) {
  const std::string what = "string tensor " + in_quotes(name);
  const json entry = parse_strict_json(value, source, what);
  auto bad = [&](const std::string& message) { fail(source, what + ": " + message); };
  if (!entry.is_object()) bad(std::string("entry must be a JSON object, got ") + json_type_name(entry));
  for (const auto& [field, unused] : entry.items())
    if (field != "shape" && field != "encoding" && field != "values") bad("unknown field " + in_quotes(field));
  for (const char* field : {"shape", "encoding", "values"})
    if (!entry.contains(field)) bad("missing field " + in_quotes(field));

  Record record;
  record.name = std::string(name);
  record.dtype = DType::String;
  std::uint64_t count = 0;
  std::optional<std::vector<std::int64_t>> dims = parse_dims(entry["shape"], count);
  if (!dims) bad("shape must be an array of non-negative integers, got " + entry["shape"].dump());
  record.shape = std::move(*dims);
  const json& encoding = entry["encoding"];
  if (encoding != "utf-8" && encoding != "base64") bad("encoding must be \"utf-8\" or \"base64\", got " + encoding.dump());
  const json& values = entry["values"];
  if (!values.is_array()) bad(std::string("values must be an array of strings, got ") + json_type_name(values));
  if (count != values.size())
    bad("shape " + list_string(record.shape) + " has " + (count == kOverflow ? "too many" : std::to_string(count)) +
        " elements but values has " + std::to_string(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i].is_string()) bad("values[" + std::to_string(i) + "] is not a string");
    if (encoding == "utf-8") {
      record.strings.push_back(values[i].get<std::string>());
      continue;
    }
    std::optional<std::string> decoded = base64_decode(values[i].get<std::string>());
    if (!decoded) bad("values[" + std::to_string(i) + "] is not valid base64");
    record.strings.push_back(std::move(*decoded));
  }
  return record;
}

std::string serialize(const Contents& contents) {
  std::set<std::string, std::less<>> names;
  std::vector<const Record*> numeric;
  ordered_json metadata = ordered_json::object();
  for (const auto& [key, value] : contents.metadata) {
    if (key.starts_with(kStringKeyPrefix))
      throw ValueError("safetensors: metadata key " + in_quotes(key) + " uses the reserved prefix \"" +
                       std::string(kStringKeyPrefix) + "\"");
    metadata[key] = value;
  }
  for (const Record& record : contents.records) {
    auto bad = [&](const std::string& message) {
      throw ValueError("safetensors: tensor " + in_quotes(record.name) + ": " + message);
    };
    if (record.name == kMetadataKey) bad("the name is reserved for the metadata");
    if (!names.insert(record.name).second) bad("the name appears twice");
    std::uint64_t count = 1;
    for (std::int64_t dim : record.shape)
      if (dim < 0 || __builtin_mul_overflow(count, static_cast<std::uint64_t>(dim), &count))
        bad("invalid shape " + list_string(record.shape));
    if (record.dtype == DType::String) {
      if (record.strings.size() != count || !record.bytes.empty())
        bad("shape " + list_string(record.shape) + " needs " + std::to_string(count) + " strings, got " +
            std::to_string(record.strings.size()));
      metadata[std::string(kStringKeyPrefix) + record.name] = encode_string_entry(record);
      continue;
    }
    const std::uint64_t expected = count * element_size(record.dtype);
    if (record.bytes.size() != expected || !record.strings.empty() ||
        (count != 0 && expected / count != element_size(record.dtype)))
      bad("shape " + list_string(record.shape) + " needs " + std::to_string(expected) + " bytes, got " +
          std::to_string(record.bytes.size()));
    numeric.push_back(&record);
  }
  // Decreasing element size keeps every tensor aligned (as the reference writer does).
  std::sort(numeric.begin(), numeric.end(), [](const Record* a, const Record* b) {
    const std::size_t sa = element_size(a->dtype), sb = element_size(b->dtype);
    return sa != sb ? sa > sb : a->name < b->name;
  });

  ordered_json header = ordered_json::object();
  if (!metadata.empty()) header[std::string(kMetadataKey)] = std::move(metadata);
  std::uint64_t offset = 0;
  for (const Record* record : numeric) {
    ordered_json entry;
    entry["dtype"] = *dtype_code(record->dtype);
    entry["shape"] = record->shape;
    entry["data_offsets"] = {offset, offset + record->bytes.size()};
    offset += record->bytes.size();
    header[record->name] = std::move(entry);
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const ordered_json::exception& e) {
    throw ValueError(std::string("safetensors: a tensor name or metadata string is not valid UTF-8: ") + e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');

  std::string out;
  out.reserve(8 + text.size() + offset);
  const std::uint64_t n = text.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out += text;
  for (const Record* record : numeric) out += record->bytes;
  return out;
}

Contents parse(std::string_view bytes, std::string_view source) {
  const std::uint64_t n = checked_header_length(bytes.substr(0, 8), bytes.size(), source);
  const std::string_view buffer = bytes.substr(8 + n);
  Header header = parse_header(bytes.substr(8, n), buffer.size(), source);
  return assemble(
      std::move(header),
      [&](std::uint64_t begin, std::uint64_t end) { return std::string(buffer.substr(begin, end - begin)); }, source);
}

Contents read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(path + ": cannot open for reading: " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff end = in.tellg();
  if (end < 0 || !std::filesystem::is_regular_file(path)) throw IOError(path + ": not a regular file");
  const auto file_size = static_cast<std::uint64_t>(end);
  in.seekg(0, std::ios::beg);
  char first8[8] = {};
  in.read(first8, file_size < 8 ? static_cast<std::streamsize>(file_size) : 8);
  const std::uint64_t n = checked_header_length(std::string_view(first8, 8), file_size, path);
  std::string text(n, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(n))) throw IOError(path + ": read error in the header");
  const std::uint64_t buffer_start = 8 + n;
  Header header = parse_header(text, file_size - buffer_start, path);
  return assemble(
      std::move(header),
      [&](std::uint64_t begin, std::uint64_t end) {
        std::string data(end - begin, '\0');
        in.seekg(static_cast<std::streamoff>(buffer_start + begin));
        if (!in.read(data.data(), static_cast<std::streamsize>(data.size())))
          throw IOError(path + ": read error in the data buffer");
        return data;
      },
      path);
}

void write_file(const std::string& path, const Contents& contents) { write_file_atomic(path, serialize(contents)); }

std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(path + ": cannot open for reading: " + std::strerror(errno));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IOError(path + ": read error");
  return data;
}

void write_file_atomic(const std::string& path, std::string_view data) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmp = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  auto error = [&](const std::string& what) { return IOError(path + ": " + what + ": " + std::strerror(errno)); };

  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw error("cannot create a temporary file in " + dir.string());
  auto discard = [&](const std::string& what) {
    IOError e = error(what);
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  };
  if (::fchmod(fd, 0644) != 0) throw discard("cannot set permissions");
  for (std::size_t done = 0; done < data.size();) {
    const ::ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw discard("write failed");
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) throw discard("fsync failed");
  if (::close(fd) != 0) {
    IOError e = error("close failed");
    ::unlink(tmp.c_str());
    throw e;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    IOError e = error("cannot rename the temporary file into place");
    ::unlink(tmp.c_str());
    throw e;
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) throw error("cannot open the directory to sync it");
  const int synced = ::fsync(dir_fd);
  ::close(dir_fd);
  if (synced != 0) throw error("fsync of the directory failed");
}

} // namespace varscope::safetensors
