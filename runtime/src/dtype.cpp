// runtime/src/dtype.cpp - names and sizes of the element types.
//
// Everything here is a pure function of its arguments: thread-safe.

#include "varscope/dtype.h"

#include <array>
#include <cassert>
#include <string>

namespace varscope {

namespace {

struct DTypeInfo {
  DType dtype;
  std::string_view name;
  std::size_t size;
};

// Indexed by the enum's value; the static_assert below keeps them in step.
constexpr std::array<DTypeInfo, 12> kDTypes = {{
    {DType::Float16, "float16", 2},
    {DType::BFloat16, "bfloat16", 2},
    {DType::Float32, "float32", 4},
    {DType::Float64, "float64", 8},
    {DType::Int8, "int8", 1},
    {DType::Int16, "int16", 2},
    {DType::Int32, "int32", 4},
    {DType::Int64, "int64", 8},
    {DType::UInt8, "uint8", 1},
    {DType::UInt16, "uint16", 2},
    {DType::Bool, "bool", 1},
    {DType::String, "string", sizeof(std::string)},
}};

constexpr bool tableMatchesEnum() {
  for (std::size_t i = 0; i < kDTypes.size(); ++i)
    if (static_cast<std::size_t>(kDTypes[i].dtype) != i) return false;
  return true;
}
static_assert(tableMatchesEnum(), "kDTypes must be indexed by DType");

const DTypeInfo& info(DType dtype) {
  auto index = static_cast<std::size_t>(dtype);
  assert(index < kDTypes.size() && "invalid DType value");
  return kDTypes[index];
}

// TF's dtypes.as_dtype also accepts these NumPy-style spellings.
struct Alias {
  std::string_view name;
  DType dtype;
};
constexpr std::array<Alias, 3> kAliases = {{
    {"half", DType::Float16},
    {"float", DType::Float32},
    {"double", DType::Float64},
}};

} // namespace

std::string_view dtype_name(DType dtype) { return info(dtype).name; }

std::optional<DType> dtype_from_name(std::string_view name) {
  for (const DTypeInfo& entry : kDTypes)
    if (entry.name == name) return entry.dtype;
  for (const Alias& alias : kAliases)
    if (alias.name == name) return alias.dtype;
  return std::nullopt;
}

std::string dtype_repr(DType dtype) { return "<dtype: '" + std::string(dtype_name(dtype)) + "'>"; }

std::size_t dtype_size(DType dtype) { return info(dtype).size; }

bool is_floating(DType dtype) {
  return dtype == DType::Float16 || dtype == DType::BFloat16 || dtype == DType::Float32 ||
         dtype == DType::Float64;
}

bool is_integer(DType dtype) {
  switch (dtype) {
  case DType::Int8:
  case DType::Int16:
  case DType::Int32:
  case DType::Int64:
  case DType::UInt8:
  case DType::UInt16:
    return true;
  default:
    return false;
  }
}

} // namespace varscope
